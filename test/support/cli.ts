// Runs the `clement` CLI as a real child process, the way an operator does, each with its own data
// folder: `node node_modules/tsx/dist/cli.mjs src/cli/main.ts …` from the repository root.
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** CLEMENT_DATA_DIR for the command. */
  dataDir: string;
  /** More environment (PORT, HOST…). */
  env?: Record<string, string>;
  /** Kill the command after this long (default 60 s). */
  timeoutMs?: number;
}

/**
 * The command's environment: this process's, without anything that would point it elsewhere
 * (DATABASE_URL, other CLEMENT_* settings, PORT) or change its logging (LOG_LEVEL).
 */
export function cliEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === 'LOG_LEVEL' || k === 'DATABASE_URL' || k === 'PORT' || k === 'HOST' || k.startsWith('CLEMENT_')) continue;
    env[k] = v;
  }
  return { ...env, CLEMENT_DATA_DIR: dataDir, CLEMENT_TIMEZONE: 'Asia/Shanghai', ...extra };
}

export interface CliProcess {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the first match of `re` in stdout (or stderr), rejects if the process ends first or on timeout. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves when the process has ended. */
  readonly exited: Promise<CliResult>;
}

/** Starts a command and returns at once; for long-lived commands such as `serve`. */
export function spawnCli(args: readonly string[], opts: CliOptions): CliProcess {
  const child = spawn(process.execPath, [TSX, MAIN, ...args], {
    cwd: ROOT,
    env: cliEnv(opts.dataDir, opts.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    listeners.forEach((l) => l());
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    listeners.forEach((l) => l());
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
  const exited = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      listeners.forEach((l) => l());
      resolve({ code, signal, stdout, stderr });
    });
  });
  let ended = false;
  void exited.then(() => (ended = true), () => (ended = true));

  const waitFor = (re: RegExp, timeoutMs = 60_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const m = stdout.match(re) ?? stderr.match(re);
        if (m) return done(() => resolve(m));
        if (ended) done(() => reject(new Error(`process ended before ${re}:\nstdout: ${stdout}\nstderr: ${stderr}`)));
      };
      const t = setTimeout(() => done(() => reject(new Error(`timed out waiting for ${re}:\nstdout: ${stdout}\nstderr: ${stderr}`))), timeoutMs);
      const done = (f: () => void) => {
        clearTimeout(t);
        listeners.delete(check);
        f();
      };
      listeners.add(check);
      check();
    });

  return { child, stdout: () => stdout, stderr: () => stderr, waitFor, exited };
}

/** Runs one command to its end. */
export function runCli(args: readonly string[], opts: CliOptions): Promise<CliResult> {
  return spawnCli(args, opts).exited;
}

export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `clement-cli-${prefix}-`));
}

/**
 * A data folder holding an already migrated, empty embedded database (a copy of the test run's
 * template), which spares a command the cost of creating the database cluster.
 */
export async function migratedDataDir(prefix: string): Promise<string> {
  const dir = await tempDir(prefix);
  await cp(inject('pgliteTemplate'), join(dir, 'pgdata'), { recursive: true });
  return dir;
}
