// Backup and restore of the embedded database: one file holding the data folder's keyring and a
// tarball of the database cluster. The keyring is in it because data without its keys is lost.
import { readFile, writeFile, readdir, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openPglite } from './client.js';

const MAGIC = 'CLEMENT-BACKUP 1\n';

export interface BackupHeader {
  createdAt: string;
  /** The data folder's keys.json, verbatim. */
  keys: string | null;
}

export async function writeBackup(file: string, header: BackupHeader, dump: Uint8Array): Promise<void> {
  const head = Buffer.from(`${MAGIC}${JSON.stringify(header)}\n`, 'utf8');
  await writeFile(file, Buffer.concat([head, Buffer.from(dump)]), { mode: 0o600 });
}

export async function readBackup(file: string): Promise<{ header: BackupHeader; dump: Uint8Array }> {
  const buf = await readFile(file);
  if (buf.subarray(0, MAGIC.length).toString('utf8') !== MAGIC) throw new Error(`${file} is not a Clement backup`);
  const end = buf.indexOf(0x0a, MAGIC.length);
  if (end < 0) throw new Error(`${file} is not a Clement backup (no header)`);
  const header = JSON.parse(buf.subarray(MAGIC.length, end).toString('utf8')) as BackupHeader;
  return { header, dump: new Uint8Array(buf.subarray(end + 1)) };
}

/** Restores into an empty data folder. */
export async function restoreInto(dataDir: string, backupFile: string): Promise<void> {
  const pgdata = join(dataDir, 'pgdata');
  if (existsSync(pgdata) && (await readdir(pgdata)).length > 0) {
    throw new Error(`${dataDir} already holds a database: restore into an empty folder (set CLEMENT_DATA_DIR) or move it away first`);
  }
  const { header, dump } = await readBackup(backupFile);
  await mkdir(pgdata, { recursive: true });
  const db = await openPglite(pgdata, dump);
  await db.query('SELECT 1');
  await db.close();
  if (header.keys !== null) await writeFile(join(dataDir, 'keys.json'), header.keys, { mode: 0o600 });
}
