// Loads the synthetic demo portfolio through the same CSV import a lender uses, then runs the
// daily run so cases are open.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Deps } from '../../deps.js';
import { LEDGER_KINDS } from '../../domain/ledger/rows.js';
import { importCsvFile } from '../ledger/import.service.js';
import { ensureProduct } from '../ledger/products.service.js';
import { runDaily } from '../aging/daily-run.service.js';
import { writeDemoCsv } from './demo-portfolio.js';
import { createDemoUsers } from '../access/demo-users.service.js';

export const DEMO_BORROWERS = 2000;

/** True when the database holds no ledger data and no daily run: only then is the demo loaded. */
export async function isEmpty(deps: Deps): Promise<boolean> {
  const r = await deps.db.query<{ n: number }>(
    `SELECT ((SELECT count(*) FROM (SELECT 1 FROM borrowers LIMIT 1) b) + (SELECT count(*) FROM (SELECT 1 FROM daily_runs LIMIT 1) d))::int AS n`,
  );
  return r.rows[0]!.n === 0;
}

export async function loadDemo(deps: Deps, asOf: string, progress: (line: string) => void): Promise<void> {
  await ensureProduct(deps, { externalId: 'P-STANDARD', name: '微粒贷标准产品 / Standard', graceDays: 0 });
  await ensureProduct(deps, { externalId: 'P-GRACE3', name: '三天宽限期产品 / Three grace days', graceDays: 3 });
  const dir = await mkdtemp(join(tmpdir(), 'clement-demo-'));
  try {
    const { files } = await writeDemoCsv(dir, { borrowers: DEMO_BORROWERS, asOf, seed: 1, timezone: deps.config.timezone });
    for (const kind of LEDGER_KINDS) {
      const r = await importCsvFile(deps, kind, files[kind]);
      progress(`  ${kind}: ${r.created}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const run = await runDaily(deps, asOf);
  progress(`  daily run as of ${asOf}: ${run.casesOpened} cases open`);
  const staff = await createDemoUsers(deps);
  progress(`  demo users: ${staff.users.join(', ')}; ${staff.casesAssigned} open cases dealt to agents, a team and an agency`);
}
