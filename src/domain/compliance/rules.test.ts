// Party, flag, opt-out, consent and content rules, per preset and for each party.
import { describe, expect, it } from 'vitest';
import { decide } from './decide.js';
import { PRESETS } from './policy.js';
import { call, codes, makeRequest, type RequestOverrides } from './request.fixture.js';
import { CHANNELS, PURPOSES, type Channel, type Flag, type PresetName, type Purpose } from './types.js';

// 10:00 on a Monday local time in each preset's usual zone.
const LOCAL: Record<PresetName, { at: string; timezone: string }> = {
  cn: { at: '2026-03-02T10:00:00+08:00', timezone: 'Asia/Shanghai' },
  us: { at: '2026-03-02T10:00:00-05:00', timezone: 'America/New_York' },
  uk: { at: '2026-03-02T10:00:00+00:00', timezone: 'Europe/London' },
};

function run(preset: PresetName, over: RequestOverrides = {}) {
  const { at, timezone } = LOCAL[preset];
  const content = over.content ?? (over.channel === 'sms' || over.channel === 'email' ? 'Reply STOP to opt out / 回复TD退订' : null);
  return decide(makeRequest({ policy: preset, at, ...over, content, borrower: { timezone, ...over.borrower } }), PRESETS[preset]);
}

const PRESET_LIST: PresetName[] = ['cn', 'us', 'uk'];
const guarantor = { party: 'guarantor' as const, number: '+8613900000009', contact: { relation: 'guarantor', refused: false } };
const NON_COLLECTION: Purpose[] = ['support', 'cease_confirmation', 'opt_out_confirmation'];
const COLLECTION: Purpose[] = ['collection', 'reminder', 'callback', 'reply'];

describe('third parties', () => {
  const friend = { party: 'third_party' as const, number: '+8613700000007', contact: { relation: 'emergency_contact', refused: false } };

  it.each(PRESET_LIST)('%s: only to locate the borrower', (preset) => {
    const flags: Flag[] = ['unreachable'];
    for (const purpose of PURPOSES.filter((p) => p !== 'locate' && p !== 'authentication')) {
      const d = run(preset, { ...friend, purpose, borrower: { flags } });
      expect(codes(d), purpose).toEqual(['THIRD_PARTY_NOT_ALLOWED']);
      expect(d.reasons[0].rule).toBe(`${preset}.third_party`);
      expect(d.nextAllowedAt).toBeNull();
    }
    expect(run(preset, { ...friend, purpose: 'locate', borrower: { flags } }).allowed).toBe(true);
  });

  it.each(PRESET_LIST)('%s: never once the person has refused', (preset) => {
    const d = run(preset, { ...friend, purpose: 'locate', contact: { ...friend.contact, refused: true }, borrower: { flags: ['unreachable'] } });
    expect(codes(d)).toEqual(['THIRD_PARTY_NOT_ALLOWED']);
  });

  it.each([
    [[], false],
    [['unreachable'], true],
    [['deceased'], true],
    [['incapacitated'], true],
    [['cease'], false],
  ] as [Flag[], boolean][])('cn: only while the borrower is unreachable, deceased or incapacitated (%j)', (flags, allowed) => {
    expect(run('cn', { ...friend, purpose: 'locate', borrower: { flags } }).allowed).toBe(allowed);
  });

  it.each(['us', 'uk'] as const)('%s: locating does not need the borrower to be unreachable', (preset) => {
    expect(run(preset, { ...friend, purpose: 'locate' }).allowed).toBe(true);
  });

  it("is not bound by the borrower's personal flags, opt-outs or preferred hours", () => {
    const d = run('cn', {
      ...friend,
      purpose: 'locate',
      at: '2026-03-02T20:00:00+08:00',
      borrower: { flags: ['deceased', 'vulnerable', 'cease', 'represented'], optOuts: ['call'], preferredHours: { from: '09:00', to: '10:00' } },
    });
    expect(d.allowed).toBe(true);
  });
});

describe('cease', () => {
  it.each(['cn', 'uk'] as const)('%s: only letter and email remain', (preset) => {
    for (const channel of CHANNELS) {
      const d = run(preset, { channel, borrower: { flags: ['cease'] } });
      if (channel === 'letter' || channel === 'email') expect(d.allowed, channel).toBe(true);
      else {
        expect(codes(d), channel).toEqual(['CEASE_REQUESTED']);
        expect(d.reasons[0].rule).toBe(`${preset}.cease`);
      }
    }
  });

  it('us: nothing but a letter with purpose cease_confirmation', () => {
    for (const channel of CHANNELS) {
      for (const purpose of PURPOSES.filter((p) => p !== 'authentication')) {
        const d = run('us', { channel, purpose, borrower: { flags: ['cease'] } });
        const expected = channel === 'letter' && purpose === 'cease_confirmation' ? [] : ['CEASE_REQUESTED'];
        expect(codes(d), `${channel} ${purpose}`).toEqual(expected);
      }
    }
  });

  it('concerns the borrower, not a guarantor', () => {
    expect(run('us', { ...guarantor, borrower: { flags: ['cease'] } }).allowed).toBe(true);
  });
});

describe('flags (floor and presets)', () => {
  it.each(PRESET_LIST)('%s: represented: no contact with the borrower, any purpose', (preset) => {
    for (const purpose of PURPOSES.filter((p) => p !== 'authentication')) {
      const d = run(preset, { purpose, channel: 'letter', borrower: { flags: ['represented'] } });
      expect(codes(d), purpose).toEqual(['ATTORNEY_REPRESENTED']);
      expect(d.reasons[0].rule).toBe(preset === 'us' ? 'us.represented' : 'floor.represented');
    }
    expect(run(preset, { ...guarantor, borrower: { flags: ['represented'] } }).allowed).toBe(true);
  });

  it.each(PRESET_LIST)('%s: dispute pauses collection contact with every party', (preset) => {
    for (const purpose of COLLECTION) {
      expect(codes(run(preset, { purpose, borrower: { flags: ['dispute'] } })), purpose).toEqual(['DISPUTE_PENDING']);
      expect(codes(run(preset, { ...guarantor, purpose, borrower: { flags: ['dispute'] } })), purpose).toEqual(['DISPUTE_PENDING']);
    }
    for (const purpose of NON_COLLECTION) {
      expect(run(preset, { purpose, channel: 'letter', borrower: { flags: ['dispute'] } }).allowed, purpose).toBe(true);
    }
    expect(run(preset, { borrower: { flags: ['dispute'] } }).reasons[0].rule).toBe(preset === 'cn' ? 'floor.dispute' : `${preset}.dispute`);
  });

  it.each(PRESET_LIST)('%s: breathing space pauses collection contact with every party', (preset) => {
    expect(codes(run(preset, { borrower: { flags: ['breathing_space'] } }))).toEqual(['BREATHING_SPACE']);
    expect(codes(run(preset, { ...guarantor, borrower: { flags: ['breathing_space'] } }))).toEqual(['BREATHING_SPACE']);
    expect(run(preset, { purpose: 'support', borrower: { flags: ['breathing_space'] } }).allowed).toBe(true);
  });

  it.each(PRESET_LIST)('%s: vulnerable: no collection contact, support allowed, guarantor unaffected', (preset) => {
    for (const purpose of COLLECTION) {
      const d = run(preset, { purpose, borrower: { flags: ['vulnerable'] } });
      expect(codes(d), purpose).toEqual(['VULNERABLE_PAUSE']);
      expect(d.reasons[0].rule).toBe('floor.vulnerable');
      expect(d.nextAllowedAt).toBeNull();
    }
    expect(run(preset, { purpose: 'support', borrower: { flags: ['vulnerable'] } }).allowed).toBe(true);
    expect(run(preset, { ...guarantor, borrower: { flags: ['vulnerable'] } }).allowed).toBe(true);
  });

  it.each(PRESET_LIST)('%s: incapacitated: no collection contact with the borrower', (preset) => {
    const d = run(preset, { borrower: { flags: ['incapacitated'] } });
    expect(codes(d)).toEqual(['CAPACITY_PAUSE']);
    expect(d.reasons[0].rule).toBe(preset === 'uk' ? 'uk.capacity' : 'floor.capacity');
    expect(run(preset, { purpose: 'support', borrower: { flags: ['incapacitated'] } }).allowed).toBe(true);
    expect(run(preset, { ...guarantor, borrower: { flags: ['incapacitated'] } }).allowed).toBe(true);
  });

  it.each(PRESET_LIST)('%s: deceased: no contact at all with the borrower party', (preset) => {
    for (const purpose of PURPOSES.filter((p) => p !== 'authentication')) {
      expect(codes(run(preset, { purpose, channel: 'letter', borrower: { flags: ['deceased'] } })), purpose).toEqual(['DECEASED']);
    }
    expect(run(preset, { ...guarantor, borrower: { flags: ['deceased'] } }).allowed).toBe(true);
  });

  it('unreachable alone blocks nothing', () => {
    expect(run('cn', { borrower: { flags: ['unreachable'] } }).allowed).toBe(true);
  });
});

describe('opt-outs (floor)', () => {
  it.each([
    ['call', 'call', true],
    ['call', 'voice_robot', true],
    ['voice_robot', 'call', false],
    ['sms', 'sms', true],
    ['sms', 'email', false],
    ['email', 'email', true],
    ['letter', 'letter', true],
  ] as [Channel, Channel, boolean][])('opted out of %s, request by %s → refused: %s', (optOut, channel, refused) => {
    const d = run('cn', { channel, borrower: { optOuts: [optOut] } });
    expect(codes(d)).toEqual(refused ? ['CHANNEL_OPTED_OUT'] : []);
    if (refused) expect(d.reasons[0].rule).toBe('floor.opt_out');
  });

  it('does not block the one message confirming the opt-out', () => {
    expect(run('us', { channel: 'sms', purpose: 'opt_out_confirmation', content: 'You are unsubscribed.', borrower: { optOuts: ['sms'] } }).allowed).toBe(true);
  });

  it("does not apply to a guarantor's contact", () => {
    expect(run('cn', { ...guarantor, borrower: { optOuts: ['call'] } }).allowed).toBe(true);
  });
});

describe('consent: callback and reply (floor)', () => {
  const night: Record<PresetName, string> = {
    cn: '2026-03-02T23:30:00+08:00',
    us: '2026-03-02T23:30:00-05:00',
    uk: '2026-03-02T23:30:00+00:00',
  };
  const busyDay = (preset: PresetName) =>
    Array.from({ length: 7 }, (_, i) =>
      call(`${LOCAL[preset].at.slice(0, 10)}T0${i}:10:00${LOCAL[preset].at.slice(19)}`, { outcome: i < 3 ? 'conversation' : 'no_answer' }),
    );

  it.each(PRESET_LIST)('%s: a callback is held to neither the hours nor the frequency limits', (preset) => {
    const d = run(preset, { purpose: 'callback', at: night[preset], history: busyDay(preset), borrower: { preferredHours: { from: '09:00', to: '10:00' }, quietDays: ['monday'] } });
    expect(d.allowed).toBe(true);
  });

  it.each(['cn', 'us'] as const)('%s: a reply is not held to the hours, but is to the frequency limits', (preset) => {
    expect(run(preset, { purpose: 'reply', at: night[preset] }).allowed).toBe(true);
    const d = run(preset, { purpose: 'reply', at: night[preset], history: busyDay(preset) });
    expect(d.allowed).toBe(false);
    expect(codes(d)).not.toContain('OUTSIDE_HOURS');
  });

  it('uk: a reply at night is allowed (the uk preset sets no frequency limits)', () => {
    expect(run('uk', { purpose: 'reply', at: night.uk, history: busyDay('uk') }).allowed).toBe(true);
  });

  it.each(PRESET_LIST)('%s: flags, opt-outs, party and content rules still apply', (preset) => {
    expect(codes(run(preset, { purpose: 'callback', at: night[preset], borrower: { flags: ['vulnerable'] } }))).toEqual(['VULNERABLE_PAUSE']);
    expect(codes(run(preset, { purpose: 'reply', channel: 'sms', at: night[preset], borrower: { optOuts: ['sms'] } }))).toEqual(['CHANNEL_OPTED_OUT']);
    expect(codes(run(preset, { purpose: 'callback', party: 'third_party', at: night[preset], borrower: { flags: ['unreachable'] } }))).toEqual([
      'THIRD_PARTY_NOT_ALLOWED',
    ]);
  });
});

describe('authentication: only the content rules apply', () => {
  it.each(PRESET_LIST)('%s: allowed at night, whatever the flags, opt-outs and history', (preset) => {
    const d = run(preset, {
      purpose: 'authentication',
      channel: 'sms',
      at: '2026-03-02T03:00:00Z',
      content: '您的验证码是 123456 / Your sign-in code is 123456',
      borrower: { flags: ['deceased', 'cease', 'represented', 'dispute', 'vulnerable', 'breathing_space'], optOuts: ['sms'] },
      history: Array.from({ length: 10 }, (_, i) => call(`2026-03-01T1${i}:00:00Z`, { channel: 'sms', outcome: 'delivered' })),
    });
    expect(d).toEqual({ allowed: true, reasons: [], nextAllowedAt: null });
  });
});

describe('us: electronic messages must say how to opt out (Reg F 1006.6(e))', () => {
  it.each([
    ['Your payment is due. Reply STOP to opt out.', true],
    ['Your payment is due. Text stop to end messages.', true],
    ['Your payment is due. Click to unsubscribe.', true],
    ['Your payment is due. You may opt out at any time.', true],
    ['Your payment is due. You can opt-out here.', true],
    ['您的账单已到期，回复TD退订', true],
    ['您的账单已到期，退订请回复 td', true],
    ['您的账单已到期，回复 TD 拒收', true],
    ['Your payment is due.', false],
    ['Please do not stop paying.', false],
    ['您的账单已到期。', false],
  ])('%s → has notice: %s', (content, ok) => {
    for (const channel of ['sms', 'email'] as const) {
      const d = run('us', { channel, content });
      expect(codes(d), channel).toEqual(ok ? [] : ['MISSING_OPT_OUT_NOTICE']);
      if (!ok) {
        expect(d.reasons[0].rule).toBe('us.electronic_opt_out');
        expect(d.nextAllowedAt).toBeNull();
      }
    }
  });

  it('applies only to sms and email with content, and only under us', () => {
    expect(run('us', { channel: 'chat', content: 'Your payment is due.' }).allowed).toBe(true);
    expect(run('us', { channel: 'letter', content: 'Your payment is due.' }).allowed).toBe(true);
    expect(run('cn', { channel: 'sms', content: 'Your payment is due.' }).allowed).toBe(true);
    expect(run('uk', { channel: 'email', content: 'Your payment is due.' }).allowed).toBe(true);
  });
});

describe('nextAllowedAt is null whenever a rule blocks whatever the time', () => {
  it('outside the hours and opted out', () => {
    const d = run('cn', { at: '2026-03-02T23:00:00+08:00', borrower: { optOuts: ['call'] } });
    expect(codes(d)).toEqual(['OUTSIDE_HOURS', 'CHANNEL_OPTED_OUT']);
    expect(d.nextAllowedAt).toBeNull();
  });
  it('outside the hours with content lacking the opt-out notice', () => {
    const d = run('us', { at: '2026-03-02T23:00:00-05:00', channel: 'sms', content: 'Payment due.' });
    expect(codes(d)).toEqual(['OUTSIDE_HOURS', 'MISSING_OPT_OUT_NOTICE']);
    expect(d.nextAllowedAt).toBeNull();
  });
});

describe('requests the borrower started', () => {
  it('are not held to the hours or the frequency limits (direction inbound)', () => {
    const history = Array.from({ length: 6 }, (_, i) => call(`2026-03-02T1${i}:00:00+08:00`, { outcome: 'conversation' }));
    expect(run('cn', { direction: 'inbound', at: '2026-03-02T23:00:00+08:00', history }).allowed).toBe(true);
    expect(codes(run('cn', { direction: 'inbound', borrower: { flags: ['vulnerable'] } }))).toEqual(['VULNERABLE_PAUSE']);
  });
});
