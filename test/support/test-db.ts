// The same suites run on embedded PGlite always and on PostgreSQL when DATABASE_URL is set:
// each test database is fresh (a copy of a migrated PGlite folder, or a new PostgreSQL database).
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openPglite, openPostgres, type Database } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { createLogger, type Deps } from '../../src/deps.js';
import { createVault, parseKeyList } from '../../src/services/privacy/vault.js';

/** A fixed keyring for tests: base64 of 32 bytes. */
export const TEST_KEY = Buffer.alloc(32, 7).toString('base64');

export type Backend = 'pglite' | 'postgres';

/** The backends this run tests: PGlite always, PostgreSQL when DATABASE_URL is set. */
export const BACKENDS: Backend[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDb {
  deps: Deps;
  db: Database;
  close(): Promise<void>;
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ CLEMENT_TIMEZONE: 'Asia/Shanghai', LOG_LEVEL: 'silent', CLEMENT_KEY: TEST_KEY }), ...overrides };
}

export async function openTestDb(backend: Backend, config: Config = testConfig()): Promise<TestDb> {
  const log = createLogger('silent');
  const vault = createVault(parseKeyList(config.key ?? TEST_KEY));
  if (backend === 'pglite') {
    const dir = await mkdtemp(join(tmpdir(), 'clement-test-'));
    await cp(inject('pgliteTemplate'), join(dir, 'pgdata'), { recursive: true });
    const db = await openPglite(join(dir, 'pgdata'));
    await migrate(db);
    return {
      db,
      deps: { db, config: { ...config, dataDir: dir }, log, vault },
      close: async () => {
        await db.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const url = new URL(process.env.DATABASE_URL!);
  const name = `clement_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const testUrl = new URL(url.toString());
  testUrl.pathname = `/${name}`;
  const db = openPostgres(testUrl.toString(), 20);
  await migrate(db);
  return {
    db,
    deps: { db, config: { ...config, databaseUrl: testUrl.toString() }, log, vault },
    close: async () => {
      await db.close();
      const a = new pg.Client({ connectionString: url.toString() });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
