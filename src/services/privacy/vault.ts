// Personal data at rest: AES-256-GCM with a key id on every value, so keys can rotate, and an
// HMAC blind index so a phone or ID number can be found and compared without decrypting.
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Vault {
  /** The id of the key new values are encrypted with. */
  readonly currentKeyId: string;
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
  /** The id of the key a sealed value was encrypted with. */
  keyIdOf(sealed: string): string;
  /** Deterministic, keyed: equal inputs give equal outputs; reveals nothing without the key. */
  index(plain: string): string;
}

const VERSION = 'v1';

function keyId(master: Buffer): string {
  return `k${createHash('sha256').update(master).digest('hex').slice(0, 8)}`;
}

function derive(master: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
}

/**
 * A vault over master keys, newest first. The newest encrypts; every one decrypts. The blind
 * index is keyed from the oldest, which therefore stays in the list: rotation re-encrypts values
 * but leaves the index (and every lookup) unchanged.
 */
export function createVault(masters: readonly Buffer[]): Vault {
  if (masters.length === 0) throw new Error('at least one key is required');
  for (const m of masters) if (m.length !== 32) throw new Error('each key must be 32 bytes (base64 of 32 random bytes)');
  const keys = new Map(masters.map((m) => [keyId(m), derive(m, 'clement/data-encryption')]));
  const current = keyId(masters[0]!);
  const indexKey = derive(masters[masters.length - 1]!, 'clement/blind-index');
  const currentKey = keys.get(current)!;

  return {
    currentKeyId: current,
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', currentKey, iv);
      // The key id is bound to the ciphertext, so a value cannot be moved under another key id.
      cipher.setAAD(Buffer.from(current));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${VERSION}.${current}.${iv.toString('base64url')}.${body.toString('base64url')}`;
    },
    decrypt(sealed) {
      const [version, kid, ivText, bodyText] = sealed.split('.');
      if (version !== VERSION || !kid || !ivText || !bodyText) throw new Error('not a sealed value');
      const key = keys.get(kid);
      if (!key) throw new Error(`key ${kid} is not in the keyring (CLEMENT_KEY)`);
      const body = Buffer.from(bodyText, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivText, 'base64url'));
      decipher.setAAD(Buffer.from(kid));
      decipher.setAuthTag(body.subarray(body.length - 16));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8');
    },
    keyIdOf(sealed) {
      return sealed.split('.')[1] ?? '';
    },
    index(plain) {
      return createHmac('sha256', indexKey).update(plain, 'utf8').digest('base64url');
    },
  };
}

export function parseKeyList(text: string): Buffer[] {
  return text
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean)
    .map((k) => Buffer.from(k, 'base64'));
}

const KEY_FILE = 'keys.json';

/** The embedded data folder's keyring, generated on first use by any command. */
export function loadOrCreateKeyFile(dataDir: string): Buffer[] {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, KEY_FILE);
  if (!existsSync(file)) writeKeyFile(dataDir, [randomBytes(32)]);
  const { keys } = JSON.parse(readFileSync(file, 'utf8')) as { keys: string[] };
  return keys.map((k) => Buffer.from(k, 'base64'));
}

export function writeKeyFile(dataDir: string, keys: readonly Buffer[]): void {
  const file = join(dataDir, KEY_FILE);
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify({ keys: keys.map((k) => k.toString('base64')) }, null, 2), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

export function newMasterKey(): Buffer {
  return randomBytes(32);
}
