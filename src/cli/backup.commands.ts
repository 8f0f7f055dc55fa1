import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config/config.js';
import { openPglite } from '../db/client.js';
import { lockDataDir } from '../db/data-dir-lock.js';
import { restoreInto, writeBackup } from '../db/backup.js';
import { AppError } from '../services/errors.js';
import { action } from './context.js';


function embeddedOnly(): ReturnType<typeof loadConfig> {
  const config = loadConfig();
  if (config.databaseUrl) {
    throw new AppError('validation', 'BACKUP.EMBEDDED_ONLY', 'backup and restore are for the embedded database; for PostgreSQL use pg_dump and pg_restore (see the README)');
  }
  return config;
}

export function registerBackupCommands(program: Command): void {
  program
    .command('backup <file>')
    .description('Write the embedded database and its keys to one file (stop the server first)')
    .action(
      action(async (file: string) => {
        const config = embeddedOnly();
        const release = lockDataDir(config.dataDir, 'clement backup', new Date());
        try {
          const db = await openPglite(join(config.dataDir, 'pgdata'));
          try {
            const dump = await db.dump();
            const keysFile = join(config.dataDir, 'keys.json');
            const keys = existsSync(keysFile) ? await readFile(keysFile, 'utf8') : null;
            await writeBackup(file, { createdAt: new Date().toISOString(), keys }, dump);
            process.stdout.write(`backup written to ${file} (${dump.length} bytes); it holds the keys: keep it as safe as the data\n`);
          } finally {
            await db.close();
          }
        } finally {
          release();
        }
      }),
    );
  program
    .command('restore <file>')
    .description('Restore a backup into an empty embedded data folder (CLEMENT_DATA_DIR)')
    .action(
      action(async (file: string) => {
        const config = embeddedOnly();
        const release = lockDataDir(config.dataDir, 'clement restore', new Date());
        try {
          await restoreInto(config.dataDir, file).catch((err: Error & { code?: string }) => {
            if (err.code === 'ENOENT') throw new AppError('not_found', 'RESTORE.NO_FILE', `${file}: no such file`);
            throw new AppError('validation', 'RESTORE.REFUSED', err.message);
          });
          process.stdout.write(`restored ${file} into ${config.dataDir}\n`);
        } finally {
          release();
        }
      }),
    );
}
