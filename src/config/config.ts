// The environment is parsed once, here; nothing else reads process.env.
import { resolve } from 'node:path';
import { IANAZone } from 'luxon';
import { z } from 'zod';

const schema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  CLEMENT_DATA_DIR: z.string().min(1).default('./.clement/data'),
  CLEMENT_TIMEZONE: z
    .string()
    .default('Asia/Shanghai')
    .refine((z) => IANAZone.isValidZone(z), 'must be an IANA time zone such as Asia/Shanghai'),
  CLEMENT_POLICY: z.string().min(1).default('cn'),
  CLEMENT_KEY: z
    .string()
    .refine(
      (v) => v.split(',').every((k) => Buffer.from(k.trim(), 'base64').length === 32),
      'must be one or more comma-separated base64 keys of 32 bytes, newest first (make one with: openssl rand -base64 32)',
    )
    .optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CLEMENT_DEMO_PASSWORD: z.string().min(8, 'must be at least 8 characters').default('clement-demo'),
});

export interface Config {
  databaseUrl: string | undefined;
  dataDir: string;
  timezone: string;
  policy: string;
  /** The keyring for personal data (CLEMENT_KEY), newest first; embedded mode keeps one in the data folder instead. */
  key: string | undefined;
  port: number;
  host: string;
  logLevel: string;
  /** Whether LOG_LEVEL was given: CLI commands default to warnings only, as their stdout is their output. */
  logLevelGiven: boolean;
  /** The password of the demo users, set only when the demo portfolio is loaded. */
  demoPassword: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blankToUndefined = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === '' ? undefined : v]));
  const parsed = schema.safeParse(blankToUndefined);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  if (e.DATABASE_URL && !e.CLEMENT_KEY) {
    throw new ConfigError([
      'CLEMENT_KEY: required with DATABASE_URL, to encrypt personal data (make one with: openssl rand -base64 32)',
    ]);
  }
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: resolve(e.CLEMENT_DATA_DIR),
    timezone: e.CLEMENT_TIMEZONE,
    policy: e.CLEMENT_POLICY,
    key: e.CLEMENT_KEY,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    logLevelGiven: blankToUndefined.LOG_LEVEL !== undefined,
    demoPassword: e.CLEMENT_DEMO_PASSWORD,
  };
}
