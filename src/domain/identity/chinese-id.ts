import { invalid, VALID, type Validation } from './validation.js';

// GB 11643-1999 公民身份号码: 6-digit address code, 8-digit birth date (YYYYMMDD),
// 3-digit sequence code (odd = male), 1 check character (ISO 7064 MOD 11-2).
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';
const SEVENTEEN_DIGITS = /^\d{17}$/;

/** Earliest birth year accepted; a sanity bound that still admits the standard's own example (born 1880). */
export const EARLIEST_BIRTH_YEAR = 1800;

/** The 18th character for the first 17 digits. Throws if given anything but 17 digits (a programmer error). */
export function chineseIdCheckDigit(first17: string): string {
  if (!SEVENTEEN_DIGITS.test(first17)) {
    throw new TypeError('chineseIdCheckDigit expects exactly 17 digits');
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK_CHARACTERS[sum % 11];
}

/**
 * Checks an 18-character resident identity number: digits, a real birth date at characters 7-14
 * (year from 1800) and the check character; a lower-case x is accepted as X. The address code is only
 * required not to start with 0: the same format serves Hong Kong/Macau/Taiwan residence permits (81/82/83)
 * and the 2023 foreigners' permanent residence card (leading 9), and county codes change over the years.
 * Without a clock, a birth date in the future is not detected here.
 */
export function validateChineseIdNumber(s: string): Validation {
  if (typeof s !== 'string') return invalid('must be a string');
  if (s.length !== 18) return invalid(`must be 18 characters, got ${s.length}`);
  const first17 = s.slice(0, 17);
  if (!SEVENTEEN_DIGITS.test(first17)) return invalid('characters 1-17 must be digits');
  const last = s[17] === 'x' ? 'X' : s[17];
  if (!/^[\dX]$/.test(last)) return invalid('character 18 must be a digit or X');
  if (s[0] === '0') return invalid('address code (characters 1-6) cannot start with 0');

  const birth = s.slice(6, 14);
  const year = Number(birth.slice(0, 4));
  const month = Number(birth.slice(4, 6));
  const day = Number(birth.slice(6, 8));
  if (!isRealDate(year, month, day)) return invalid("the birth date (characters 7-14) is not a real date");
  if (year < EARLIEST_BIRTH_YEAR) return invalid(`the birth year is before ${EARLIEST_BIRTH_YEAR}`);

  const expected = chineseIdCheckDigit(first17);
  if (last !== expected) return invalid(`check digit should be ${expected}`);
  return VALID;
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
