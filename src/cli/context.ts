// Opening what a CLI command needs, and turning failures into a message and an exit code.
import { DateTime } from 'luxon';
import { loadConfig, ConfigError, type Config } from '../config/config.js';
import { openDatabase, type OpenedDatabase } from '../db/open.js';
import { DataDirInUseError } from '../db/data-dir-lock.js';
import { createLogger, type Deps } from '../deps.js';
import { AppError } from '../services/errors.js';
import { vaultFor } from '../services/privacy/keyring.js';
import { recordScope, type AuditScope } from '../services/audit/audit.service.js';
import { commandAuditScope } from './command-audit.js';

export interface CommandContext {
  deps: Deps;
  opened: OpenedDatabase;
  /** The command's one audit event: pass it to services that write (they record it with their change). */
  audit: AuditScope;
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
  const audit = commandAuditScope();
  try {
    let result: T;
    try {
      result = await fn({ deps: { db: opened.db, config: cfg, log, vault: vaultFor(cfg) }, opened, audit });
    } catch (err) {
      // A failed command is recorded too (unless its write already recorded it); its own error is what is reported.
      await recordScope(opened.db, audit, err instanceof AppError ? 'refused' : 'error').catch((e: Error) =>
        log.error({ err: { message: e.message } }, 'audit event could not be recorded'),
      );
      throw err;
    }
    // A command whose event cannot be recorded fails.
    await recordScope(opened.db, audit, 'ok');
    return result;
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

/** A command's action: a failure becomes its message on stderr and exit code 1 (see reportFailure). */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      process.exitCode = reportFailure(err);
    }
  };
}
