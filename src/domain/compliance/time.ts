// Instants and local wall time, fast. The gate is called for every dial and every message, so
// offsets come from luxon's IANAZone (cached per name) behind a per-hour cache, and local days
// are plain arithmetic on epoch milliseconds.
import { IANAZone } from 'luxon';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export interface Zone {
  readonly name: string;
  /** UTC offset in minutes at the instant `ts`. */
  offset(ts: number): number;
}

const MAX_CACHED_HOURS = 100_000;

class CachedZone implements Zone {
  private readonly hours = new Map<number, number>();
  constructor(
    readonly name: string,
    private readonly iana: IANAZone,
  ) {}

  offset(ts: number): number {
    const hour = Math.floor(ts / HOUR_MS);
    const hit = this.hours.get(hour);
    if (hit !== undefined) return hit;
    const start = hour * HOUR_MS;
    const atStart = this.iana.offset(start);
    const atEnd = this.iana.offset(start + HOUR_MS - 1);
    // An hour with a transition inside is never cached: its offset depends on the minute.
    if (atStart !== atEnd) return this.iana.offset(ts);
    if (this.hours.size >= MAX_CACHED_HOURS) this.hours.clear();
    this.hours.set(hour, atStart);
    return atStart;
  }
}

const zones = new Map<string, Zone>();

/** A cached zone; throws for a name that is not an IANA zone (the request schema refuses those first). */
export function zoneNamed(name: string): Zone {
  const cached = zones.get(name);
  if (cached) return cached;
  if (!IANAZone.isValidZone(name)) throw new Error(`not an IANA time zone: ${name}`);
  const zone = new CachedZone(name, IANAZone.create(name));
  zones.set(name, zone);
  return zone;
}

export function isValidZoneName(name: string): boolean {
  return zones.has(name) || IANAZone.isValidZone(name);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  if (month === 2 && (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return 29;
  return MONTH_DAYS[month - 1];
}

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Reads `count` ASCII digits at `at`, or -1. */
function digits(s: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * Epoch milliseconds of an ISO 8601 instant that carries its offset, or null. A string without
 * an offset is refused: reading it in the process's own zone would make the domain depend on env.
 * Parsed by hand, without a regular expression: every history item of every decision comes here.
 * Accepts `YYYY-MM-DDTHH:mm[:ss[.fraction]]` then `Z` or `±HH[[:]mm]`.
 */
export function parseInstant(iso: string): number | null {
  const len = iso.length;
  if (len < 17) return null;
  const year = digits(iso, 0, 4);
  const month = digits(iso, 5, 2);
  const day = digits(iso, 8, 2);
  const hour = digits(iso, 11, 2);
  const minute = digits(iso, 14, 2);
  const t = iso.charCodeAt(10);
  if (iso.charCodeAt(4) !== 45 || iso.charCodeAt(7) !== 45 || (t !== 84 && t !== 116) || iso.charCodeAt(13) !== 58) return null;
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return null;
  let i = 16;
  let second = 0;
  let ms = 0;
  if (iso.charCodeAt(i) === 58 /* : */) {
    second = digits(iso, i + 1, 2);
    if (second < 0 || second > 59) return null;
    i += 3;
    const sep = iso.charCodeAt(i);
    if (sep === 46 /* . */ || sep === 44 /* , */) {
      i++;
      const fracStart = i;
      let scale = 100;
      while (i < len) {
        const c = iso.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        ms += c * scale;
        scale /= 10;
        i++;
      }
      ms = Math.floor(ms);
      if (i === fracStart || i - fracStart > 9) return null;
    }
  }
  let offsetMin = 0;
  const z = iso.charCodeAt(i);
  if (z === 90 || z === 122) {
    if (i + 1 !== len) return null;
  } else if (z === 43 || z === 45) {
    const oh = digits(iso, i + 1, 2);
    let om = 0;
    const rest = len - (i + 3);
    if (rest === 3 && iso.charCodeAt(i + 3) === 58) om = digits(iso, i + 4, 2);
    else if (rest === 2) om = digits(iso, i + 3, 2);
    else if (rest !== 0) return null;
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return null;
    offsetMin = (z === 45 ? -1 : 1) * (oh * 60 + om);
  } else return null;
  const wall = daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
  return wall - offsetMin * MINUTE_MS;
}

export function requireInstant(iso: string, what: string): number {
  const ts = parseInstant(iso);
  if (ts === null) throw new Error(`${what} is not an ISO 8601 instant with an offset: ${iso}`);
  return ts;
}

/** Local wall time as if it were UTC: the arithmetic base for local days and times of day. */
export function wallOf(ts: number, zone: Zone): number {
  return ts + zone.offset(ts) * MINUTE_MS;
}

/** Days since 1970-01-01 in the zone's calendar. */
export function localDay(ts: number, zone: Zone): number {
  return Math.floor(wallOf(ts, zone) / DAY_MS);
}

/** Monday = 0 … Sunday = 6; 1970-01-01 was a Thursday. */
export function weekdayOfDay(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** Milliseconds since local midnight. */
export function timeOfDayMs(wall: number): number {
  return wall - Math.floor(wall / DAY_MS) * DAY_MS;
}

/**
 * The earliest instant whose local wall time in `zone` is `wall` (as epoch-like ms). In an
 * overlap (clocks going back) that is the first occurrence; in a gap (clocks going forward),
 * where the wall time never happens, it is the transition itself: the first valid local time
 * after it.
 */
export function wallToInstant(zone: Zone, wall: number): number {
  const before = zone.offset(wall - DAY_MS);
  const after = zone.offset(wall + DAY_MS);
  const tBefore = wall - before * MINUTE_MS;
  const tAfter = wall - after * MINUTE_MS;
  const beforeOk = zone.offset(tBefore) === before;
  const afterOk = zone.offset(tAfter) === after;
  if (beforeOk && afterOk) return Math.min(tBefore, tAfter);
  if (beforeOk) return tBefore;
  if (afterOk) return tAfter;
  // In a gap: find the first instant that has the later offset.
  let lo = Math.min(tBefore, tAfter);
  let hi = Math.max(tBefore, tAfter);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (zone.offset(mid) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The instant of local midnight starting local day `day`. */
export function startOfLocalDay(zone: Zone, day: number): number {
  return wallToInstant(zone, day * DAY_MS);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** ISO 8601 with the zone's offset at that instant, e.g. `2026-03-03T08:00:00+08:00`. */
export function formatInstant(ts: number, zone: Zone): string {
  const offset = zone.offset(ts);
  const d = new Date(ts + offset * MINUTE_MS);
  const ms = d.getUTCMilliseconds();
  const abs = Math.abs(offset);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
    (ms ? `.${pad(ms, 3)}` : '') +
    `${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** The same local wall time one calendar year later (29 February becomes 28 February). */
export function oneYearLater(ts: number, zone: Zone): number {
  const d = new Date(wallOf(ts, zone));
  const year = d.getUTCFullYear() + 1;
  const month = d.getUTCMonth();
  const day = Math.min(d.getUTCDate(), daysInMonth(year, month + 1));
  const wall = Date.UTC(year, month, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
  return wallToInstant(zone, wall);
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Milliseconds since midnight of an `HH:mm` time, or null. */
export function parseHhMm(text: string): number | null {
  const m = HH_MM.exec(text);
  if (!m) return null;
  return (Number(m[1]) * 60 + Number(m[2])) * MINUTE_MS;
}
