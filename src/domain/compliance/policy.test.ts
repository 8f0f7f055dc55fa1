// Presets, a lender's narrowing (only ever stricter), and the version hash.
import { describe, expect, it } from 'vitest';
import { decide } from './decide.js';
import { PRESETS, narrowPolicy, policyVersion, type Policy } from './policy.js';
import { call, codes, makeRequest } from './request.fixture.js';

function narrowed(preset: 'cn' | 'us' | 'uk', narrowing: unknown): Policy {
  const r = narrowPolicy(preset, narrowing);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.policy;
}

function refusedFields(preset: 'cn' | 'us' | 'uk' | Policy, narrowing: unknown): string[] {
  const r = narrowPolicy(preset, narrowing);
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.errors.map((e) => e.field);
}

describe('presets', () => {
  it('carry the law as data', () => {
    expect(PRESETS.cn.hours).toEqual({ from: '08:00', to: '22:00', toInclusive: false });
    expect(PRESETS.us.hours).toEqual({ from: '08:00', to: '21:00', toInclusive: true });
    expect(PRESETS.uk.hours).toEqual({ from: '08:00', to: '20:00', toInclusive: true });
    expect(PRESETS.cn.limits).toMatchObject({ dailyConversations: 3, dailyAttemptsPerNumber: 6, channelDaily: {} });
    expect(PRESETS.us.limits).toMatchObject({ weeklyCalls: 7, conversationWaitDays: 7, channelDaily: {} });
  });
  it('are frozen', () => {
    expect(() => {
      (PRESETS.cn.limits as { dailyConversations: number }).dailyConversations = 99;
    }).toThrow();
  });
});

describe('narrowPolicy: stricter is accepted', () => {
  it('narrows the hours and keeps the preset end inclusiveness', () => {
    const p = narrowed('cn', { hours: { from: '09:00', to: '21:00' } });
    expect(p.hours).toEqual({ from: '09:00', to: '21:00', toInclusive: false });
    const d = decide(makeRequest({ at: '2026-03-02T08:30:00+08:00' }), p);
    expect(codes(d)).toEqual(['OUTSIDE_HOURS']);
    expect(d.reasons[0].message).toBe('不在允许的催收时间内 (09:00-21:00) / outside allowed hours');
    expect(d.nextAllowedAt).toBe('2026-03-02T09:00:00+08:00');
    expect(decide(makeRequest({ at: '2026-03-02T21:00:00+08:00' }), p).allowed).toBe(false);
  });

  it('sets a uk window narrower than the default', () => {
    const p = narrowed('uk', { hours: { from: '09:00', to: '19:00' } });
    const at = (t: string) => makeRequest({ policy: 'uk', at: `2026-03-02T${t}+00:00`, borrower: { timezone: 'Europe/London' } });
    expect(decide(at('19:00:00'), p).allowed).toBe(true);
    expect(decide(at('19:00:01'), p).nextAllowedAt).toBe('2026-03-03T09:00:00+00:00');
  });

  it('lowers limits', () => {
    const p = narrowed('cn', { limits: { dailyConversations: 2, dailyAttemptsPerNumber: 3 } });
    const history = [call('2026-03-02T09:00:00+08:00', { outcome: 'conversation' }), call('2026-03-02T09:30:00+08:00', { outcome: 'conversation' })];
    expect(codes(decide(makeRequest({ history }), p))).toEqual(['DAILY_CONVERSATION_LIMIT']);
    expect(decide(makeRequest({ history }), PRESETS.cn).allowed).toBe(true);
  });

  it('adds a limit the preset does not set, and a longer wait', () => {
    const p = narrowed('us', { limits: { dailyConversations: 1, conversationWaitDays: 10 } });
    expect(p.limits.conversationWaitDays).toBe(10);
    expect(p.limits.dailyConversations).toBe(1);
  });

  it('accepts the preset name and an empty narrowing, keeping the preset version', () => {
    expect(narrowed('cn', { preset: 'cn' }).version).toBe(PRESETS.cn.version);
    expect(narrowed('cn', {}).version).toBe(PRESETS.cn.version);
    expect(narrowed('cn', { hours: { from: '08:00', to: '22:00' }, limits: { dailyConversations: 3 } }).version).toBe(PRESETS.cn.version);
  });

  it('narrows an already narrowed policy further', () => {
    const once = narrowed('cn', { hours: { from: '09:00' } });
    const twice = narrowPolicy(once, { hours: { to: '20:00' } });
    expect(twice.ok && twice.policy.hours).toEqual({ from: '09:00', to: '20:00', toInclusive: false });
    expect(refusedFields(once, { hours: { from: '08:30' } })).toEqual(['hours.from']);
  });
});

describe('narrowPolicy: anything looser is refused, naming the field', () => {
  it.each([
    ['cn', { hours: { from: '07:00' } }, ['hours.from']],
    ['cn', { hours: { to: '22:30' } }, ['hours.to']],
    ['us', { hours: { to: '21:01' } }, ['hours.to']],
    ['uk', { hours: { from: '07:59', to: '20:30' } }, ['hours.from', 'hours.to']],
    ['cn', { hours: { from: '12:00', to: '10:00' } }, ['hours.to']],
    ['cn', { hours: { from: 9 } }, ['hours.from']],
    ['cn', { hours: { from: '9:00' } }, ['hours.from']],
    ['cn', { hours: '09:00-21:00' }, ['hours']],
    ['cn', { limits: { dailyConversations: 4 } }, ['limits.dailyConversations']],
    ['cn', { limits: { dailyAttemptsPerNumber: 7 } }, ['limits.dailyAttemptsPerNumber']],
    ['us', { limits: { weeklyCalls: 8 } }, ['limits.weeklyCalls']],
    ['us', { limits: { conversationWaitDays: 6 } }, ['limits.conversationWaitDays']],
    ['cn', { limits: { dailyConversations: 0 } }, ['limits.dailyConversations']],
    ['cn', { limits: { dailyConversations: 2.5 } }, ['limits.dailyConversations']],
    ['cn', { limits: { dailyConversations: null } }, ['limits.dailyConversations']],
    ['cn', { limits: { channelDaily: { sms: 0 } } }, ['limits.channelDaily.sms']],
    ['cn', { limits: { channelDaily: { call: 3 } } }, ['limits.channelDaily.call']],
    ['cn', { limits: { perWeek: 3 } }, ['limits.perWeek']],
    ['cn', { cease: 'none' }, ['cease']],
    ['cn', { preset: 'us' }, ['preset']],
    ['cn', [], ['(root)']],
  ] as const)('%s %j', (preset, narrowing, fields) => {
    expect(refusedFields(preset, narrowing)).toEqual(fields);
  });

  it('says why in the message', () => {
    const r = narrowPolicy('cn', { hours: { from: '07:00' } });
    expect(!r.ok && r.errors[0].message).toMatch(/hours\.from 07:00 is earlier than the policy's 08:00/);
  });

  it('refuses loosening a narrowed channel limit', () => {
    const once = narrowed('cn', { limits: { channelDaily: { sms: 2 } } });
    expect(refusedFields(once, { limits: { channelDaily: { sms: 3 } } })).toEqual(['limits.channelDaily.sms']);
  });
});

describe('policy version', () => {
  it('is the preset name, @, and 16 hex digits', () => {
    for (const p of Object.values(PRESETS)) expect(p.version).toMatch(new RegExp(`^${p.preset}@[0-9a-f]{16}$`));
  });
  it('differs between presets and for different content', () => {
    const versions = new Set([
      PRESETS.cn.version,
      PRESETS.us.version,
      PRESETS.uk.version,
      narrowed('cn', { hours: { from: '09:00' } }).version,
      narrowed('cn', { hours: { from: '09:01' } }).version,
      narrowed('cn', { limits: { channelDaily: { sms: 2 } } }).version,
      narrowed('cn', { limits: { channelDaily: { email: 2 } } }).version,
    ]);
    expect(versions.size).toBe(7);
  });
  it('is stable across key order', () => {
    const a = narrowed('cn', { hours: { from: '09:00', to: '21:00' }, limits: { channelDaily: { sms: 2, email: 1 }, dailyConversations: 2 } });
    const b = narrowed('cn', { limits: { dailyConversations: 2, channelDaily: { email: 1, sms: 2 } }, hours: { to: '21:00', from: '09:00' } });
    expect(a.version).toBe(b.version);
    const { version: _v, ...content } = a;
    const reordered = Object.fromEntries(Object.entries(content).reverse()) as typeof content;
    expect(policyVersion(reordered)).toBe(a.version);
  });
  it('does not change between runs (a stored decision must name the same rules tomorrow)', () => {
    expect(PRESETS.cn.version).toBe(policyVersion({ ...PRESETS.cn }));
  });
});
