// The rules of issue 2 on a table of tricky cases, through the real import and the export.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDb, testConfig, type TestDb } from '../support/test-db.js';
import { exportDelinquency } from '../../src/services/ledger/export.service.js';
import { ensureProduct } from '../../src/services/ledger/products.service.js';
import { runDaily } from '../../src/services/aging/daily-run.service.js';
import { borrower, installment, load, loan, payment } from '../support/ledger-factory.js';
import type { Deps } from '../../src/deps.js';

async function exportRows(deps: Deps, asOf: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for await (const row of exportDelinquency(deps, asOf)) out[row[0]!] = row.slice(1);
  return out;
}

// Three installments of 1000 principal + 60 interest; the first also carries a 5.00 fee.
const threeMonths = (n: number) => [
  installment(n, 1, '2026-01-15', { fee: '5' }),
  installment(n, 2, '2026-02-15'),
  installment(n, 3, '2026-03-15'),
];

describe.each(BACKENDS)('delinquency rules through import and export (%s)', (backend) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(backend);
    await ensureProduct(t.deps, { externalId: 'GRACE3', name: 'grace', graceDays: 3 });
    await load(t.deps, 'borrowers', [borrower(1), borrower(2)]);
    await load(t.deps, 'loans', [
      loan(1, 1), // paid just before and just after local midnight
      loan(2, 1), // partial payments
      loan(3, 1), // early payment goes to the oldest installment
      loan(4, 2), // overpaid: credit, nothing overdue
      loan(5, 2), // never paid: walks through every bucket
      loan(6, 2, { product_id: 'GRACE3' }), // three grace days
      loan(7, 2, { disbursed_on: '2026-02-01' }), // not yet disbursed early on
      loan(8, 2, { product_id: 'UNKNOWN-PRODUCT' }), // ages by the default product
    ]);
    await load(t.deps, 'installments', [1, 2, 3, 4, 5, 6, 7, 8].flatMap(threeMonths));
    await load(t.deps, 'payments', [
      payment('P1a', 1, '2026-01-15T23:59:59+08:00', '1065'), // counts on Jan 15 in Shanghai
      payment('P1b', 1, '2026-02-15T16:00:00Z', '1060'), // = Feb 16 00:00 in Shanghai: late by a day
      payment('P2a', 2, '2026-01-20T10:00:00+08:00', '500'),
      payment('P2b', 2, '2026-01-25T10:00:00+08:00', '565'),
      payment('P3', 3, '2026-01-01T09:00:00+08:00', '2000'), // before the first due date
      payment('P4', 4, '2026-01-10T09:00:00+08:00', '3200'), // 15.00 more than the whole schedule
      payment('P6', 6, '2026-01-17T12:00:00+08:00', '100'),
      payment('P8', 8, '2026-01-15T12:00:00+08:00', '1065'),
    ]);
  });
  afterAll(() => t.close());

  it.each([
    // [loan, as of, dpd, bucket, principal, interest, fee, total]
    ['L1', '2026-01-15', '0', 'M0', '0.00', '0.00', '0.00', '0.00'],
    ['L1', '2026-01-16', '0', 'M0', '0.00', '0.00', '0.00', '0.00'],
    ['L1', '2026-02-15', '0', 'M0', '0.00', '0.00', '0.00', '0.00'], // due today is not overdue
    ['L1', '2026-02-16', '0', 'M0', '0.00', '0.00', '0.00', '0.00'], // paid at 00:00 local on the 16th
    ['L2', '2026-01-16', '1', 'M1', '1000.00', '60.00', '5.00', '1065.00'],
    ['L2', '2026-01-20', '5', 'M1', '565.00', '0.00', '0.00', '565.00'], // fee, interest, then principal
    ['L2', '2026-01-25', '0', 'M0', '0.00', '0.00', '0.00', '0.00'],
    ['L3', '2026-01-16', '0', 'M0', '0.00', '0.00', '0.00', '0.00'],
    ['L3', '2026-02-16', '1', 'M1', '125.00', '0.00', '0.00', '125.00'], // 2000 paid 1065 + 935 of the second
    ['L4', '2026-06-01', '0', 'M0', '0.00', '0.00', '0.00', '0.00'],
    ['L5', '2026-02-14', '30', 'M1', '1000.00', '60.00', '5.00', '1065.00'],
    ['L5', '2026-02-15', '31', 'M2', '1000.00', '60.00', '5.00', '1065.00'],
    ['L5', '2026-02-16', '32', 'M2', '2000.00', '120.00', '5.00', '2125.00'],
    ['L5', '2026-03-16', '60', 'M2', '3000.00', '180.00', '5.00', '3185.00'],
    ['L5', '2026-03-17', '61', 'M3', '3000.00', '180.00', '5.00', '3185.00'],
    ['L5', '2026-04-15', '90', 'M3', '3000.00', '180.00', '5.00', '3185.00'],
    ['L5', '2026-04-16', '91', 'M4', '3000.00', '180.00', '5.00', '3185.00'],
    ['L5', '2026-05-16', '121', 'M5', '3000.00', '180.00', '5.00', '3185.00'],
    ['L5', '2026-06-15', '151', 'M6', '3000.00', '180.00', '5.00', '3185.00'],
    ['L5', '2026-07-14', '180', 'M6', '3000.00', '180.00', '5.00', '3185.00'],
    ['L5', '2026-07-15', '181', 'M6+', '3000.00', '180.00', '5.00', '3185.00'],
    ['L6', '2026-01-18', '0', 'M0', '965.00', '0.00', '0.00', '965.00'], // in grace: amounts overdue, dpd 0
    ['L6', '2026-01-19', '1', 'M1', '965.00', '0.00', '0.00', '965.00'], // grace ended; 100 paid on the 17th
    ['L8', '2026-01-16', '0', 'M0', '0.00', '0.00', '0.00', '0.00'],
  ])('%s as of %s: dpd %s, %s', async (loanId, asOf, ...expected) => {
    const rows = await exportRows(t.deps, asOf);
    expect(rows[loanId]).toEqual(expected);
  });

  it('lists only loans disbursed on or before the date, ordered by loan id', async () => {
    expect(Object.keys(await exportRows(t.deps, '2026-01-20'))).toEqual(['L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L8']);
    expect(Object.keys(await exportRows(t.deps, '2026-02-01'))).toContain('L7');
  });

  it('equals the stored state of a full re-age as of the same date', async () => {
    for (const asOf of ['2026-01-16', '2026-02-20', '2026-08-01']) {
      await runDaily(t.deps, asOf, { full: true });
      const stored = await t.db.query<{ id: string; bucket: string; total: number }>(
        `SELECT l.external_id AS id, ld.bucket, (ld.overdue_principal + ld.overdue_interest + ld.overdue_fee)::int8 AS total
         FROM loan_delinquency ld JOIN loans l ON l.id = ld.loan_id WHERE l.disbursed_on <= $1 ORDER BY 1`,
        [asOf],
      );
      const exported = await exportRows(t.deps, asOf);
      expect(Object.fromEntries(stored.rows.map((r) => [r.id, [r.bucket, (r.total / 100).toFixed(2)]]))).toEqual(
        Object.fromEntries(Object.entries(exported).map(([id, r]) => [id, [r[1], r[5]]])),
      );
    }
  });
});

describe('the lender time zone decides the day a payment counts', () => {
  it('in New York, 03:00 UTC on the 16th is still the 15th', async () => {
    const t = await openTestDb('pglite', testConfig({ timezone: 'America/New_York' }));
    try {
      await load(t.deps, 'borrowers', [borrower(1)]);
      await load(t.deps, 'loans', [loan(1, 1)]);
      await load(t.deps, 'installments', threeMonths(1));
      await load(t.deps, 'payments', [payment('P1', 1, '2026-01-16T03:00:00Z', '1065')]);
      expect((await exportRows(t.deps, '2026-01-16'))['L1']).toEqual(['0', 'M0', '0.00', '0.00', '0.00', '0.00']);
      const paidOn = await t.db.query<{ paid_on: string }>('SELECT paid_on FROM payments');
      expect(paidOn.rows[0]!.paid_on).toBe('2026-01-15');
    } finally {
      await t.close();
    }
  });
});
