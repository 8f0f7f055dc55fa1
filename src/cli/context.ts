// Opening what a CLI command needs, and turning failures into a message and an exit code.
import { DateTime } from 'luxon';
import { loadConfig, ConfigError, type Config } from '../config/config.js';
import { openDatabase, type OpenedDatabase } from '../db/open.js';
import { DataDirInUseError } from '../db/data-dir-lock.js';
import { createLogger, type Deps } from '../deps.js';
import { AppError } from '../services/errors.js';
import { vaultFor } from '../services/privacy/keyring.js';

export interface CommandContext {
  deps: Deps;
  opened: OpenedDatabase;
}

export function todayIn(zone: string): string {
  return DateTime.now().setZone(zone).toISODate()!;
}

/** Runs a command with the database open, closing it afterwards whatever happens. */
export async function withDatabase<T>(command: string, fn: (ctx: CommandContext) => Promise<T>, config?: Config): Promise<T> {
  const cfg = config ?? loadConfig();
  // CLI commands log to stderr at warn and above by default: stdout belongs to their output.
  const log = createLogger(cfg.logLevelGiven ? cfg.logLevel : 'warn');
  const opened = await openDatabase(cfg, command);
  try {
    return await fn({ deps: { db: opened.db, config: cfg, log, vault: vaultFor(cfg) }, opened });
  } finally {
    await opened.close();
  }
}

/** Exit 1 for bad input or a refused action, with one clear line on stderr; 1 also for the unexpected, with its stack. */
export function reportFailure(err: unknown): number {
  if (err instanceof AppError || err instanceof ConfigError || err instanceof DataDirInUseError) {
    process.stderr.write(`clement: ${err.message}\n`);
    return 1;
  }
  process.stderr.write(`clement: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
  return 1;
}
