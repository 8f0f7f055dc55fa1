// The gate's side of the content screen, with the screen replaced: content is screened only when
// given, for the request's party as audience, and findings travel with the reason.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Finding, ScreenOptions } from './screen/index.js';

const calls: { text: string; options: ScreenOptions | undefined }[] = [];

vi.mock('./screen/index.js', () => ({
  screenContent: (text: string, options?: ScreenOptions): Finding[] => {
    calls.push({ text, options });
    const i = text.indexOf('arrested');
    return i < 0 ? [] : [{ category: 'false_legal', span: 'arrested', start: i, end: i + 8, suggestion: 'We would like to agree a plan with you' }];
  },
}));

const { decide } = await import('./decide.js');
const { PRESETS } = await import('./policy.js');
const { makeRequest } = await import('./request.fixture.js');

describe('content screening in the gate', () => {
  beforeEach(() => {
    calls.length = 0;
  });

  it('passes findings through on one PROHIBITED_CONTENT reason', () => {
    const d = decide(makeRequest({ content: 'We will have you arrested today' }), PRESETS.cn);
    expect(d.allowed).toBe(false);
    expect(d.reasons).toEqual([
      {
        code: 'PROHIBITED_CONTENT',
        rule: 'floor.content',
        message: '内容含有违规表述 (false_legal) / the content contains prohibited wording (false_legal)',
        findings: [{ category: 'false_legal', span: 'arrested', start: 17, end: 25, suggestion: 'We would like to agree a plan with you' }],
      },
    ]);
    expect(d.nextAllowedAt).toBeNull();
  });

  it('screens for the party as audience', () => {
    decide(
      makeRequest({ party: 'third_party', purpose: 'locate', content: '请转告', borrower: { flags: ['unreachable'] } }),
      PRESETS.cn,
    );
    expect(calls).toEqual([{ text: '请转告', options: { audience: 'third_party' } }]);
  });

  it('does not screen when there is no content', () => {
    decide(makeRequest({ content: null }), PRESETS.cn);
    expect(calls).toEqual([]);
  });

  it('still screens a sign-in code message, and a callback at night', () => {
    expect(decide(makeRequest({ purpose: 'authentication', content: 'arrested' }), PRESETS.cn).allowed).toBe(false);
    expect(decide(makeRequest({ purpose: 'callback', at: '2026-03-02T23:00:00+08:00', content: 'arrested' }), PRESETS.cn).reasons.map((r) => r.code)).toEqual([
      'PROHIBITED_CONTENT',
    ]);
  });
});
