export { chineseIdCheckDigit, validateChineseIdNumber, EARLIEST_BIRTH_YEAR } from './chinese-id.js';
export { validateE164 } from './e164.js';
export type { Validation } from './validation.js';
