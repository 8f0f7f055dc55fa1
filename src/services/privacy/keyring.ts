import type { Config } from '../../config/config.js';
import { createVault, loadOrCreateKeyFile, parseKeyList, type Vault } from './vault.js';

/** CLEMENT_KEY when given; otherwise, for the embedded database, the data folder's own keyring. */
export function vaultFor(config: Config): Vault {
  if (config.key) return createVault(parseKeyList(config.key));
  if (config.databaseUrl) throw new Error('CLEMENT_KEY is required with DATABASE_URL');
  return createVault(loadOrCreateKeyFile(config.dataDir));
}
