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
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  databaseUrl: string | undefined;
  dataDir: string;
  timezone: string;
  policy: string;
  port: number;
  host: string;
  logLevel: string;
  /** Whether LOG_LEVEL was given: CLI commands default to warnings only, as their stdout is their output. */
  logLevelGiven: boolean;
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
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: resolve(e.CLEMENT_DATA_DIR),
    timezone: e.CLEMENT_TIMEZONE,
    policy: e.CLEMENT_POLICY,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    logLevelGiven: blankToUndefined.LOG_LEVEL !== undefined,
  };
}
