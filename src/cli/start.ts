import { loadConfig } from '../config/config.js';
import { openDatabase } from '../db/open.js';
import { createLogger, type Deps } from '../deps.js';
import { buildApp } from '../api/app.js';
import { isEmpty, loadDemo } from '../services/demo/load-demo.js';
import { existingDemoUsers } from '../services/access/demo-users.service.js';
import { todayIn } from './context.js';
import { vaultFor } from '../services/privacy/keyring.js';
import { recordScope } from '../services/audit/audit.service.js';
import { commandAuditScope } from './command-audit.js';

const VACUUM_EVERY_MS = 6 * 60 * 60 * 1000;

/** Serves the API and pages; with `demo`, first loads the demo portfolio into an empty embedded database. */
export async function startCommand(opts: { demo: boolean }): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const started = Date.now();
  const command = opts.demo ? 'npm start' : 'clement serve';
  let opened = await openDatabase(config, command);
  const vault = vaultFor(config);
  let deps: Deps = { db: opened.db, config, log, vault };
  const say = (line: string) => process.stdout.write(`${line}\n`);

  const embedded = opened.db.kind === 'pglite';
  // Starting is a command like any other: one audit event, noting whether the demo was loaded.
  const audit = commandAuditScope();
  if (opts.demo && embedded && (await isEmpty(deps))) {
    const today = todayIn(config.timezone);
    say(`Clement: loading the demo portfolio into ${config.dataDir} (first start only)…`);
    await loadDemo(deps, today, say);
    audit.note('demo', { loaded: true, asOf: today });
  }
  await recordScope(opened.db, audit, 'ok');
  if (embedded) await opened.db.query('VACUUM ANALYZE');
  if (embedded && opened.created) {
    // Creating the database cluster and the bulk load grew PGlite's WebAssembly heap, which never
    // shrinks; a fresh engine over the same folder serves in far less memory.
    await opened.close();
    opened = await openDatabase(config, command);
    deps = { db: opened.db, config, log, vault };
  }

  const app = await buildApp(deps);
  await app.listen({ port: config.port, host: config.host });
  // PORT=0 asks the system for a free port: print the one it gave.
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host}:${port}/`;
  say(`Clement is running at ${url} (${embedded ? `embedded database in ${config.dataDir}` : 'PostgreSQL'}), ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  say(`API documentation: ${url}api/docs`);
  if (opts.demo && embedded) {
    const demoUsers = await existingDemoUsers(deps);
    if (demoUsers.length > 0) {
      say(`Demo users: ${demoUsers.join(', ')}; password: ${config.demoPassword} (CLEMENT_DEMO_PASSWORD when the demo was loaded)`);
    }
  }

  // PGlite has no autovacuum.
  const vacuum = embedded
    ? setInterval(() => {
        opened.db.query('VACUUM ANALYZE').catch((err) => log.warn({ err: { message: err.message } }, 'vacuum failed'));
      }, VACUUM_EVERY_MS).unref()
    : null;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`Clement: ${signal} received, finishing requests in flight and stopping…`);
    if (vacuum) clearInterval(vacuum);
    await app.close();
    await opened.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
