import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/config.js';
import { openPglite, openPostgres, type Database } from './client.js';
import { lockDataDir } from './data-dir-lock.js';
import { migrate } from './migrate.js';

export interface OpenedDatabase {
  db: Database;
  /** True when this open created an empty embedded data folder. */
  created: boolean;
  close(): Promise<void>;
}

/** Opens PostgreSQL when DATABASE_URL is set, otherwise the embedded data folder; migrates either. */
export async function openDatabase(config: Config, command: string): Promise<OpenedDatabase> {
  if (config.databaseUrl) {
    const db = openPostgres(config.databaseUrl);
    await migrate(db);
    return { db, created: false, close: () => db.close() };
  }
  const release = lockDataDir(config.dataDir, command, new Date());
  try {
    const pgdata = join(config.dataDir, 'pgdata');
    const created = !existsSync(join(pgdata, 'PG_VERSION'));
    mkdirSync(pgdata, { recursive: true });
    const db = await openPglite(pgdata);
    await migrate(db);
    return {
      db,
      created,
      close: async () => {
        await db.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}
