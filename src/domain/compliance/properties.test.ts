// Invariants of the gate over generated requests (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, passesTimeRules } from './decide.js';
import { PRESETS, narrowPolicy, type Policy } from './policy.js';
import { formatInstant, parseInstant, zoneNamed } from './time.js';
import {
  CHANNELS,
  FLAGS,
  OUTCOMES,
  PURPOSES,
  REASON_CODES,
  TIME_BOUND_CODES,
  WEEKDAYS,
  type ContactRequest,
  type HistoryItem,
  type PresetName,
} from './types.js';

const ZONES = [
  'Asia/Shanghai',
  'America/New_York',
  'America/Los_Angeles',
  'Europe/London',
  'Australia/Lord_Howe',
  'America/Santiago',
  'Asia/Kolkata',
];
const NUMBERS = ['+8613800000001', '+8613800000002', '+12125550100'];
const DAY = 86_400_000;
const FROM = Date.UTC(2026, 0, 1);
const TO = Date.UTC(2027, 11, 31);

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

const rarely = <T,>(arb: fc.Arbitrary<T>, none: T) => fc.oneof({ weight: 3, arbitrary: fc.constant(none) }, { weight: 1, arbitrary: arb });

const isoIn = (zone: string, ms: number, utc: boolean) => (utc ? new Date(ms).toISOString() : formatInstant(ms, zoneNamed(zone)));

function historyArb(atMs: number, zone: string): fc.Arbitrary<HistoryItem[]> {
  const item = (before: number, mixed: boolean) =>
    fc.record({
      at: fc.tuple(fc.integer({ min: atMs - before, max: atMs + (mixed ? 2 * DAY : DAY / 4) }), fc.boolean()).map(([ms, utc]) => isoIn(zone, ms, utc)),
      channel: mixed ? fc.constantFrom('call', 'call', 'call', 'voice_robot', 'sms', 'email') : fc.constantFrom('call', 'call', 'voice_robot', 'sms'),
      party: mixed ? fc.constantFrom('borrower', 'borrower', 'borrower', 'guarantor', 'third_party') : fc.constant('borrower'),
      number: mixed ? fc.constantFrom(...NUMBERS) : fc.constant(NUMBERS[0]),
      direction: fc.constantFrom('outbound', 'outbound', 'outbound', 'inbound'),
      outcome: fc.constantFrom(...OUTCOMES, 'conversation', 'no_answer', 'no_answer'),
    }) as fc.Arbitrary<HistoryItem>;
  // Sparse mixed histories, and dense ones that reach the daily and weekly limits.
  return fc.oneof(
    fc.array(item(10 * DAY, true), { maxLength: 25 }),
    fc.array(item(DAY, false), { minLength: 6, maxLength: 20 }),
    fc.array(item(8 * DAY, false), { minLength: 7, maxLength: 16 }),
  );
}

const requestArb: fc.Arbitrary<{ preset: PresetName; request: ContactRequest }> = fc
  .tuple(fc.constantFrom<PresetName>('cn', 'us', 'uk'), fc.constantFrom(...ZONES), fc.integer({ min: FROM, max: TO }), fc.boolean())
  .chain(([preset, zone, atMs, utc]) =>
    fc
      .record({
        channel: fc.constantFrom(...CHANNELS, 'call', 'call', 'sms'),
        party: fc.constantFrom('borrower', 'borrower', 'borrower', 'guarantor', 'third_party'),
        purpose: fc.oneof({ weight: 3, arbitrary: fc.constant('collection') }, { weight: 2, arbitrary: fc.constantFrom(...PURPOSES) }),
        number: fc.constantFrom(NUMBERS[0], ...NUMBERS),
        direction: fc.constantFrom('outbound', 'outbound', 'outbound', 'outbound', 'inbound'),
        flags: rarely(fc.subarray([...FLAGS], { maxLength: 3 }), [] as string[]),
        optOuts: rarely(fc.subarray([...CHANNELS], { maxLength: 2 }), [] as string[]),
        preferredHours: rarely(
          fc.tuple(fc.integer({ min: 0, max: 1438 }), fc.integer({ min: 1, max: 1439 })).map(([a, b]) => {
            const from = Math.min(a, b);
            const to = Math.max(a, b) === from ? from + 1 : Math.max(a, b);
            return { from: hhmm(from), to: hhmm(to) };
          }),
          null,
        ),
        quietDays: rarely(fc.subarray([...WEEKDAYS], { maxLength: 3 }), undefined),
        alsoTimezones: rarely(fc.subarray(ZONES, { maxLength: 1 }), undefined),
        contact: rarely(
          fc.record({ relation: fc.constant('emergency_contact'), refused: fc.boolean(), timezone: fc.constantFrom(...ZONES) }),
          null,
        ),
        history: historyArb(atMs, zone),
        content: rarely(fc.constantFrom('Reply STOP to opt out', '您好，您的账单已到期', 'Your payment is due.', '回复TD退订'), null),
      })
      .map(
        (r) =>
          ({
            preset,
            request: {
              policy: preset,
              at: isoIn(zone, atMs, utc),
              channel: r.channel,
              party: r.party,
              purpose: r.purpose,
              number: r.number,
              direction: r.direction,
              borrower: {
                timezone: zone,
                flags: r.flags,
                optOuts: r.optOuts,
                preferredHours: r.preferredHours,
                ...(r.quietDays ? { quietDays: r.quietDays } : {}),
                ...(r.alsoTimezones ? { alsoTimezones: r.alsoTimezones } : {}),
              },
              contact: r.contact,
              history: r.history,
              content: r.content,
            } as ContactRequest,
          }),
      ),
  );

/** Plain collection calls to the borrower, so that the frequency limits are what stands in the way. */
const callRequestArb = requestArb.map(({ preset, request }) => ({
  preset,
  request: {
    ...request,
    channel: 'call',
    party: 'borrower',
    purpose: 'collection',
    direction: 'outbound',
    content: null,
    borrower: { ...request.borrower, flags: [], optOuts: [] },
  } as ContactRequest,
}));

const anyRequestArb = fc.oneof(requestArb, callRequestArb);

function narrowingArb(preset: PresetName): fc.Arbitrary<Policy> {
  const base = PRESETS[preset];
  const [fh, fm] = base.hours.from.split(':').map(Number);
  const [th, tm] = base.hours.to.split(':').map(Number);
  const lo = fh * 60 + fm;
  const hi = th * 60 + tm;
  const lower = (v: number | null) => (v === null ? fc.integer({ min: 1, max: 8 }) : fc.integer({ min: 1, max: v }));
  return fc
    .record(
      {
        hours: fc
          .tuple(fc.integer({ min: lo, max: hi - 1 }), fc.integer({ min: lo + 1, max: hi }))
          .filter(([a, b]) => a < b)
          .map(([a, b]) => ({ from: hhmm(a), to: hhmm(b) })),
        limits: fc.record(
          {
            dailyConversations: lower(base.limits.dailyConversations),
            dailyAttemptsPerNumber: lower(base.limits.dailyAttemptsPerNumber),
            weeklyCalls: lower(base.limits.weeklyCalls),
            conversationWaitDays: fc.integer({ min: base.limits.conversationWaitDays ?? 1, max: 30 }),
            channelDaily: fc.record({ sms: fc.integer({ min: 1, max: 4 }), email: fc.integer({ min: 1, max: 4 }) }, { requiredKeys: [] }),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    )
    .map((n) => {
      const r = narrowPolicy(preset, n);
      if (!r.ok) throw new Error(`generated narrowing refused: ${JSON.stringify(r.errors)}`);
      return r.policy;
    });
}

const RUNS = { numRuns: 400 };

describe('gate invariants', () => {
  it('is allowed exactly when there are no reasons; each code appears once, in the listed order', () => {
    fc.assert(
      fc.property(requestArb, ({ preset, request }) => {
        const d = decide(request, PRESETS[preset]);
        expect(d.allowed).toBe(d.reasons.length === 0);
        const idx = d.reasons.map((r) => REASON_CODES.indexOf(r.code));
        expect([...idx].sort((a, b) => a - b)).toEqual(idx);
        expect(new Set(idx).size).toBe(idx.length);
        if (d.allowed) expect(d.nextAllowedAt).toBeNull();
        for (const r of d.reasons) expect(r.rule).toMatch(new RegExp(`^(${preset}|floor)\\.[a-z_]+$`));
      }),
      RUNS,
    );
  });

  it('a narrowed policy never allows what its preset refuses', () => {
    fc.assert(
      fc.property(
        anyRequestArb.chain(({ preset, request }) => narrowingArb(preset).map((policy) => ({ preset, request, policy }))),
        ({ preset, request, policy }) => {
          if (decide(request, policy).allowed) expect(decide(request, PRESETS[preset]).allowed).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('adding history never turns a refusal into an allowance', () => {
    fc.assert(
      fc.property(
        anyRequestArb.chain(({ preset, request }) =>
          historyArb(parseInstant(request.at)!, request.borrower.timezone).map((extra) => ({ preset, request, extra })),
        ),
        ({ preset, request, extra }) => {
          if (!decide(request, PRESETS[preset]).allowed) {
            expect(decide({ ...request, history: [...request.history, ...extra] }, PRESETS[preset]).allowed).toBe(false);
          }
        },
      ),
      RUNS,
    );
  });

  it('nextAllowedAt is the earliest instant ≥ at at which the same request passes the hours and frequency rules', () => {
    fc.assert(
      fc.property(anyRequestArb, fc.double({ min: 0, max: 1, noNaN: true }), ({ preset, request }, fraction) => {
        const policy = PRESETS[preset];
        const d = decide(request, policy);
        if (d.nextAllowedAt === null) {
          if (!d.allowed && d.reasons.every((r) => TIME_BOUND_CODES.includes(r.code))) {
            // Only when the hours can never open: preferred hours outside the window, all days quiet, zones never overlapping.
            expect(d.reasons.map((r) => r.code)).toContain('OUTSIDE_HOURS');
          }
          return;
        }
        expect(d.reasons.every((r) => TIME_BOUND_CODES.includes(r.code))).toBe(true);
        const at = parseInstant(request.at)!;
        const next = parseInstant(d.nextAllowedAt)!;
        expect(next).toBeGreaterThanOrEqual(at);
        expect(d.nextAllowedAt.slice(19)).toBe(formatInstant(next, zoneNamed(request.borrower.timezone)).slice(19));
        expect(passesTimeRules(request, policy, d.nextAllowedAt)).toBe(true);
        // Earliest: just before it, and anywhere between `at` and it, the rules still refuse.
        for (const t of [next - 1, at + Math.floor((next - at) * fraction)]) {
          if (t >= at && t < next) expect(passesTimeRules(request, policy, new Date(t).toISOString())).toBe(false);
        }
        // Decided again at that instant with the same history, the request is allowed.
        const sameHistory = request.history.filter((h) => parseInstant(h.at)! <= at);
        expect(decide({ ...request, at: d.nextAllowedAt, history: sameHistory }, policy)).toEqual({
          allowed: true,
          reasons: [],
          nextAllowedAt: null,
        });
      }),
      RUNS,
    );
  });
});
