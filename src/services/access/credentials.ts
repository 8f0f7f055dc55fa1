// Secrets and their hashes. Passwords: argon2id with the library's defaults (19 MiB, 2 passes,
// the OWASP minimum). Session cookies and API tokens: 32 random bytes, stored as SHA-256 only,
// which is enough for values with 256 bits of entropy (no salt or slow hash needed).
import { createHash, randomBytes } from 'node:crypto';
import { Algorithm, hash, verify } from '@node-rs/argon2';

/** API tokens start with this, so a leaked one is easy to recognise (secret scanners, logs). */
export const API_TOKEN_PREFIX = 'clm_';
const API_TOKEN = /^clm_[A-Za-z0-9_-]{43}$/;

export const hashPassword = (password: string): Promise<string> => hash(password, { algorithm: Algorithm.Argon2id });

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | null = null;
/** Spends the time of a real check when there is no user, so timing does not tell which usernames exist. */
export async function verifyNobody(password: string): Promise<false> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(await dummy, password);
  return false;
}

export const sha256 = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

export const newSessionToken = (): string => randomBytes(32).toString('base64url');

export const newApiToken = (): string => `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;

export const looksLikeApiToken = (value: string): boolean => API_TOKEN.test(value);

/** 24 characters from 18 random bytes (144 bits): shown once, never stored. */
export const newPassword = (): string => randomBytes(18).toString('base64url');
