// Policies as data: a jurisdiction's preset, a lender's narrowing (only ever stricter), and a
// version hash so every stored decision names exactly the rules it was taken under.
import { createHash } from 'node:crypto';
import { parseHhMm } from './time.js';
import { PRESET_NAMES, type PresetName } from './types.js';

export interface HoursWindow {
  /** `HH:mm`, included. */
  readonly from: string;
  /** `HH:mm`; included when `toInclusive`. */
  readonly to: string;
  readonly toInclusive: boolean;
}

export const LIMITED_MESSAGE_CHANNELS = ['sms', 'email'] as const;
export type LimitedMessageChannel = (typeof LIMITED_MESSAGE_CHANNELS)[number];

export interface Limits {
  /** Effective conversations with the borrower per local day, call and voice_robot together. */
  readonly dailyConversations: number | null;
  /** Outbound call attempts per local day to one number, whatever their outcome. */
  readonly dailyAttemptsPerNumber: number | null;
  /** Calls to the person within 7 consecutive local days (Reg F 7-in-7). */
  readonly weeklyCalls: number | null;
  /** Local days, counting the conversation's own day, during which a conversation blocks calls. */
  readonly conversationWaitDays: number | null;
  /** Lender limits on messages per person per local day. */
  readonly channelDaily: Readonly<Partial<Record<LimitedMessageChannel, number>>>;
}

/** `written_only`: letter and email remain. `cease_confirmation_letter_only`: only a letter confirming the cease. */
export type CeaseMode = 'written_only' | 'cease_confirmation_letter_only';

/** Floor pauses that the preset's own law also states, so a refusal cites the law. */
export const PRESET_PAUSES = ['represented', 'dispute', 'breathing_space', 'capacity'] as const;
export type PresetPause = (typeof PRESET_PAUSES)[number];

export interface Policy {
  readonly preset: PresetName;
  /** `<preset>@<first 16 hex of SHA-256 of the canonical content>`. */
  readonly version: string;
  readonly hours: HoursWindow;
  readonly limits: Limits;
  readonly cease: CeaseMode;
  /** cn: a third party only while the borrower is unreachable, deceased or incapacitated. */
  readonly thirdPartyNeedsUnavailableBorrower: boolean;
  /** Reg F 1006.6(e): every SMS and email says how to opt out. */
  readonly electronicOptOutNotice: boolean;
  readonly presetPauses: readonly PresetPause[];
}

export type PolicyContent = Omit<Policy, 'version'>;

/** Bumped whenever the meaning of the rule code changes, so old versions never match new behaviour. */
export const RULESET = 'clement-gate/1';

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Stable across key order: the hash is over canonical JSON with sorted keys. */
export function policyVersion(content: PolicyContent): string {
  const { version: _ignored, ...rest } = content as PolicyContent & { version?: string };
  const hash = createHash('sha256')
    .update(canonicalJson({ ruleset: RULESET, ...rest }))
    .digest('hex');
  return `${content.preset}@${hash.slice(0, 16)}`;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export function buildPolicy(content: PolicyContent): Policy {
  return deepFreeze({ ...content, version: policyVersion(content) });
}

const NO_LIMITS: Limits = {
  dailyConversations: null,
  dailyAttemptsPerNumber: null,
  weeklyCalls: null,
  conversationWaitDays: null,
  channelDaily: {},
};

export const PRESETS: Readonly<Record<PresetName, Policy>> = Object.freeze({
  // GB/T 45251-2025; CBA 催收工作指引 (2026); NIFA 自律公约 (2018).
  cn: buildPolicy({
    preset: 'cn',
    hours: { from: '08:00', to: '22:00', toInclusive: false },
    limits: { ...NO_LIMITS, dailyConversations: 3, dailyAttemptsPerNumber: 6 },
    cease: 'written_only',
    thirdPartyNeedsUnavailableBorrower: true,
    electronicOptOutNotice: false,
    presetPauses: [],
  }),
  // FDCPA and Regulation F, 12 CFR 1006.
  us: buildPolicy({
    preset: 'us',
    hours: { from: '08:00', to: '21:00', toInclusive: true },
    limits: { ...NO_LIMITS, weeklyCalls: 7, conversationWaitDays: 7 },
    cease: 'cease_confirmation_letter_only',
    thirdPartyNeedsUnavailableBorrower: false,
    electronicOptOutNotice: true,
    presetPauses: ['represented', 'dispute'],
  }),
  // FCA CONC 7 and the Debt Respite Scheme.
  uk: buildPolicy({
    preset: 'uk',
    hours: { from: '08:00', to: '20:00', toInclusive: true },
    limits: NO_LIMITS,
    cease: 'written_only',
    thirdPartyNeedsUnavailableBorrower: false,
    electronicOptOutNotice: false,
    presetPauses: ['breathing_space', 'dispute', 'capacity'],
  }),
});

export function isPresetName(name: unknown): name is PresetName {
  return typeof name === 'string' && (PRESET_NAMES as readonly string[]).includes(name);
}

export interface NarrowingError {
  readonly field: string;
  readonly message: string;
}

export type NarrowResult =
  | { readonly ok: true; readonly policy: Policy }
  | { readonly ok: false; readonly errors: readonly NarrowingError[] };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const NARROWING_KEYS = ['preset', 'hours', 'limits'] as const;
const HOURS_KEYS = ['from', 'to'] as const;
const COUNT_LIMIT_KEYS = ['dailyConversations', 'dailyAttemptsPerNumber', 'weeklyCalls'] as const;
const LIMIT_KEYS = [...COUNT_LIMIT_KEYS, 'conversationWaitDays', 'channelDaily'] as const;
const MAX_WAIT_DAYS = 365;

function unknownKeys(obj: Record<string, unknown>, allowed: readonly string[], prefix: string, errors: NarrowingError[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      errors.push({ field: prefix + key, message: `${prefix + key} is not a policy setting (allowed: ${allowed.join(', ')})` });
    }
  }
}

/** A whole number ≥ 1 and, when the base has a cap, not above it. */
function lowerOrEqual(field: string, value: unknown, base: number | null | undefined, errors: NarrowingError[]): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    errors.push({ field, message: `${field} must be a whole number of at least 1` });
    return undefined;
  }
  if (base != null && value > base) {
    errors.push({ field, message: `${field} ${value} is above the policy's ${base}; a lender may only be stricter` });
    return undefined;
  }
  return value;
}

/**
 * Applies a lender's narrowing (parsed JSON or YAML) to a preset or an already narrowed policy.
 * Anything that would loosen the base, and any field it does not know, is refused by name.
 */
export function narrowPolicy(base: PresetName | Policy, narrowing: unknown): NarrowResult {
  const from = typeof base === 'string' ? PRESETS[base] : base;
  if (!from) return { ok: false, errors: [{ field: 'preset', message: `unknown preset ${String(base)}` }] };
  if (narrowing === undefined || narrowing === null) return { ok: true, policy: from };
  const errors: NarrowingError[] = [];
  if (!isPlainObject(narrowing)) {
    return { ok: false, errors: [{ field: '(root)', message: 'a policy narrowing must be an object' }] };
  }
  unknownKeys(narrowing, NARROWING_KEYS, '', errors);

  if (narrowing.preset !== undefined && narrowing.preset !== from.preset) {
    errors.push({ field: 'preset', message: `preset ${String(narrowing.preset)} does not match ${from.preset}` });
  }

  let hours = from.hours;
  if (narrowing.hours !== undefined) {
    if (!isPlainObject(narrowing.hours)) {
      errors.push({ field: 'hours', message: 'hours must be an object { from, to }' });
    } else {
      unknownKeys(narrowing.hours, HOURS_KEYS, 'hours.', errors);
      const baseFrom = parseHhMm(from.hours.from)!;
      const baseTo = parseHhMm(from.hours.to)!;
      let newFrom = from.hours.from;
      let newTo = from.hours.to;
      const f = narrowing.hours.from;
      if (f !== undefined) {
        const ms = typeof f === 'string' ? parseHhMm(f) : null;
        if (ms === null) errors.push({ field: 'hours.from', message: 'hours.from must be a time "HH:mm" (quote it in YAML)' });
        else if (ms < baseFrom) {
          errors.push({ field: 'hours.from', message: `hours.from ${f as string} is earlier than the policy's ${from.hours.from}; a lender may only narrow the window` });
        } else newFrom = f as string;
      }
      const t = narrowing.hours.to;
      if (t !== undefined) {
        const ms = typeof t === 'string' ? parseHhMm(t) : null;
        if (ms === null) errors.push({ field: 'hours.to', message: 'hours.to must be a time "HH:mm" (quote it in YAML)' });
        else if (ms > baseTo) {
          errors.push({ field: 'hours.to', message: `hours.to ${t as string} is later than the policy's ${from.hours.to}; a lender may only narrow the window` });
        } else newTo = t as string;
      }
      if (parseHhMm(newFrom)! >= parseHhMm(newTo)!) {
        errors.push({ field: 'hours.to', message: `hours.to ${newTo} must be after hours.from ${newFrom}` });
      }
      // The end keeps the base's inclusiveness, so the narrowed window is always a subset.
      hours = { from: newFrom, to: newTo, toInclusive: from.hours.toInclusive };
    }
  }

  let limits = from.limits;
  if (narrowing.limits !== undefined) {
    const l = narrowing.limits;
    if (!isPlainObject(l)) {
      errors.push({ field: 'limits', message: 'limits must be an object' });
    } else {
      unknownKeys(l, LIMIT_KEYS, 'limits.', errors);
      const next: { -readonly [K in keyof Limits]: Limits[K] } = { ...from.limits, channelDaily: { ...from.limits.channelDaily } };
      for (const key of COUNT_LIMIT_KEYS) {
        const v = lowerOrEqual(`limits.${key}`, l[key], from.limits[key], errors);
        if (v !== undefined) next[key] = v;
      }
      const wait = l.conversationWaitDays;
      if (wait !== undefined) {
        const baseWait = from.limits.conversationWaitDays;
        if (typeof wait !== 'number' || !Number.isInteger(wait) || wait < 1 || wait > MAX_WAIT_DAYS) {
          errors.push({ field: 'limits.conversationWaitDays', message: `limits.conversationWaitDays must be a whole number from 1 to ${MAX_WAIT_DAYS}` });
        } else if (baseWait != null && wait < baseWait) {
          errors.push({ field: 'limits.conversationWaitDays', message: `limits.conversationWaitDays ${wait} is shorter than the policy's ${baseWait}; a lender may only be stricter` });
        } else next.conversationWaitDays = wait;
      }
      if (l.channelDaily !== undefined) {
        if (!isPlainObject(l.channelDaily)) {
          errors.push({ field: 'limits.channelDaily', message: 'limits.channelDaily must be an object such as { sms: 2 }' });
        } else {
          unknownKeys(l.channelDaily, LIMITED_MESSAGE_CHANNELS, 'limits.channelDaily.', errors);
          const channelDaily: Partial<Record<LimitedMessageChannel, number>> = { ...from.limits.channelDaily };
          for (const ch of LIMITED_MESSAGE_CHANNELS) {
            const v = lowerOrEqual(`limits.channelDaily.${ch}`, l.channelDaily[ch], from.limits.channelDaily[ch], errors);
            if (v !== undefined) channelDaily[ch] = v;
          }
          next.channelDaily = channelDaily;
        }
      }
      limits = next;
    }
  }

  if (errors.length > 0) return { ok: false, errors };
  const { version: _v, ...rest } = from;
  return { ok: true, policy: buildPolicy({ ...rest, hours, limits }) };
}
