import type { Command } from 'commander';
import { loadConfig } from '../config/config.js';
import { reencryptAll } from '../services/privacy/rotate.service.js';
import { loadOrCreateKeyFile, newMasterKey, writeKeyFile } from '../services/privacy/vault.js';
import { AppError } from '../services/errors.js';
import { action, withDatabase } from './context.js';

export function registerKeyCommands(program: Command) {
  const keys = program.command('keys').description('Keys that encrypt personal data');
  keys
    .command('rotate')
    .description(
      'Embedded: add a new key and re-encrypt all personal data under it. With CLEMENT_KEY: put the new key first, keep the old ones after it, and run this to re-encrypt',
    )
    .action(
      action(async () => {
        const config = loadConfig();
        if (!config.key && !config.databaseUrl) {
          // The old keys stay in the ring: values sealed under them stay readable until re-encrypted,
          // and the oldest keys the blind index.
          writeKeyFile(config.dataDir, [newMasterKey(), ...loadOrCreateKeyFile(config.dataDir)]);
        } else if ((config.key ?? '').split(',').length < 2) {
          throw new AppError('validation', 'KEYS.NO_NEW_KEY', 'CLEMENT_KEY: put the new key first and the old keys after it (comma-separated), then rotate');
        }
        await withDatabase(
          'clement keys rotate',
          async ({ deps }) => {
            const counts = await reencryptAll(deps);
            process.stdout.write(
              `personal data now under key ${deps.vault.currentKeyId}: ${Object.entries(counts)
                .map(([t, n]) => `${n} ${t} re-encrypted`)
                .join(', ')}\n`,
            );
          },
          config,
        );
      }),
    );
}

