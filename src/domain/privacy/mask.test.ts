import { describe, expect, it } from 'vitest';
import { maskAddress, maskEmail, maskIdNumber, maskPhone } from './mask.js';

describe('masks', () => {
  it.each([
    ['+8613812345678', '138****5678'],
    ['+14155550123', '141****0123'],
    ['+861012345678', '101***5678'],
  ])('phone %s → %s', (v, m) => expect(maskPhone(v)).toBe(m));
  it('ID number keeps four at each end', () => expect(maskIdNumber('440106199001011234')).toBe('4401**********1234'));
  it('email keeps the first letter and the domain', () => expect(maskEmail('zhang@example.com')).toBe('z***@example.com'));
  it('address keeps province and city', () => expect(maskAddress('广东省广州市天河区体育西路1号')).toBe('广东省广州市****'));
});
