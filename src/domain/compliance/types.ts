// The contact request and decision: the JSON contract of COMPLIANCE.md, as types.
import type { Finding } from './screen/index.js';

export const PRESET_NAMES = ['cn', 'us', 'uk'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export const CHANNELS = ['call', 'voice_robot', 'sms', 'email', 'letter', 'visit', 'chat'] as const;
export type Channel = (typeof CHANNELS)[number];

export const PARTIES = ['borrower', 'guarantor', 'third_party'] as const;
export type Party = (typeof PARTIES)[number];

export const PURPOSES = [
  'collection',
  'reminder',
  'locate',
  'support',
  'cease_confirmation',
  'callback',
  'reply',
  'authentication',
  'opt_out_confirmation',
] as const;
export type Purpose = (typeof PURPOSES)[number];

/** COMPLIANCE.md, the Clement floor: the purposes that make a contact a "collection contact". */
export const COLLECTION_PURPOSES: readonly Purpose[] = ['collection', 'reminder', 'locate', 'callback', 'reply'];

export const FLAGS = [
  'cease',
  'dispute',
  'vulnerable',
  'deceased',
  'incapacitated',
  'unreachable',
  'represented',
  'breathing_space',
] as const;
export type Flag = (typeof FLAGS)[number];

export const DIRECTIONS = ['outbound', 'inbound'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const OUTCOMES = [
  'conversation',
  'no_answer',
  'busy',
  'voicemail',
  'wrong_number',
  'delivered',
  'failed',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Local weekdays, Monday first (ISO order). */
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const REASON_CODES = [
  'OUTSIDE_HOURS',
  'DAILY_CONVERSATION_LIMIT',
  'DAILY_ATTEMPT_LIMIT',
  'WEEKLY_CALL_LIMIT',
  'RECENT_CONVERSATION',
  'THIRD_PARTY_NOT_ALLOWED',
  'CEASE_REQUESTED',
  'ATTORNEY_REPRESENTED',
  'DISPUTE_PENDING',
  'CHANNEL_OPTED_OUT',
  'VULNERABLE_PAUSE',
  'BREATHING_SPACE',
  'CAPACITY_PAUSE',
  'DECEASED',
  'PROHIBITED_CONTENT',
  'MISSING_OPT_OUT_NOTICE',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** Codes whose refusal passes with time: the only ones `nextAllowedAt` looks past. */
export const TIME_BOUND_CODES: readonly ReasonCode[] = [
  'OUTSIDE_HOURS',
  'DAILY_CONVERSATION_LIMIT',
  'DAILY_ATTEMPT_LIMIT',
  'WEEKLY_CALL_LIMIT',
  'RECENT_CONVERSATION',
];

/** `HH:mm` local wall time; a preferred window is `[from, to)` and never crosses midnight. */
export interface HoursOfDay {
  readonly from: string;
  readonly to: string;
}

export interface BorrowerInfo {
  readonly timezone: string;
  readonly flags: readonly Flag[];
  readonly optOuts: readonly Channel[];
  readonly preferredHours: HoursOfDay | null;
  readonly quietDays?: readonly Weekday[];
  readonly alsoTimezones?: readonly string[];
}

export interface ContactInfo {
  readonly relation: string;
  readonly refused: boolean;
  readonly timezone?: string;
}

export interface HistoryItem {
  /** ISO 8601 instant with an offset. */
  readonly at: string;
  readonly channel: Channel;
  readonly party: Party;
  readonly number?: string | null;
  readonly direction: Direction;
  readonly outcome: Outcome;
}

export interface ContactRequest {
  /** The preset named in a JSON request; `decide` takes its policy as an argument and ignores this. */
  readonly policy?: PresetName;
  /** ISO 8601 instant with an offset: the gate's only clock. */
  readonly at: string;
  readonly channel: Channel;
  readonly party: Party;
  readonly purpose: Purpose;
  readonly number?: string | null;
  readonly direction: Direction;
  readonly borrower: BorrowerInfo;
  readonly contact: ContactInfo | null;
  readonly history: readonly HistoryItem[];
  readonly content: string | null;
}

export interface Reason {
  readonly code: ReasonCode;
  /** `<preset or floor>.<rule name>`, e.g. `cn.hours`, `floor.vulnerable`. */
  readonly rule: string;
  /** `中文 / English`. */
  readonly message: string;
  /** Only on `PROHIBITED_CONTENT`: what the content screen found. */
  readonly findings?: readonly Finding[];
}

export interface Decision {
  readonly allowed: boolean;
  readonly reasons: readonly Reason[];
  /** ISO 8601 with the borrower's local offset, or null. */
  readonly nextAllowedAt: string | null;
}
