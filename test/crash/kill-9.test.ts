// Crash safety with real processes: a CLI import or daily run killed with SIGKILL part-way leaves
// the data consistent, and running it again gives what an uninterrupted run gives.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, TEST_KEY, type Backend } from '../support/test-db.js';

const ROOT = resolve(import.meta.dirname, '../..');
const AS_OF = '2026-06-30';
const KINDS = ['borrowers', 'contacts', 'loans', 'installments', 'payments'] as const;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function clement(env: NodeJS.ProcessEnv, args: string[], killAfterMs?: number): Promise<Run> {
  const started = Date.now();
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'src/cli/main.ts'), ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: tsx runs the command in a child process, and the crash must take
    // down the process that holds the database, not only its launcher.
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const timer = killAfterMs === undefined ? null : setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), killAfterMs);
  return new Promise((done) =>
    child.on('exit', async (code, signal) => {
      if (timer) clearTimeout(timer);
      // Wait until every process of the group is gone (reaped), as after a real crash.
      for (let i = 0; i < 100 && groupAlive(child.pid!); i++) await new Promise((r) => setTimeout(r, 50));
      done({ code, signal, stdout, stderr, ms: Date.now() - started });
    }),
  );
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function ok(env: NodeJS.ProcessEnv, args: string[]): Promise<Run> {
  const r = await clement(env, args);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
}

describe.each(BACKENDS)('kill -9 during import and daily run (%s)', (backend: Backend) => {
  const dirs: string[] = [];
  const databases: string[] = [];
  let csv: string;

  async function environment(): Promise<NodeJS.ProcessEnv> {
    const dir = await mkdtemp(join(tmpdir(), 'clement-crash-'));
    dirs.push(dir);
    const env: NodeJS.ProcessEnv = { ...process.env, CLEMENT_DATA_DIR: join(dir, 'data'), CLEMENT_KEY: TEST_KEY, CLEMENT_TIMEZONE: 'Asia/Shanghai' };
    delete env.LOG_LEVEL;
    if (backend === 'postgres') {
      const name = `clement_crash_${randomBytes(5).toString('hex')}`;
      const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      databases.push(name);
      const url = new URL(process.env.DATABASE_URL!);
      url.pathname = `/${name}`;
      env.DATABASE_URL = url.toString();
    } else {
      delete env.DATABASE_URL;
    }
    return env;
  }

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'clement-crash-csv-'));
    dirs.push(dir);
    csv = join(dir, 'csv');
    // Writing CSV files needs no database.
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.DATABASE_URL;
    await ok(env, ['demo', '--borrowers', '3000', '--out', csv, '--as-of', AS_OF]);
  });

  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
    if (databases.length > 0) {
      const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      for (const name of databases) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });

  it('leaves consistent data, and a rerun gives the uninterrupted result', async () => {
    // The uninterrupted run, timed, as the reference.
    const clean = await environment();
    const took: Record<string, number> = {};
    for (const kind of KINDS) took[kind] = (await ok(clean, ['import', kind, join(csv, `${kind}.csv`)])).ms;
    took.run = (await ok(clean, ['run', 'daily', '--as-of', AS_OF, '--full'])).ms;
    const reference = (await ok(clean, ['export', 'delinquency', '--as-of', AS_OF])).stdout;
    expect(reference.split('\n').length).toBeGreaterThan(3000);

    const crashed = await environment();
    for (const kind of KINDS.slice(0, 4)) await ok(crashed, ['import', kind, join(csv, `${kind}.csv`)]);
    let killed = 0;
    // Kill at several points of the payments import, then of the daily run; each time the data
    // must be whole: all of the file or none of it.
    for (const fraction of [0.6, 0.85]) {
      const r = await clement(crashed, ['import', 'payments', join(csv, 'payments.csv')], Math.round(took.payments! * fraction));
      if (r.signal === 'SIGKILL') killed++;
    }
    // All of the file or none of it: after the kills, either nothing or everything is there.
    const again = await ok(crashed, ['import', 'payments', join(csv, 'payments.csv')]);
    const [, read, created] = /payments: (\d+) rows read, (\d+) created/.exec(again.stdout)!;
    expect(['0', read]).toContain(created);
    for (const fraction of [0.7]) {
      const r = await clement(crashed, ['run', 'daily', '--as-of', AS_OF, '--full'], Math.round(took.run! * fraction));
      if (r.signal === 'SIGKILL') killed++;
    }
    await ok(crashed, ['run', 'daily', '--as-of', AS_OF]);
    expect((await ok(crashed, ['export', 'delinquency', '--as-of', AS_OF])).stdout).toBe(reference);
    expect(killed, 'at least one process was killed mid-way').toBeGreaterThan(0);

    // A payments file imported whole or not at all: same counts as the clean folder.
    const rerun = await ok(crashed, ['import', 'payments', join(csv, 'payments.csv')]);
    expect(rerun.stdout).toMatch(/ 0 created/);
  }, 600_000);
});

