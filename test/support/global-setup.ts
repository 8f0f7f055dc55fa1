// Builds one migrated PGlite data folder per test run; each test database starts as a copy of it,
// which is much faster than creating a database cluster per test file.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPglite } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';

export default async function setup({ provide }: { provide: (key: string, value: unknown) => void }) {
  const dir = await mkdtemp(join(tmpdir(), 'clement-template-'));
  const db = await openPglite(join(dir, 'pgdata'));
  await migrate(db);
  await db.close();
  provide('pgliteTemplate', join(dir, 'pgdata'));
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}
