// The compliance gate: decide(request, policy). Pure; `request.at` is the only clock.
// Rules that pass with time (hours, frequency) are evaluated by one function, used both for the
// decision at `at` and for every candidate instant of `nextAllowedAt`, so the two never disagree.
import { messages } from './messages.js';
import type { Policy, PresetPause } from './policy.js';
import { screenContent } from './screen/index.js';
import {
  DAY_MS,
  formatInstant,
  localDay,
  oneYearLater,
  parseHhMm,
  requireInstant,
  timeOfDayMs,
  wallOf,
  wallToInstant,
  weekdayOfDay,
  zoneNamed,
  type Zone,
} from './time.js';
import {
  COLLECTION_PURPOSES,
  REASON_CODES,
  TIME_BOUND_CODES,
  WEEKDAYS,
  type Channel,
  type ContactRequest,
  type Decision,
  type Flag,
  type HistoryItem,
  type Reason,
  type ReasonCode,
} from './types.js';

interface Window {
  readonly start: number;
  readonly end: number;
  readonly endInclusive: boolean;
}

function inWindow(w: Window, tod: number): boolean {
  return tod >= w.start && (w.endInclusive ? tod <= w.end : tod < w.end);
}

const policyWindows = new WeakMap<Policy, Window>();

function policyWindow(policy: Policy): Window {
  let w = policyWindows.get(policy);
  if (!w) {
    const start = parseHhMm(policy.hours.from);
    const end = parseHhMm(policy.hours.to);
    if (start === null || end === null) throw new Error(`policy ${policy.version} has malformed hours`);
    w = { start, end, endInclusive: policy.hours.toInclusive };
    policyWindows.set(policy, w);
  }
  return w;
}

/** Days of counted history items, each a local day number in the zone of the person called. */
interface Counter {
  readonly days: number[];
  readonly limit: number;
}

interface Gate {
  readonly request: ContactRequest;
  readonly policy: Policy;
  readonly atMs: number;
  /** nextAllowedAt is written in the borrower's zone. */
  readonly outZone: Zone;
  /** The zone of the person called: local days for counting, and the first zone for hours. */
  readonly partyZone: Zone;
  readonly hoursApply: boolean;
  readonly hoursZones: readonly Zone[];
  readonly policyWindow: Window;
  readonly preferred: Window | null;
  /** Policy window ∩ preferred window; null when they never overlap. */
  readonly window: Window | null;
  readonly quiet: readonly boolean[] | null;
  readonly allQuiet: boolean;
  readonly conversations: Counter | null;
  readonly attempts: Counter | null;
  readonly weekly: Counter | null;
  readonly channelDaily: Counter | null;
  /** Local day of the latest conversation in either direction, and how many days it blocks calls. */
  readonly lastConversationDay: number | null;
  readonly waitDays: number | null;
  readonly frequencyApplies: boolean;
}

const TIME_BOUND: ReadonlySet<ReasonCode> = new Set(TIME_BOUND_CODES);
const CALL_CHANNELS: ReadonlySet<Channel> = new Set(['call', 'voice_robot']);
// Reg F 1006.14(b)(3)(ii) and comment 14(b)(2)(i)-3.i: calls that never reached the person's number.
const NOT_PLACED_TO_PERSON = new Set(['busy', 'failed', 'wrong_number']);

function intersect(policy: Window, preferred: Window | null): Window | null {
  if (!preferred) return policy;
  const start = Math.max(policy.start, preferred.start);
  let end: number;
  let endInclusive: boolean;
  if (preferred.end < policy.end) {
    end = preferred.end;
    endInclusive = preferred.endInclusive;
  } else if (preferred.end > policy.end) {
    end = policy.end;
    endInclusive = policy.endInclusive;
  } else {
    end = policy.end;
    endInclusive = policy.endInclusive && preferred.endInclusive;
  }
  if (start < end || (start === end && endInclusive)) return { start, end, endInclusive };
  return null;
}

// Reg F 1006.14(b)(2): counts are per person called; a contact is identified by party and number.
function samePerson(item: HistoryItem, request: ContactRequest): boolean {
  if (request.party === 'borrower') return item.party === 'borrower';
  const number = request.number ?? null;
  return item.party === request.party && (number === null || (item.number ?? null) === number);
}

function prepare(request: ContactRequest, policy: Policy): Gate {
  const atMs = requireInstant(request.at, 'request.at');
  const borrower = request.borrower;
  const outZone = zoneNamed(borrower.timezone);
  const toBorrower = request.party === 'borrower';
  // COMPLIANCE.md floor, last bullet: a guarantor or third party is judged in their own zone when known.
  const partyZone = !toBorrower && request.contact?.timezone ? zoneNamed(request.contact.timezone) : outZone;
  const outbound = request.direction === 'outbound';
  const purpose = request.purpose;
  const auth = purpose === 'authentication';

  // Floor, consent: callback and reply are not held to the hours; authentication only to content.
  const hoursApply =
    !auth && outbound && request.channel !== 'letter' && purpose !== 'callback' && purpose !== 'reply';
  const hoursZones: Zone[] = [partyZone];
  let preferred: Window | null = null;
  let quiet: boolean[] | null = null;
  if (toBorrower) {
    // Reg F comment 6(b)(1)(i)-2: more than one zone means inside the hours in every one.
    for (const name of borrower.alsoTimezones ?? []) {
      const z = zoneNamed(name);
      if (!hoursZones.includes(z)) hoursZones.push(z);
    }
    if (borrower.preferredHours) {
      const start = parseHhMm(borrower.preferredHours.from);
      const end = parseHhMm(borrower.preferredHours.to);
      if (start === null || end === null || start >= end) {
        throw new Error('borrower.preferredHours must be "HH:mm" times with from < to');
      }
      preferred = { start, end, endInclusive: false };
    }
    if (borrower.quietDays && borrower.quietDays.length > 0) {
      quiet = WEEKDAYS.map((d) => borrower.quietDays!.includes(d));
    }
  }
  const pw = policyWindow(policy);

  // Floor, consent: a callback is not held to the frequency limits (Reg F 1006.14(b)(3)(i)).
  const frequencyApplies = !auth && outbound && purpose !== 'callback';
  const isCall = CALL_CHANNELS.has(request.channel);
  const limits = policy.limits;
  const conversations =
    frequencyApplies && isCall && toBorrower && limits.dailyConversations !== null
      ? { days: [] as number[], limit: limits.dailyConversations }
      : null;
  const attempts =
    frequencyApplies && isCall && limits.dailyAttemptsPerNumber !== null
      ? { days: [] as number[], limit: limits.dailyAttemptsPerNumber }
      : null;
  const weekly =
    frequencyApplies && isCall && limits.weeklyCalls !== null ? { days: [] as number[], limit: limits.weeklyCalls } : null;
  const waitDays = frequencyApplies && isCall ? limits.conversationWaitDays : null;
  const channelLimit =
    frequencyApplies && (request.channel === 'sms' || request.channel === 'email')
      ? limits.channelDaily[request.channel]
      : undefined;
  const channelDaily = channelLimit !== undefined ? { days: [] as number[], limit: channelLimit } : null;

  let lastConversationDay: number | null = null;
  if (conversations || attempts || weekly || waitDays !== null || channelDaily) {
    const number = request.number ?? null;
    for (const item of request.history) {
      const itemIsCall = CALL_CHANNELS.has(item.channel);
      if (!itemIsCall && item.channel !== request.channel) continue;
      const ts = requireInstant(item.at, 'history[].at');
      if (ts > atMs) continue; // the request's `at` is the clock: later items have not happened
      const day = localDay(ts, partyZone);
      const itemOutbound = item.direction === 'outbound';
      if (itemIsCall) {
        if (conversations && itemOutbound && item.party === 'borrower' && item.outcome === 'conversation') {
          conversations.days.push(day);
        }
        // GB/T 45251: every attempt to the number counts, whatever its outcome or party.
        if (attempts && itemOutbound && (number === null ? samePerson(item, request) : (item.number ?? null) === number)) {
          attempts.days.push(day);
        }
        if (weekly && itemOutbound && samePerson(item, request) && !NOT_PLACED_TO_PERSON.has(item.outcome)) {
          weekly.days.push(day);
        }
        // Reg F 1006.14(b)(2)(ii): a conversation in either direction starts the wait.
        if (waitDays !== null && item.outcome === 'conversation' && samePerson(item, request)) {
          if (lastConversationDay === null || day > lastConversationDay) lastConversationDay = day;
        }
      } else if (channelDaily && itemOutbound && samePerson(item, request)) {
        channelDaily.days.push(day);
      }
    }
  }

  return {
    request,
    policy,
    atMs,
    outZone,
    partyZone,
    hoursApply,
    hoursZones,
    policyWindow: pw,
    preferred,
    window: intersect(pw, preferred),
    quiet,
    allQuiet: quiet !== null && quiet.every(Boolean),
    conversations,
    attempts,
    weekly,
    channelDaily,
    lastConversationDay,
    waitDays,
    frequencyApplies: !!(conversations || attempts || weekly || waitDays !== null || channelDaily),
  };
}

const CODE_INDEX = Object.fromEntries(REASON_CODES.map((code, i) => [code, i])) as Record<ReasonCode, number>;

class Reasons {
  // Indexed by position in REASON_CODES, so the list comes out in the documented order.
  private readonly slots: (Reason | undefined)[] = [];
  size = 0;
  onlyTimeBound = true;
  add(reason: Reason): void {
    const i = CODE_INDEX[reason.code];
    // One reason per code: the first rule to give it (preset rules are checked before the floor).
    if (this.slots[i] !== undefined) return;
    this.slots[i] = reason;
    this.size++;
    if (!TIME_BOUND.has(reason.code)) this.onlyTimeBound = false;
  }
  list(): Reason[] {
    const out: Reason[] = [];
    for (const r of this.slots) if (r !== undefined) out.push(r);
    return out;
  }
}

function countOn(days: readonly number[], from: number, to: number): number {
  let n = 0;
  for (const d of days) if (d >= from && d <= to) n++;
  return n;
}

function fmt(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** The first hours rule that fails at `t`, as a reason when `collect`, else just `true`; null when in hours. */
function hoursFailure(g: Gate, t: number, collect: boolean): Reason | true | null {
  if (g.window === null) {
    // Floor: preferred hours that never meet the policy's window refuse for good.
    if (!collect) return true;
    const p = g.request.borrower.preferredHours!;
    return {
      code: 'OUTSIDE_HOURS',
      rule: 'floor.preferred_hours',
      message: messages.preferredHoursNeverOpen(p.from, p.to, g.policy.hours.from, g.policy.hours.to),
    };
  }
  for (let i = 0; i < g.hoursZones.length; i++) {
    const zone = g.hoursZones[i];
    const wall = wallOf(t, zone);
    const tod = timeOfDayMs(wall);
    let failure: Reason | null | true = null;
    // GB/T 45251-2025 (08:00-22:00); Reg F 1006.6(b)(1)(i) (08:00-21:00); CONC 7.9 (lender's window).
    if (!inWindow(g.policyWindow, tod)) {
      failure = collect
        ? {
            code: 'OUTSIDE_HOURS',
            rule: `${g.policy.preset}.hours`,
            message: messages.outsideHours(g.policy.hours.from, g.policy.hours.to),
          }
        : true;
    } else if (g.preferred && !inWindow(g.preferred, tod)) {
      // Floor (CONC 7.9 for uk): the borrower's own window narrows the hours.
      failure = collect
        ? {
            code: 'OUTSIDE_HOURS',
            rule: 'floor.preferred_hours',
            message: messages.outsidePreferredHours(fmt(g.preferred.start), fmt(g.preferred.end)),
          }
        : true;
    } else if (g.quiet && g.quiet[weekdayOfDay(Math.floor(wall / DAY_MS))]) {
      // Floor: the borrower's quiet days are outside the hours.
      failure = collect
        ? {
            code: 'OUTSIDE_HOURS',
            rule: 'floor.quiet_days',
            message: messages.quietDay(WEEKDAYS[weekdayOfDay(Math.floor(wall / DAY_MS))]),
          }
        : true;
    }
    if (failure !== null) {
      if (i === 0 || failure === true) return failure;
      return {
        code: 'OUTSIDE_HOURS',
        rule: 'floor.also_timezones',
        message: messages.otherTimezone(zone.name),
      };
    }
  }
  return null;
}

/**
 * Hours and frequency at instant `t`. Without `out` it answers only whether all pass, stopping
 * at the first failure; with `out` it records every failure as a reason.
 */
function timeBoundPass(g: Gate, t: number, out: Reasons | null): boolean {
  let ok = true;
  const preset = g.policy.preset;

  if (g.hoursApply) {
    const hoursFail = hoursFailure(g, t, out !== null);
    if (hoursFail !== null) {
      if (!out) return false;
      ok = false;
      out.add(hoursFail as Reason);
    }
  }

  if (!g.frequencyApplies) return ok;
  const day = localDay(t, g.partyZone);

  // GB/T 45251-2025: at most 3 effective conversations with the borrower per local day.
  const c = g.conversations;
  if (c && countOn(c.days, day, day) >= c.limit) {
    if (!out) return false;
    ok = false;
    out.add({ code: 'DAILY_CONVERSATION_LIMIT', rule: `${preset}.daily_conversations`, message: messages.dailyConversations(c.limit) });
  }
  // GB/T 45251-2025: at most 6 call attempts per local day to one number.
  const a = g.attempts;
  if (a && countOn(a.days, day, day) >= a.limit) {
    if (!out) return false;
    ok = false;
    out.add({ code: 'DAILY_ATTEMPT_LIMIT', rule: `${preset}.attempts_per_number`, message: messages.dailyAttempts(a.limit) });
  }
  // Lender narrowing (COMPLIANCE.md floor): daily messages per channel per person.
  const m = g.channelDaily;
  if (m && countOn(m.days, day, day) >= m.limit) {
    if (!out) return false;
    ok = false;
    out.add({
      code: 'DAILY_ATTEMPT_LIMIT',
      rule: `${preset}.channel_daily_limit`,
      message: messages.channelDaily(g.request.channel, m.limit),
    });
  }
  // Reg F 12 CFR 1006.14(b)(2)(i)(A): presumption of 7 calls within 7 consecutive days.
  const w = g.weekly;
  if (w && countOn(w.days, day - 6, day) >= w.limit) {
    if (!out) return false;
    ok = false;
    out.add({ code: 'WEEKLY_CALL_LIMIT', rule: `${preset}.weekly_calls`, message: messages.weeklyCalls(w.limit) });
  }
  // Reg F 12 CFR 1006.14(b)(2)(i)(B): no call within 7 days after a telephone conversation.
  if (g.waitDays !== null && g.lastConversationDay !== null && day - g.lastConversationDay < g.waitDays) {
    if (!out) return false;
    ok = false;
    out.add({ code: 'RECENT_CONVERSATION', rule: `${preset}.conversation_wait`, message: messages.recentConversation(g.waitDays) });
  }
  return ok;
}

function citeAs(policy: Policy, pause: PresetPause): string {
  return policy.presetPauses.includes(pause) ? policy.preset : 'floor';
}

function borrowerUnavailable(flags: readonly Flag[]): boolean {
  return flags.includes('unreachable') || flags.includes('deceased') || flags.includes('incapacitated');
}

function personRules(g: Gate, out: Reasons): void {
  const { request, policy } = g;
  const preset = policy.preset;
  const flags = request.borrower.flags;
  const toBorrower = request.party === 'borrower';
  const collection = COLLECTION_PURPOSES.includes(request.purpose);

  if (request.party === 'third_party') {
    // cn GB/T 45251 and NIFA 公约; us 1006.6(d), FDCPA 1692b; uk CONC 7: third parties only to locate.
    let message: string | null = null;
    if (request.purpose !== 'locate') message = messages.thirdPartyPurpose();
    else if (request.contact?.refused) message = messages.thirdPartyRefused();
    else if (policy.thirdPartyNeedsUnavailableBorrower && !borrowerUnavailable(flags)) {
      message = messages.thirdPartyBorrowerReachable();
    }
    if (message) out.add({ code: 'THIRD_PARTY_NOT_ALLOWED', rule: `${preset}.third_party`, message });
  }

  if (toBorrower && flags.includes('cease')) {
    if (policy.cease === 'written_only') {
      // cn GB/T 45251, uk CONC 7: after a request to stop, only writing (letter, email) remains.
      if (request.channel !== 'letter' && request.channel !== 'email') {
        out.add({ code: 'CEASE_REQUESTED', rule: `${preset}.cease`, message: messages.ceaseWritten() });
      }
    } else if (!(request.channel === 'letter' && request.purpose === 'cease_confirmation')) {
      // Reg F 12 CFR 1006.6(c): after a written cease request, only the confirming letter.
      out.add({ code: 'CEASE_REQUESTED', rule: `${preset}.cease`, message: messages.ceaseLetterOnly() });
    }
  }

  // FDCPA 1692c(a)(2); Clement floor: no contact with a represented borrower.
  if (toBorrower && flags.includes('represented')) {
    out.add({ code: 'ATTORNEY_REPRESENTED', rule: `${citeAs(policy, 'represented')}.represented`, message: messages.represented() });
  }
  // Reg F 1006.38, CONC 7.14, floor: a pending dispute pauses collection with every party.
  if (collection && flags.includes('dispute')) {
    out.add({ code: 'DISPUTE_PENDING', rule: `${citeAs(policy, 'dispute')}.dispute`, message: messages.dispute() });
  }
  // Floor: an opted-out channel is never used; a call opt-out covers robot calls.
  if (toBorrower && request.purpose !== 'opt_out_confirmation') {
    const optOuts = request.borrower.optOuts;
    if (optOuts.includes(request.channel) || (request.channel === 'voice_robot' && optOuts.includes('call'))) {
      out.add({ code: 'CHANNEL_OPTED_OUT', rule: 'floor.opt_out', message: messages.optedOut(request.channel) });
    }
  }
  // Floor: a person in crisis gets support, not collection.
  if (toBorrower && collection && flags.includes('vulnerable')) {
    out.add({ code: 'VULNERABLE_PAUSE', rule: 'floor.vulnerable', message: messages.vulnerable() });
  }
  // Debt Respite Scheme Regulations 2020; floor: breathing space pauses collection with every party.
  if (collection && flags.includes('breathing_space')) {
    out.add({ code: 'BREATHING_SPACE', rule: `${citeAs(policy, 'breathing_space')}.breathing_space`, message: messages.breathingSpace() });
  }
  // CONC 7.10; floor: no collection while the borrower may lack mental capacity.
  if (toBorrower && collection && flags.includes('incapacitated')) {
    out.add({ code: 'CAPACITY_PAUSE', rule: `${citeAs(policy, 'capacity')}.capacity`, message: messages.capacity() });
  }
  // Floor: no contact at all with a deceased borrower.
  if (toBorrower && flags.includes('deceased')) {
    out.add({ code: 'DECEASED', rule: 'floor.deceased', message: messages.deceased() });
  }
}

// Reg F 1006.6(e): a reply word or the words unsubscribe / opt out; in Chinese 退订 or 回复TD.
const UPPERCASE_STOP = /\bSTOP\b/;
const OPT_OUT_NOTICE_CI = /\b(?:reply|text|send)\s+["'“]?stop\b|unsubscribe|\bopt[\s-]?out\b|退订|回复\s*TD/i;

export function hasOptOutNotice(text: string): boolean {
  // "STOP" must be the capitalised reply word; a lower-case "stop" counts only after reply/text/send.
  return UPPERCASE_STOP.test(text) || OPT_OUT_NOTICE_CI.test(text);
}

function contentRules(g: Gate, out: Reasons): void {
  const { request, policy } = g;
  const content = request.content;
  if (content === null || content === undefined) return;
  // Floor: content that threatens, insults, deceives or discloses is never sent.
  const findings = screenContent(content, { audience: request.party });
  if (findings.length > 0) {
    const categories = [...new Set(findings.map((f) => f.category))];
    out.add({
      code: 'PROHIBITED_CONTENT',
      rule: 'floor.content',
      message: messages.prohibitedContent(categories),
      findings,
    });
  }
  // Reg F 12 CFR 1006.6(e): every electronic message tells how to opt out. A sign-in code is
  // not a communication in connection with the debt, and takes only the content screen.
  if (
    policy.electronicOptOutNotice &&
    request.purpose !== 'authentication' &&
    (request.channel === 'sms' || request.channel === 'email') &&
    !hasOptOutNotice(content)
  ) {
    out.add({ code: 'MISSING_OPT_OUT_NOTICE', rule: `${policy.preset}.electronic_opt_out`, message: messages.missingOptOutNotice() });
  }
}

/** One lazily generated, strictly increasing series of instants: a local wall time each local day. */
class DailySeries {
  private day: number;
  value: number;
  constructor(
    private readonly zone: Zone,
    private readonly timeOfDay: number,
    after: number,
  ) {
    this.day = localDay(after, zone);
    this.value = wallToInstant(zone, this.day * DAY_MS + timeOfDay);
    while (this.value <= after) this.advance();
  }
  advance(): void {
    this.day++;
    this.value = wallToInstant(this.zone, this.day * DAY_MS + this.timeOfDay);
  }
}

/**
 * The earliest instant after `at` at which hours and frequency pass. Passing can only begin at
 * a window start in some zone (hours open) or at a local midnight in the counting zone (a
 * history item stops counting), so only those candidates are tried, in order.
 */
function searchNextAllowed(g: Gate): number | null {
  if (g.hoursApply && (g.window === null || g.allQuiet)) return null;
  const series: DailySeries[] = [];
  if (g.hoursApply) for (const z of g.hoursZones) series.push(new DailySeries(z, g.window!.start, g.atMs));
  if (g.frequencyApplies) series.push(new DailySeries(g.partyZone, 0, g.atMs));
  if (series.length === 0) return null;
  // "Within a year" is a local calendar year; worked out only when the search gets that far.
  const nearLimit = g.atMs + 364 * DAY_MS;
  let limit = Infinity;
  for (;;) {
    let next = Infinity;
    for (const s of series) if (s.value < next) next = s.value;
    if (next > nearLimit) {
      if (limit === Infinity) limit = oneYearLater(g.atMs, g.outZone);
      if (next > limit) return null;
    }
    for (const s of series) if (s.value === next) s.advance();
    if (timeBoundPass(g, next, null)) return next;
  }
}

/** The gate. Every applicable reason, and when only time stands in the way, when it will not. */
export function decide(request: ContactRequest, policy: Policy): Decision {
  const g = prepare(request, policy);
  const reasons = new Reasons();
  // Authentication (a sign-in code the borrower asked for): only the content rules apply.
  if (request.purpose !== 'authentication') personRules(g, reasons);
  contentRules(g, reasons);
  timeBoundPass(g, g.atMs, reasons);
  if (reasons.size === 0) return { allowed: true, reasons: [], nextAllowedAt: null };

  let nextAllowedAt: string | null = null;
  if (reasons.onlyTimeBound) {
    const next = searchNextAllowed(g);
    if (next !== null) nextAllowedAt = formatInstant(next, g.outZone);
  }
  return { allowed: false, reasons: reasons.list(), nextAllowedAt };
}

/**
 * Whether the same request would pass the hours and frequency rules at `instant` (ISO), with the
 * same history. The function `nextAllowedAt` is built on; exported for tests and for planners.
 */
export function passesTimeRules(request: ContactRequest, policy: Policy, instant: string): boolean {
  const g = prepare(request, policy);
  return timeBoundPass(g, requireInstant(instant, 'instant'), null);
}
