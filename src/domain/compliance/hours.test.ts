// Hours at their boundaries, in several zones and across DST, plus the borrower's own window,
// quiet days, several zones at once, and the contact's own zone.
import { describe, expect, it } from 'vitest';
import { decide } from './decide.js';
import { PRESETS } from './policy.js';
import { call, codes, makeRequest } from './request.fixture.js';
import { CHANNELS, type PresetName } from './types.js';

function hoursCase(preset: PresetName, timezone: string, at: string, over: Parameters<typeof makeRequest>[0] = {}) {
  return decide(makeRequest({ policy: preset, at, ...over, borrower: { timezone, ...over.borrower } }), PRESETS[preset]);
}

describe('preset hours at their boundaries', () => {
  it.each([
    // cn: [08:00:00, 22:00:00)
    ['cn', 'Asia/Shanghai', '2026-03-02T07:59:59+08:00', '2026-03-02T08:00:00+08:00'],
    ['cn', 'Asia/Shanghai', '2026-03-02T08:00:00+08:00', null],
    ['cn', 'Asia/Shanghai', '2026-03-02T21:59:59+08:00', null],
    ['cn', 'Asia/Shanghai', '2026-03-02T21:59:59.999+08:00', null],
    ['cn', 'Asia/Shanghai', '2026-03-02T22:00:00+08:00', '2026-03-03T08:00:00+08:00'],
    ['cn', 'Asia/Shanghai', '2026-03-03T00:00:00+08:00', '2026-03-03T08:00:00+08:00'],
    ['cn', 'Asia/Shanghai', '2026-03-02T14:00:00Z', '2026-03-03T08:00:00+08:00'],
    // us: [08:00:00, 21:00:00]
    ['us', 'America/New_York', '2026-03-02T07:59:59-05:00', '2026-03-02T08:00:00-05:00'],
    ['us', 'America/New_York', '2026-03-02T08:00:00-05:00', null],
    ['us', 'America/New_York', '2026-03-02T21:00:00-05:00', null],
    ['us', 'America/New_York', '2026-03-03T02:00:00Z', null],
    ['us', 'America/New_York', '2026-03-02T21:00:01-05:00', '2026-03-03T08:00:00-05:00'],
    ['us', 'America/New_York', '2026-03-03T02:00:01Z', '2026-03-03T08:00:00-05:00'],
    ['us', 'America/Los_Angeles', '2026-03-02T21:00:01-08:00', '2026-03-03T08:00:00-08:00'],
    // uk: [08:00:00, 20:00:00]
    ['uk', 'Europe/London', '2026-03-02T07:59:59+00:00', '2026-03-02T08:00:00+00:00'],
    ['uk', 'Europe/London', '2026-03-02T20:00:00+00:00', null],
    ['uk', 'Europe/London', '2026-03-02T20:00:01+00:00', '2026-03-03T08:00:00+00:00'],
    ['uk', 'Europe/London', '2026-07-01T20:00:00+01:00', null],
    ['uk', 'Europe/London', '2026-07-01T19:00:01Z', '2026-07-02T08:00:00+01:00'],
  ] as const)('%s in %s at %s', (preset, zone, at, next) => {
    const d = hoursCase(preset, zone, at);
    if (next === null) {
      expect(d).toEqual({ allowed: true, reasons: [], nextAllowedAt: null });
    } else {
      expect(codes(d)).toEqual(['OUTSIDE_HOURS']);
      expect(d.reasons[0].rule).toBe(`${preset}.hours`);
      expect(d.nextAllowedAt).toBe(next);
    }
  });

  it('uses the exact window in each message', () => {
    expect(hoursCase('us', 'America/New_York', '2026-03-02T22:00:00-05:00').reasons[0].message).toBe(
      '不在允许的催收时间内 (08:00-21:00) / outside allowed hours',
    );
    expect(hoursCase('uk', 'Europe/London', '2026-03-02T22:00:00Z').reasons[0].message).toBe(
      '不在允许的催收时间内 (08:00-20:00) / outside allowed hours',
    );
  });

  it.each(CHANNELS.filter((c) => c !== 'letter'))('holds %s to the hours', (channel) => {
    const d = hoursCase('cn', 'Asia/Shanghai', '2026-03-02T23:00:00+08:00', { channel });
    expect(codes(d)).toEqual(['OUTSIDE_HOURS']);
  });

  it('never holds a letter to the hours', () => {
    expect(hoursCase('cn', 'Asia/Shanghai', '2026-03-02T23:00:00+08:00', { channel: 'letter' }).allowed).toBe(true);
  });
});

describe('daylight saving time', () => {
  it('moves to the next morning across the US spring change', () => {
    expect(hoursCase('us', 'America/New_York', '2026-03-07T21:30:00-05:00').nextAllowedAt).toBe('2026-03-08T08:00:00-04:00');
  });
  it('moves to the next morning across the US autumn change', () => {
    expect(hoursCase('us', 'America/New_York', '2026-10-31T22:00:00-04:00').nextAllowedAt).toBe('2026-11-01T08:00:00-05:00');
  });
  it('moves to the next morning across the UK spring change', () => {
    expect(hoursCase('uk', 'Europe/London', '2026-03-28T20:30:00+00:00').nextAllowedAt).toBe('2026-03-29T08:00:00+01:00');
  });
  it('judges local time, not the offset written in `at`', () => {
    // 2026-03-08T12:30Z is 08:30 EDT but 07:30 by the old EST offset.
    expect(hoursCase('us', 'America/New_York', '2026-03-08T12:30:00Z').allowed).toBe(true);
    expect(hoursCase('us', 'America/New_York', '2026-03-08T11:30:00Z').nextAllowedAt).toBe('2026-03-08T08:00:00-04:00');
  });
  it('moves a local midnight that falls in a gap to the first valid local time', () => {
    // Chile springs forward at 24:00 on 2026-09-05: 2026-09-06 begins at 01:00 -03:00. A reply is
    // not held to the hours, so only the daily attempt count stands in the way until the new day.
    const attempts = Array.from({ length: 6 }, (_, i) => call(`2026-09-05T1${i}:00:00-04:00`));
    const d = decide(
      makeRequest({
        purpose: 'reply',
        at: '2026-09-05T23:00:00-04:00',
        history: attempts,
        borrower: { timezone: 'America/Santiago' },
      }),
      PRESETS.cn,
    );
    expect(codes(d)).toEqual(['DAILY_ATTEMPT_LIMIT']);
    expect(d.nextAllowedAt).toBe('2026-09-06T01:00:00-03:00');
  });
});

describe('preferred hours (floor)', () => {
  const preferredHours = { from: '09:00', to: '18:00' };
  it.each([
    ['2026-03-02T08:30:00+08:00', 'floor.preferred_hours', '2026-03-02T09:00:00+08:00'],
    ['2026-03-02T09:00:00+08:00', null, null],
    ['2026-03-02T17:59:59+08:00', null, null],
    ['2026-03-02T18:00:00+08:00', 'floor.preferred_hours', '2026-03-03T09:00:00+08:00'],
    ['2026-03-02T07:00:00+08:00', 'cn.hours', '2026-03-02T09:00:00+08:00'],
  ])('cn, preferred 09:00-18:00, at %s', (at, rule, next) => {
    const d = hoursCase('cn', 'Asia/Shanghai', at, { borrower: { preferredHours } });
    if (rule === null) expect(d.allowed).toBe(true);
    else {
      expect(d.reasons).toHaveLength(1);
      expect(d.reasons[0].code).toBe('OUTSIDE_HOURS');
      expect(d.reasons[0].rule).toBe(rule);
      expect(d.nextAllowedAt).toBe(next);
    }
  });

  it('refuses for good when the preferred window never meets the policy window', () => {
    const d = hoursCase('cn', 'Asia/Shanghai', '2026-03-02T10:00:00+08:00', {
      borrower: { preferredHours: { from: '06:00', to: '07:30' } },
    });
    expect(codes(d)).toEqual(['OUTSIDE_HOURS']);
    expect(d.reasons[0].rule).toBe('floor.preferred_hours');
    expect(d.nextAllowedAt).toBeNull();
  });

  it('keeps the earlier of the two ends, with its own inclusiveness', () => {
    const over = { borrower: { preferredHours: { from: '20:00', to: '23:00' } } };
    expect(hoursCase('cn', 'Asia/Shanghai', '2026-03-02T21:59:59+08:00', over).allowed).toBe(true);
    expect(hoursCase('cn', 'Asia/Shanghai', '2026-03-02T22:00:00+08:00', over).nextAllowedAt).toBe('2026-03-03T20:00:00+08:00');
  });

  it('meets an inclusive policy end at a single instant', () => {
    const over = { borrower: { preferredHours: { from: '21:00', to: '22:00' } } };
    expect(hoursCase('us', 'America/New_York', '2026-03-02T20:59:00-05:00', over).nextAllowedAt).toBe('2026-03-02T21:00:00-05:00');
    expect(hoursCase('us', 'America/New_York', '2026-03-02T21:00:00-05:00', over).allowed).toBe(true);
  });

  it('does not bind a guarantor', () => {
    const d = hoursCase('cn', 'Asia/Shanghai', '2026-03-02T08:30:00+08:00', {
      party: 'guarantor',
      contact: { relation: 'guarantor', refused: false },
      borrower: { preferredHours },
    });
    expect(d.allowed).toBe(true);
  });

  it('does not hold a letter', () => {
    expect(hoursCase('cn', 'Asia/Shanghai', '2026-03-02T08:30:00+08:00', { channel: 'letter', borrower: { preferredHours } }).allowed).toBe(true);
  });
});

describe('quiet days (floor)', () => {
  const borrower = { quietDays: ['saturday', 'sunday'] as const };
  it('is outside the hours on a quiet day', () => {
    const d = hoursCase('cn', 'Asia/Shanghai', '2026-03-07T10:00:00+08:00', { borrower });
    expect(d.reasons.map((r) => r.rule)).toEqual(['floor.quiet_days']);
    expect(d.reasons[0].message).toContain('Saturday');
    expect(d.nextAllowedAt).toBe('2026-03-09T08:00:00+08:00');
  });
  it('skips quiet days in nextAllowedAt', () => {
    expect(hoursCase('cn', 'Asia/Shanghai', '2026-03-06T22:30:00+08:00', { borrower }).nextAllowedAt).toBe('2026-03-09T08:00:00+08:00');
  });
  it('allows a working day', () => {
    expect(hoursCase('cn', 'Asia/Shanghai', '2026-03-06T21:00:00+08:00', { borrower }).allowed).toBe(true);
  });
  it('has no next time when every day is quiet', () => {
    const all = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
    const d = hoursCase('cn', 'Asia/Shanghai', '2026-03-06T21:00:00+08:00', { borrower: { quietDays: all } });
    expect(codes(d)).toEqual(['OUTSIDE_HOURS']);
    expect(d.nextAllowedAt).toBeNull();
  });
});

describe('alsoTimezones (floor; Reg F comment 6(b)(1)(i)-2)', () => {
  it('allows only inside the hours in every zone', () => {
    const borrower = { alsoTimezones: ['America/Los_Angeles'] };
    // 10:00 Shanghai is 18:00 the day before in Los Angeles.
    expect(hoursCase('cn', 'Asia/Shanghai', '2026-03-02T10:00:00+08:00', { borrower }).allowed).toBe(true);
    // 15:00 Shanghai is 23:00 in Los Angeles.
    const d = hoursCase('cn', 'Asia/Shanghai', '2026-03-02T15:00:00+08:00', { borrower });
    expect(d.reasons.map((r) => r.rule)).toEqual(['floor.also_timezones']);
    expect(d.reasons[0].message).toContain('America/Los_Angeles');
    expect(d.nextAllowedAt).toBe('2026-03-03T08:00:00+08:00');
  });
  it('can open at a window start in the other zone', () => {
    const d = hoursCase('us', 'America/New_York', '2026-03-02T07:00:00-05:00', {
      borrower: { alsoTimezones: ['America/Los_Angeles'] },
    });
    expect(d.nextAllowedAt).toBe('2026-03-02T11:00:00-05:00');
  });
});

describe('a guarantor or third party is judged in contact.timezone when given', () => {
  const contact = { relation: 'guarantor', refused: false, timezone: 'America/New_York' };
  it('refuses when it is night where the guarantor is', () => {
    // 12:00 in Shanghai is 23:00 the day before in New York.
    const d = hoursCase('cn', 'Asia/Shanghai', '2026-03-02T12:00:00+08:00', { party: 'guarantor', contact });
    expect(codes(d)).toEqual(['OUTSIDE_HOURS']);
    expect(d.nextAllowedAt).toBe('2026-03-02T21:00:00+08:00');
  });
  it("falls back to the borrower's zone", () => {
    const d = hoursCase('cn', 'Asia/Shanghai', '2026-03-02T12:00:00+08:00', {
      party: 'guarantor',
      contact: { relation: 'guarantor', refused: false },
    });
    expect(d.allowed).toBe(true);
  });
  it("ignores the borrower's other zones for a guarantor", () => {
    const d = hoursCase('cn', 'Asia/Shanghai', '2026-03-02T15:00:00+08:00', {
      party: 'guarantor',
      contact: null,
      borrower: { alsoTimezones: ['America/Los_Angeles'] },
    });
    expect(d.allowed).toBe(true);
  });
});
