// SQL migrations in src/db/migrations, applied in name order, each in its own transaction.
// An advisory lock makes concurrent starters (several workers) apply them once.
import { readdir, readFile } from 'node:fs/promises';
import type { Database } from './client.js';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
const LOCK_KEY = 0x636c656d; // "clem"

export async function migrate(db: Database): Promise<string[]> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
  const applied: string[] = [];
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await tx.exec(
      'CREATE TABLE IF NOT EXISTS clement_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set((await tx.query<{ name: string }>('SELECT name FROM clement_migrations')).rows.map((r) => r.name));
    for (const file of files) {
      if (done.has(file)) continue;
      const text = await readFile(new URL(file, MIGRATIONS_DIR), 'utf8');
      await tx.exec(text.replaceAll('--> statement-breakpoint', ''));
      await tx.query('INSERT INTO clement_migrations (name) VALUES ($1)', [file]);
      applied.push(file);
    }
  });
  return applied;
}
