import { describe, expect, it } from 'vitest';
import { validateE164 } from './e164.js';

describe('validateE164', () => {
  it.each([
    ['+8613800000001', 'mainland mobile'],
    ['+8619912345678', 'mainland mobile, 19x'],
    ['+862112345678', 'Shanghai landline, 10 digits'],
    ['+8675512345678', 'Shenzhen landline, 11 digits'],
    ['+861012345678', 'Beijing landline, area code 010'],
    ['+14155552671', 'US'],
    ['+442071838750', 'UK'],
    ['+85291234567', 'Hong Kong, 8 national digits'],
    ['+12345678', 'shortest: 8 digits'],
    ['+123456789012345', 'longest: 15 digits'],
  ])('accepts %s (%s)', (phone) => {
    expect(validateE164(phone)).toEqual({ ok: true });
  });

  it.each([
    ['', 'must start with +'],
    ['8613800000001', 'must start with +'],
    ['+86 138 0000 0001', 'must contain only digits after +, without spaces or dashes'],
    ['+86-13800000001', 'must contain only digits after +, without spaces or dashes'],
    ['+', 'must contain only digits after +, without spaces or dashes'],
    ['+1234567', 'must have 8-15 digits after +, got 7'],
    ['+1234567890123456', 'must have 8-15 digits after +, got 16'],
    ['+0123456789', 'country code cannot start with 0'],
    ['+86138000000012', 'a mainland mobile number after +86 must have 11 digits, got 12'],
    ['+861380000000', 'a mainland mobile number after +86 must have 11 digits, got 10'],
    ['+86101234567', 'a mainland mobile number after +86 must have 11 digits, got 9'],
    ['+86021123456789', 'drop the trunk prefix 0 after +86'],
    ['+86211234567', 'a mainland landline after +86 must have 10-11 digits, got 9'],
    ['+86755123456789', 'a mainland landline after +86 must have 10-11 digits, got 12'],
  ])('rejects %j: %s', (phone, reason) => {
    expect(validateE164(phone)).toEqual({ ok: false, reason });
  });
});
