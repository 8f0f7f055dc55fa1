// The examples of COMPLIANCE.md, one test each.
import { describe, expect, it } from 'vitest';
import { decide } from './decide.js';
import { PRESETS } from './policy.js';
import { call, codes, COMPLIANCE_SAMPLE, makeRequest } from './request.fixture.js';

/** The sample request of COMPLIANCE.md. */
const sample = COMPLIANCE_SAMPLE;

describe('COMPLIANCE.md examples', () => {
  it('allows the sample request at 21:59', () => {
    expect(decide(sample, PRESETS.cn)).toEqual({ allowed: true, reasons: [], nextAllowedAt: null });
  });

  it('refuses the sample request at 22:00 with exactly the documented decision', () => {
    expect(decide({ ...sample, at: '2026-03-02T22:00:00+08:00' }, PRESETS.cn)).toEqual({
      allowed: false,
      reasons: [
        { code: 'OUTSIDE_HOURS', rule: 'cn.hours', message: '不在允许的催收时间内 (08:00-22:00) / outside allowed hours' },
      ],
      nextAllowedAt: '2026-03-03T08:00:00+08:00',
    });
  });

  describe('us: a conversation on Monday blocks calls through Sunday; calls are allowed again next Monday', () => {
    const borrower = { timezone: 'America/New_York' };
    const monday = call('2026-03-02T10:00:00-05:00', { outcome: 'conversation' });
    it.each([
      ['Monday, later', '2026-03-02T15:00:00-05:00'],
      ['Wednesday', '2026-03-04T12:00:00-05:00'],
      ['Sunday evening (after the DST change)', '2026-03-08T20:59:59-04:00'],
    ])('refuses on %s', (_label, at) => {
      const d = decide(makeRequest({ policy: 'us', at, borrower, history: [monday] }), PRESETS.us);
      expect(codes(d)).toEqual(['RECENT_CONVERSATION']);
      expect(d.reasons[0].rule).toBe('us.conversation_wait');
      expect(d.nextAllowedAt).toBe('2026-03-09T08:00:00-04:00');
    });
    it('allows next Monday at 08:00', () => {
      const d = decide(makeRequest({ policy: 'us', at: '2026-03-09T08:00:00-04:00', borrower, history: [monday] }), PRESETS.us);
      expect(d).toEqual({ allowed: true, reasons: [], nextAllowedAt: null });
    });
    it('an inbound conversation starts the same wait', () => {
      const inbound = { ...monday, direction: 'inbound' as const };
      const d = decide(makeRequest({ policy: 'us', at: '2026-03-05T12:00:00-05:00', borrower, history: [inbound] }), PRESETS.us);
      expect(codes(d)).toEqual(['RECENT_CONVERSATION']);
    });
    it('a voice_robot request is a call', () => {
      const d = decide(
        makeRequest({ policy: 'us', channel: 'voice_robot', at: '2026-03-05T12:00:00-05:00', borrower, history: [monday] }),
        PRESETS.us,
      );
      expect(codes(d)).toEqual(['RECENT_CONVERSATION']);
    });
    it('an sms is not a call', () => {
      const d = decide(
        makeRequest({ policy: 'us', channel: 'sms', at: '2026-03-05T12:00:00-05:00', borrower, history: [monday] }),
        PRESETS.us,
      );
      expect(d.allowed).toBe(true);
    });
  });

  it('lists every applicable reason, each code once, and no nextAllowedAt when a flag blocks', () => {
    const d = decide(
      makeRequest({
        at: '2026-03-02T23:00:00+08:00',
        borrower: { flags: ['vulnerable', 'dispute', 'represented', 'cease'], optOuts: ['call'] },
      }),
      PRESETS.cn,
    );
    expect(codes(d)).toEqual([
      'OUTSIDE_HOURS',
      'CEASE_REQUESTED',
      'ATTORNEY_REPRESENTED',
      'DISPUTE_PENDING',
      'CHANNEL_OPTED_OUT',
      'VULNERABLE_PAUSE',
    ]);
    expect(d.nextAllowedAt).toBeNull();
    expect(new Set(codes(d)).size).toBe(d.reasons.length);
  });

  it('gives one reason when a preset rule and a floor rule give the same code', () => {
    const d = decide(
      makeRequest({
        policy: 'uk',
        at: '2026-03-02T10:00:00+00:00',
        borrower: { timezone: 'Europe/London', flags: ['breathing_space', 'incapacitated', 'dispute'] },
      }),
      PRESETS.uk,
    );
    expect(d.reasons.map((r) => [r.code, r.rule])).toEqual([
      ['DISPUTE_PENDING', 'uk.dispute'],
      ['BREATHING_SPACE', 'uk.breathing_space'],
      ['CAPACITY_PAUSE', 'uk.capacity'],
    ]);
  });

  it('writes every message as 中文 / English', () => {
    const d = decide(
      makeRequest({
        party: 'third_party',
        purpose: 'collection',
        at: '2026-03-02T23:00:00+08:00',
        borrower: { flags: ['dispute', 'breathing_space', 'deceased'] },
      }),
      PRESETS.cn,
    );
    expect(d.reasons.length).toBeGreaterThan(1);
    for (const r of d.reasons) expect(r.message).toMatch(/^[^/]*[\u4e00-\u9fff][^/]* \/ [A-Za-z]/);
  });

  it('ignores history items after `at`', () => {
    const later = Array.from({ length: 6 }, (_, i) => call(`2026-03-02T1${i}:30:00+08:00`));
    const d = decide(makeRequest({ at: '2026-03-02T10:00:00+08:00', history: later }), PRESETS.cn);
    expect(d.allowed).toBe(true);
  });
});
