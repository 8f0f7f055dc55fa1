import { invalid, VALID, type Validation } from './validation.js';

// ITU-T E.164: at most 15 digits including the country code, which never starts with 0.
// 8 is the shortest length we accept (small countries' numbers with their country code).
const MIN_DIGITS = 8;
const MAX_DIGITS = 15;

/**
 * Checks a phone number in E.164 form: `+`, then 8-15 digits, the first not 0, no spaces.
 *
 * For mainland China (+86) the national number is checked too:
 * - mobiles: 11 digits starting with 1 (`+8613812345678`);
 * - landlines: area code without the trunk 0 plus the local number, 10-11 digits starting 2-9
 *   (`+862112345678` Shanghai, `+8675512345678` Shenzhen), or 10 digits starting 10 for Beijing,
 *   whose area code 010 is the only one beginning with 1 (`+861012345678`).
 */
export function validateE164(s: string): Validation {
  if (typeof s !== 'string') return invalid('must be a string');
  if (!s.startsWith('+')) return invalid('must start with +');
  const digits = s.slice(1);
  if (!/^\d+$/.test(digits)) return invalid('must contain only digits after +, without spaces or dashes');
  if (digits.length < MIN_DIGITS || digits.length > MAX_DIGITS) {
    return invalid(`must have ${MIN_DIGITS}-${MAX_DIGITS} digits after +, got ${digits.length}`);
  }
  if (digits[0] === '0') return invalid('country code cannot start with 0');
  if (digits.startsWith('86')) return validateMainlandNational(digits.slice(2));
  return VALID;
}

function validateMainlandNational(national: string): Validation {
  if (national.startsWith('0')) return invalid('drop the trunk prefix 0 after +86');
  if (national.startsWith('10') && national.length === 10) return VALID; // Beijing landline, area code 010
  if (national.startsWith('1')) {
    return national.length === 11
      ? VALID
      : invalid(`a mainland mobile number after +86 must have 11 digits, got ${national.length}`);
  }
  if (national.length === 10 || national.length === 11) return VALID;
  return invalid(`a mainland landline after +86 must have 10-11 digits, got ${national.length}`);
}
