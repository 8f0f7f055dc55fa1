// Event-driven and full daily runs must agree: 120 simulated days of payments (some late at
// night, some backdated, some dated ahead), two databases with the same data, one aged
// event-driven, one fully re-aged, compared after every run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDb, type TestDb } from '../support/test-db.js';
import { runDaily } from '../../src/services/aging/daily-run.service.js';
import { ensureProduct } from '../../src/services/ledger/products.service.js';
import { importRows } from '../../src/services/ledger/import.service.js';
import { exportDelinquency } from '../../src/services/ledger/export.service.js';
import { generateDemoPortfolio } from '../../src/services/demo/demo-portfolio.js';
import { mulberry32 } from '../../src/services/demo/prng.js';
import { addDays } from '../../src/domain/dates.js';
import { dpdOn } from '../../src/domain/delinquency/aging.js';
import type { Deps } from '../../src/deps.js';
import type { LedgerKind } from '../../src/domain/ledger/rows.js';

const START = '2026-03-01';
const DAYS = 120;
// Days with no run at all: the next run must catch up.
const SKIPPED = new Set([20, 41, 42, 43, 90, 91, 92, 93, 94, 95, 96]);

type Raw = Record<string, string>;

async function loadAll(deps: Deps, kind: LedgerKind, rows: Raw[]) {
  if (rows.length === 0) return;
  await deps.db.transaction((tx) => importRows(tx, deps, kind, rows, (c) => c));
}

async function snapshot(deps: Deps) {
  const q = async (sql: string) => (await deps.db.query(sql)).rows;
  return {
    delinquency: await q(
      `SELECT l.external_id, ld.overdue_since, ld.bucket, ld.overdue_principal, ld.overdue_interest, ld.overdue_fee,
              ld.credit, ld.next_change_on
       FROM loan_delinquency ld JOIN loans l ON l.id = ld.loan_id ORDER BY l.external_id COLLATE "C"`,
    ),
    cases: await q(
      `SELECT b.external_id, c.status, c.opened_on, c.closed_on, c.bucket, c.dpd_from, c.total_overdue
       FROM cases c JOIN borrowers b ON b.id = c.borrower_id ORDER BY b.external_id COLLATE "C", c.opened_on, c.status`,
    ),
    history: await q(
      `SELECT l.external_id, h.changed_on, h.from_bucket, h.to_bucket
       FROM bucket_history h JOIN loans l ON l.id = h.loan_id
       ORDER BY l.external_id COLLATE "C", h.changed_on, h.from_bucket, h.to_bucket`,
    ),
  };
}

describe.each(BACKENDS)('daily run over 120 days (%s)', (backend) => {
  let event: TestDb;
  let full: TestDb;
  const loanIds: string[] = [];

  beforeAll(async () => {
    [event, full] = await Promise.all([openTestDb(backend), openTestDb(backend)]);
    const bundles = [...generateDemoPortfolio({ borrowers: 120, asOf: START, seed: 7 })];
    const pick = (k: 'contacts' | 'loans' | 'installments' | 'payments') => bundles.flatMap((b) => b[k] as Raw[]);
    for (const t of [event, full]) {
      await ensureProduct(t.deps, { externalId: 'P-STANDARD', name: 'standard', graceDays: 0 });
      await ensureProduct(t.deps, { externalId: 'P-GRACE3', name: 'grace', graceDays: 3 });
      await loadAll(t.deps, 'borrowers', bundles.map((b) => b.borrower as Raw));
      await loadAll(t.deps, 'loans', pick('loans'));
      await loadAll(t.deps, 'installments', pick('installments'));
      await loadAll(t.deps, 'payments', pick('payments'));
    }
    loanIds.push(...pick('loans').map((l) => l.loan_id!));
  });
  afterAll(async () => {
    await Promise.all([event?.close(), full?.close()]);
  });

  it('gives identical delinquency, cases and bucket history every day', async () => {
    const rng = mulberry32(42);
    let n = 0;
    let checked = 0;
    for (let day = 0; day < DAYS; day++) {
      const date = addDays(START, day);
      // About 4% of loans pay something today: a partial amount, an installment, or a lot.
      const payments: Raw[] = [];
      for (const loanId of loanIds) {
        if (rng() >= 0.04) continue;
        const r = rng();
        const amount = r < 0.5 ? (50 + Math.floor(rng() * 500)).toFixed(2) : r < 0.9 ? (800 + Math.floor(rng() * 3000)).toFixed(2) : '50000.00';
        const shift = rng();
        // Mostly today; some backdated a few days (they count at once), some dated tomorrow.
        const on = shift < 0.1 ? addDays(date, -1 - Math.floor(rng() * 3)) : shift < 0.2 ? addDays(date, 1) : date;
        const time = rng() < 0.2 ? '23:59:59' : rng() < 0.2 ? '00:00:00' : '12:34:56';
        payments.push({ payment_id: `SIM${++n}`, loan_id: loanId, paid_at: `${on}T${time}+08:00`, amount });
      }
      for (const t of [event, full]) await loadAll(t.deps, 'payments', payments);
      if (SKIPPED.has(day)) continue;

      const [e, f] = [await runDaily(event.deps, date), await runDaily(full.deps, date, { full: true })];
      expect(f.mode).toBe('full');
      if (day > 0) expect(e.mode).toBe('event');
      // The event-driven day touches only what changed.
      if (day > 0) expect(e.loansAged).toBeLessThan(f.loansAged);
      const [se, sf] = [await snapshot(event.deps), await snapshot(full.deps)];
      expect(se, `day ${day} (${date})`).toEqual(sf);

      // The stored state as of the business date is what the export computes for that date.
      if (day % 15 === 0) {
        const exported = new Map<string, string[]>();
        for await (const row of exportDelinquency(event.deps, date)) exported.set(row[0]!, row);
        const grace = await event.db.query<{ id: string; grace: number; disbursed: string }>(
          'SELECT l.external_id AS id, p.grace_days AS grace, l.disbursed_on AS disbursed FROM loans l JOIN products p ON p.id = l.product_id',
        );
        const graceOf = new Map(grace.rows.map((g) => [g.id, g]));
        for (const d of se.delinquency as { external_id: string; overdue_since: string | null; bucket: string }[]) {
          const g = graceOf.get(d.external_id)!;
          if (g.disbursed > date) continue;
          const row = exported.get(d.external_id)!;
          expect([row[1], row[2]]).toEqual([String(dpdOn(d.overdue_since, date, g.grace)), d.bucket]);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
    const open = await event.db.query<{ n: number }>("SELECT count(*)::int AS n FROM cases WHERE status = 'open'");
    const closed = await event.db.query<{ n: number }>("SELECT count(*)::int AS n FROM cases WHERE status = 'closed'");
    expect(open.rows[0]!.n).toBeGreaterThan(0);
    expect(closed.rows[0]!.n).toBeGreaterThan(0);
  }, 300_000);
});
