// The composition root shared by the API, the worker and the CLI: what every service may use.
import pino, { type Logger } from 'pino';
import type { Config } from './config/config.js';
import type { Database } from './db/client.js';
import type { Vault } from './services/privacy/vault.js';

export interface Deps {
  db: Database;
  config: Config;
  log: Logger;
  /** Seals and opens personal data. */
  vault: Vault;
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      // Personal data never reaches the log, whatever a caller passes.
      redact: {
        paths: ['*.phone', '*.idNumber', '*.id_number', '*.email', '*.address', '*.name', 'req.headers.cookie', 'req.headers.authorization'],
        censor: '[redacted]',
      },
    },
    destination ?? pino.destination(2),
  );
}
