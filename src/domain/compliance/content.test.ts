// PROHIBITED_CONTENT through the real content screen.
// DEPENDS ON THE SCREEN: src/domain/compliance/screen is being implemented by another engineer;
// until it finds anything these tests fail. content-wiring.test.ts checks the gate's side now.
import { describe, expect, it } from 'vitest';
import { decide } from './decide.js';
import { PRESETS } from './policy.js';
import { codes, makeRequest } from './request.fixture.js';

describe('PROHIBITED_CONTENT (depends on the content screen)', () => {
  it('refuses a threat to the family, in Chinese', () => {
    const d = decide(makeRequest({ channel: 'sms', content: '你再不还钱我们就去你家找你家人' }), PRESETS.cn);
    expect(codes(d)).toEqual(['PROHIBITED_CONTENT']);
    expect(d.reasons[0].rule).toBe('floor.content');
    expect(d.reasons[0].findings?.length).toBeGreaterThan(0);
    expect(d.nextAllowedAt).toBeNull();
  });

  it('refuses a false claim of arrest, in English', () => {
    const d = decide(
      makeRequest({
        policy: 'us',
        at: '2026-03-02T10:00:00-05:00',
        channel: 'call',
        content: 'We will have you arrested today',
        borrower: { timezone: 'America/New_York' },
      }),
      PRESETS.us,
    );
    expect(codes(d)).toEqual(['PROHIBITED_CONTENT']);
    expect(d.reasons[0].findings?.some((f) => f.category === 'false_legal')).toBe(true);
  });

  it('refuses telling a third party about the debt, and allows asking them to pass on a call-back request', () => {
    const locate = (content: string) =>
      decide(
        makeRequest({
          party: 'third_party',
          purpose: 'locate',
          number: '+8613700000007',
          contact: { relation: 'emergency_contact', refused: false },
          content,
          borrower: { flags: ['unreachable'] },
        }),
        PRESETS.cn,
      );
    const d = locate('请转告张三尽快归还欠款');
    expect(codes(d)).toEqual(['PROHIBITED_CONTENT']);
    expect(d.reasons[0].findings?.some((f) => f.category === 'third_party_disclosure')).toBe(true);
    expect(locate('您好，请问张三在吗？请让他回电').allowed).toBe(true);
  });

  it('allows a true, lawful statement', () => {
    expect(decide(makeRequest({ channel: 'sms', content: '逾期将影响您的征信记录，您可以申请分期还款' }), PRESETS.cn).allowed).toBe(true);
  });
});
