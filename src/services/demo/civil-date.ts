// Calendar dates as day numbers (days since 1970-01-01). Pure arithmetic on the proleptic
// Gregorian calendar; no clock and no time zone is involved.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export type DayNumber = number;

// Integer algorithms from Howard Hinnant's "chrono-Compatible Low-Level Date Algorithms":
// no Date objects, which matters when a million borrowers' schedules are built.
export function dayNumber(year: number, month: number, day: number): DayNumber {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export function civil(dayNo: DayNumber): { year: number; month: number; day: number } {
  const z = dayNo + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  if (month === 2 && ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0)) return 29;
  return DAYS_IN_MONTH[month - 1];
}

/** Parses YYYY-MM-DD, refusing dates that do not exist. */
export function parseIsoDate(text: string): DayNumber | undefined {
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return dayNumber(year, month, day);
}

export function formatIsoDate(day: DayNumber): string {
  const c = civil(day);
  return `${String(c.year).padStart(4, '0')}-${pad2(c.month)}-${pad2(c.day)}`;
}

export function formatCompactDate(day: DayNumber): string {
  return formatIsoDate(day).replaceAll('-', '');
}

/**
 * The same day of the month `months` later (or earlier), clamped to the end of a shorter month:
 * Jan 31 + 1 → Feb 28 (29 in leap years), Jan 31 + 2 → Mar 31.
 */
export function addMonthsClamped(day: DayNumber, months: number): DayNumber {
  const c = civil(day);
  const index = c.year * 12 + (c.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return dayNumber(year, month, Math.min(c.day, daysInMonth(year, month)));
}

export function addYearsClamped(day: DayNumber, years: number): DayNumber {
  return addMonthsClamped(day, years * 12);
}

export function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
