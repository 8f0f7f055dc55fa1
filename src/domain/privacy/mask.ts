// How personal data is shown to someone who has not revealed it: enough to recognise, not to use.

/** +8613812345678 → 138****5678; other numbers keep their first three and last four digits. */
export function maskPhone(e164: string): string {
  const national = e164.startsWith('+86') ? e164.slice(3) : e164.replace(/^\+/, '');
  if (national.length <= 7) return '*'.repeat(national.length);
  return `${national.slice(0, 3)}${'*'.repeat(national.length - 7)}${national.slice(-4)}`;
}

/** 440106199001011234 → 4401**********1234. */
export function maskIdNumber(id: string): string {
  if (id.length <= 8) return '*'.repeat(id.length);
  return `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
}

/** zhang@example.com → z***@example.com. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** Keeps the first six characters (province and city in a Chinese address). */
export function maskAddress(address: string): string {
  const chars = [...address];
  return chars.length <= 6 ? '****' : `${chars.slice(0, 6).join('')}****`;
}

export const PERSONAL_FIELDS = ['idNumber', 'phone', 'email', 'address'] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

export const MASKS: Readonly<Record<PersonalField, (v: string) => string>> = {
  idNumber: maskIdNumber,
  phone: maskPhone,
  email: maskEmail,
  address: maskAddress,
};
