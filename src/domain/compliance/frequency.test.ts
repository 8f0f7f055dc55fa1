// Frequency limits: cn daily conversations and attempts per number, Reg F 7-in-7 and the
// 7-day wait after a conversation, and a lender's per-channel message limits.
import { describe, expect, it } from 'vitest';
import { decide } from './decide.js';
import { PRESETS, narrowPolicy, type Policy } from './policy.js';
import { call, codes, makeRequest } from './request.fixture.js';
import type { HistoryItem, Outcome } from './types.js';

const times = (n: number, day = '2026-03-02', offset = '+08:00') =>
  Array.from({ length: n }, (_, i) => `${day}T${String(8 + i).padStart(2, '0')}:30:00${offset}`);

describe('cn: at most 3 conversations with the borrower per local day', () => {
  const at = '2026-03-02T20:00:00+08:00';
  const convs = (n: number, over: Partial<HistoryItem> = {}) =>
    times(n).map((t) => call(t, { outcome: 'conversation', ...over }));

  it('allows after 2', () => {
    expect(decide(makeRequest({ at, history: convs(2) }), PRESETS.cn).allowed).toBe(true);
  });
  it('refuses after 3, until the next morning', () => {
    const d = decide(makeRequest({ at, history: convs(3) }), PRESETS.cn);
    expect(codes(d)).toEqual(['DAILY_CONVERSATION_LIMIT']);
    expect(d.reasons[0].rule).toBe('cn.daily_conversations');
    expect(d.nextAllowedAt).toBe('2026-03-03T08:00:00+08:00');
  });
  it('counts voice_robot conversations with calls', () => {
    const history = [...convs(2), call('2026-03-02T12:00:00+08:00', { channel: 'voice_robot', outcome: 'conversation' })];
    expect(codes(decide(makeRequest({ at, history }), PRESETS.cn))).toEqual(['DAILY_CONVERSATION_LIMIT']);
  });
  it('limits a voice_robot request too', () => {
    expect(codes(decide(makeRequest({ at, channel: 'voice_robot', history: convs(3) }), PRESETS.cn))).toEqual([
      'DAILY_CONVERSATION_LIMIT',
    ]);
  });
  it("does not count the borrower's own calls", () => {
    expect(decide(makeRequest({ at, history: convs(3, { direction: 'inbound' }) }), PRESETS.cn).allowed).toBe(true);
  });
  it('does not count conversations with a guarantor', () => {
    expect(decide(makeRequest({ at, history: convs(3, { party: 'guarantor', number: '+8613900000009' }) }), PRESETS.cn).allowed).toBe(true);
  });
  it("does not count yesterday's", () => {
    const history = times(3, '2026-03-01').map((t) => call(t, { outcome: 'conversation' }));
    expect(decide(makeRequest({ at, history }), PRESETS.cn).allowed).toBe(true);
  });
  it('does not limit a call to the guarantor', () => {
    const d = decide(
      makeRequest({ at, party: 'guarantor', number: '+8613900000009', contact: { relation: 'guarantor', refused: false }, history: convs(3) }),
      PRESETS.cn,
    );
    expect(d.allowed).toBe(true);
  });
  it('does not limit messages', () => {
    expect(decide(makeRequest({ at, channel: 'sms', content: '您好', history: convs(3) }), PRESETS.cn).allowed).toBe(true);
  });
});

describe('cn: at most 6 call attempts per local day to one number', () => {
  const at = '2026-03-02T20:00:00+08:00';
  const outcomes: Outcome[] = ['no_answer', 'busy', 'failed', 'voicemail', 'wrong_number', 'no_answer'];
  const six = times(6).map((t, i) => call(t, { outcome: outcomes[i] }));

  it('allows after 5', () => {
    expect(decide(makeRequest({ at, history: six.slice(0, 5) }), PRESETS.cn).allowed).toBe(true);
  });
  it('refuses after 6 whatever their outcome', () => {
    const d = decide(makeRequest({ at, history: six }), PRESETS.cn);
    expect(codes(d)).toEqual(['DAILY_ATTEMPT_LIMIT']);
    expect(d.reasons[0].rule).toBe('cn.attempts_per_number');
    expect(d.nextAllowedAt).toBe('2026-03-03T08:00:00+08:00');
  });
  it('counts voice_robot attempts to the number', () => {
    const history = [...six.slice(0, 5), call('2026-03-02T19:00:00+08:00', { channel: 'voice_robot' })];
    expect(codes(decide(makeRequest({ at, history }), PRESETS.cn))).toEqual(['DAILY_ATTEMPT_LIMIT']);
  });
  it('counts attempts to the number whatever the party', () => {
    const history = six.map((h) => ({ ...h, party: 'guarantor' as const }));
    expect(codes(decide(makeRequest({ at, history }), PRESETS.cn))).toEqual(['DAILY_ATTEMPT_LIMIT']);
  });
  it('allows another number', () => {
    expect(decide(makeRequest({ at, number: '+8613800000002', history: six }), PRESETS.cn).allowed).toBe(true);
  });
  it('does not count inbound calls or messages', () => {
    const history = [
      ...six.slice(0, 5),
      call('2026-03-02T19:00:00+08:00', { direction: 'inbound' }),
      call('2026-03-02T19:10:00+08:00', { channel: 'sms', outcome: 'delivered' }),
    ];
    expect(decide(makeRequest({ at, history }), PRESETS.cn).allowed).toBe(true);
  });
  it('resets at local midnight, not UTC midnight', () => {
    // A borrower in New York under the cn preset: six calls on Monday evening local time are
    // already Tuesday in UTC; the count resets at New York's midnight.
    const history = Array.from({ length: 6 }, (_, i) => call(`2026-03-02T20:${i}0:00-05:00`));
    const borrower = { timezone: 'America/New_York' };
    const evening = decide(makeRequest({ at: '2026-03-02T21:00:00-05:00', history, borrower }), PRESETS.cn);
    expect(codes(evening)).toEqual(['DAILY_ATTEMPT_LIMIT']);
    expect(evening.nextAllowedAt).toBe('2026-03-03T08:00:00-05:00');
    expect(decide(makeRequest({ at: '2026-03-03T08:00:00-05:00', history, borrower }), PRESETS.cn).allowed).toBe(true);
  });
  it('opens at the midnight itself for a request not held to the hours', () => {
    const d = decide(makeRequest({ at: '2026-03-02T23:50:00+08:00', purpose: 'reply', history: six }), PRESETS.cn);
    expect(codes(d)).toEqual(['DAILY_ATTEMPT_LIMIT']);
    expect(d.nextAllowedAt).toBe('2026-03-03T00:00:00+08:00');
  });
  it('reports both daily limits together', () => {
    const history = times(6).map((t, i) => call(t, { outcome: i < 3 ? 'conversation' : 'no_answer' }));
    const d = decide(makeRequest({ at, history }), PRESETS.cn);
    expect(codes(d)).toEqual(['DAILY_CONVERSATION_LIMIT', 'DAILY_ATTEMPT_LIMIT']);
  });
});

describe('us: Reg F 7 calls within 7 days', () => {
  const borrower = { timezone: 'America/New_York' };
  // One call a day, Monday 2026-03-02 to Sunday 2026-03-08 (DST begins that Sunday).
  const week = (over: (i: number) => Partial<HistoryItem> = () => ({})) =>
    Array.from({ length: 7 }, (_, i) => call(`2026-03-0${2 + i}T10:00:00${i === 6 ? '-04:00' : '-05:00'}`, over(i)));
  const us = (at: string, history: HistoryItem[], over: Parameters<typeof makeRequest>[0] = {}) =>
    decide(makeRequest({ policy: 'us', at, history, ...over, borrower: { ...borrower, ...over.borrower } }), PRESETS.us);

  it('refuses the 8th call within the 7 days ending today, until the oldest drops out', () => {
    const d = us('2026-03-08T15:00:00-04:00', week());
    expect(codes(d)).toEqual(['WEEKLY_CALL_LIMIT']);
    expect(d.reasons[0].rule).toBe('us.weekly_calls');
    expect(d.nextAllowedAt).toBe('2026-03-09T08:00:00-04:00');
  });
  it('counts voicemails and unanswered calls, and voice_robot calls', () => {
    const d = us('2026-03-08T15:00:00-04:00', week((i) => (i % 2 ? { outcome: 'voicemail' } : { channel: 'voice_robot' })));
    expect(codes(d)).toEqual(['WEEKLY_CALL_LIMIT']);
  });
  it.each(['busy', 'failed', 'wrong_number'] as const)('does not count a %s call', (outcome) => {
    const d = us('2026-03-08T15:00:00-04:00', week((i) => (i === 3 ? { outcome } : {})));
    expect(d.allowed).toBe(true);
  });
  it('does not count calls the person made', () => {
    const d = us('2026-03-08T15:00:00-04:00', week((i) => (i === 3 ? { direction: 'inbound' } : {})));
    expect(d.allowed).toBe(true);
  });
  it('does not count a day outside the 7', () => {
    const history = week().map((h, i) => (i === 0 ? { ...h, at: '2026-03-01T23:59:59-05:00' } : h));
    expect(us('2026-03-08T15:00:00-04:00', history).allowed).toBe(true);
  });
  it('counts per person: a third party by number', () => {
    const contact = { relation: 'emergency_contact', refused: false };
    const toFriend = week(() => ({ party: 'third_party', number: '+12125550100' }));
    const borrowerCall = us('2026-03-08T15:00:00-04:00', toFriend);
    expect(borrowerCall.allowed).toBe(true);
    const sameFriend = us('2026-03-08T15:00:00-04:00', toFriend, {
      party: 'third_party',
      purpose: 'locate',
      number: '+12125550100',
      contact,
    });
    expect(codes(sameFriend)).toEqual(['WEEKLY_CALL_LIMIT']);
    const otherFriend = us('2026-03-08T15:00:00-04:00', toFriend, {
      party: 'third_party',
      purpose: 'locate',
      number: '+12125550199',
      contact,
    });
    expect(otherFriend.allowed).toBe(true);
  });
  it("counts the borrower's calls on any number", () => {
    const d = us('2026-03-08T15:00:00-04:00', week((i) => ({ number: `+1212555010${i}` })));
    expect(codes(d)).toEqual(['WEEKLY_CALL_LIMIT']);
  });
  it('does not limit an sms', () => {
    expect(us('2026-03-08T15:00:00-04:00', week(), { channel: 'sms', content: 'Reply STOP to opt out' }).allowed).toBe(true);
  });
  it('a conversation with a third party does not make the borrower wait', () => {
    const h = [call('2026-03-02T10:00:00-05:00', { party: 'third_party', number: '+12125550100', outcome: 'conversation' })];
    expect(us('2026-03-03T10:00:00-05:00', h).allowed).toBe(true);
  });
  it('a conversation 7 local days ago no longer counts', () => {
    expect(us('2026-03-09T08:00:00-04:00', [call('2026-03-02T20:59:00-05:00', { outcome: 'conversation' })]).allowed).toBe(true);
  });
});

describe('lender per-channel daily limits', () => {
  const narrowed = narrowPolicy('cn', { limits: { channelDaily: { sms: 2 } } });
  if (!narrowed.ok) throw new Error('narrowing refused');
  const policy: Policy = narrowed.policy;
  const sms = (at: string, over: Partial<HistoryItem> = {}) => call(at, { channel: 'sms', outcome: 'delivered', ...over });
  const at = '2026-03-02T20:00:00+08:00';

  it('refuses the third sms of the local day', () => {
    const d = decide(makeRequest({ at, channel: 'sms', content: '您好', history: [sms('2026-03-02T09:00:00+08:00'), sms('2026-03-02T12:00:00+08:00')] }), policy);
    expect(codes(d)).toEqual(['DAILY_ATTEMPT_LIMIT']);
    expect(d.reasons[0].rule).toBe('cn.channel_daily_limit');
    expect(d.nextAllowedAt).toBe('2026-03-03T08:00:00+08:00');
  });
  it('leaves the preset itself and other channels alone', () => {
    const history = [sms('2026-03-02T09:00:00+08:00'), sms('2026-03-02T12:00:00+08:00')];
    expect(decide(makeRequest({ at, channel: 'sms', content: '您好', history }), PRESETS.cn).allowed).toBe(true);
    expect(decide(makeRequest({ at, channel: 'email', content: '您好', history }), policy).allowed).toBe(true);
  });
  it("does not count yesterday's", () => {
    const history = [sms('2026-03-01T09:00:00+08:00'), sms('2026-03-01T12:00:00+08:00')];
    expect(decide(makeRequest({ at, channel: 'sms', content: '您好', history }), policy).allowed).toBe(true);
  });
});
