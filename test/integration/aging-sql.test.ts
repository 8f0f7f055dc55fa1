// The SQL aging and allocation must give exactly what the pure domain gives, for any schedule,
// payments and date: the domain is the specification, the SQL is what runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BACKENDS, openTestDb, type TestDb } from '../support/test-db.js';
import { ageLoan } from '../../src/domain/delinquency/aging.js';
import { allocate } from '../../src/domain/delinquency/allocation.js';
import { DEFAULT_PRODUCT } from '../../src/domain/delinquency/product.js';
import { addDays } from '../../src/domain/dates.js';
import { formatYuan } from '../../src/domain/money.js';
import { delinquencyRepository } from '../../src/db/repositories/delinquency.repository.js';
import { borrower, load } from '../support/ledger-factory.js';

const repo = delinquencyRepository();

describe.each(BACKENDS)('aging in SQL equals the domain (%s)', (backend) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(backend);
    await load(t.deps, 'borrowers', [borrower(1)]);
  });
  afterAll(() => t.close());

  let n = 0;
  it('for random schedules, payments and dates', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ gap: fc.integer({ min: 0, max: 45 }), p: fc.nat(300000), i: fc.nat(20000), f: fc.nat(3000) }),
          { minLength: 1, maxLength: 6 },
        ),
        fc.array(fc.record({ day: fc.integer({ min: -10, max: 260 }), amount: fc.integer({ min: 1, max: 200000 }) }), { maxLength: 5 }),
        fc.integer({ min: -5, max: 300 }),
        async (rows, pays, asOfDay) => {
          n++;
          const loanId = `LP${n}`;
          let due = '2026-01-01';
          const schedule = rows.map((r, k) => {
            due = addDays(due, r.gap);
            return { seq: k + 1, dueOn: due, principal: r.p, interest: r.i, fee: r.f };
          });
          await load(t.deps, 'loans', [
            { loan_id: loanId, borrower_id: 'B1', product_id: 'default', principal: '1', annual_rate: '0.1', disbursed_on: '2025-12-01', currency: 'CNY' },
          ]);
          await load(
            t.deps,
            'installments',
            schedule.map((s) => ({
              loan_id: loanId, seq: String(s.seq), due_on: s.dueOn,
              principal: formatYuan(s.principal), interest: formatYuan(s.interest), fee: formatYuan(s.fee),
            })),
          );
          const payments = pays.map((p, k) => ({ id: `${loanId}-${k}`, on: addDays('2026-01-01', p.day), amount: p.amount }));
          if (payments.length > 0) {
            await load(
              t.deps,
              'payments',
              payments.map((p) => ({ payment_id: p.id, loan_id: loanId, paid_at: `${p.on}T12:00:00+08:00`, amount: formatYuan(p.amount) })),
            );
          }
          const asOf = addDays('2026-01-01', asOfDay);
          const id = (await t.db.query<{ id: number }>('SELECT id FROM loans WHERE external_id = $1', [loanId])).rows[0]!.id;
          const [sql] = await repo.compute(t.db, asOf, [id]);
          const paid = payments.filter((p) => p.on <= asOf).reduce((s, p) => s + p.amount, 0);
          const d = ageLoan(schedule, paid, asOf, DEFAULT_PRODUCT);
          expect({
            dpd: sql!.dpd, bucket: sql!.bucket, since: sql!.overdue_since, p: sql!.overdue_principal, i: sql!.overdue_interest,
            f: sql!.overdue_fee, credit: sql!.credit, next: sql!.next_change_on,
          }).toEqual({
            dpd: d.dpd, bucket: d.bucket, since: d.overdueSince, p: d.overduePrincipal, i: d.overdueInterest,
            f: d.overdueFee, credit: d.credit, next: d.nextChangeOn,
          });

          // Allocation rows: each payment, in arrival order, as the domain allocates it.
          const alloc = await t.db.query<{ ext: string; seq: number | null; fee: number; interest: number; principal: number; credit: number }>(
            `SELECT p.external_id AS ext, i.seq, a.fee, a.interest, a.principal, a.credit
             FROM payment_allocations a JOIN payments p ON p.id = a.payment_id LEFT JOIN installments i ON i.id = a.installment_id
             WHERE a.loan_id = $1 ORDER BY p.id, i.seq NULLS LAST`,
            [id],
          );
          let before = 0;
          const expected: typeof alloc.rows = [];
          for (const p of payments) {
            const a = allocate(schedule, before, p.amount);
            for (const part of a.parts) expected.push({ ext: p.id, seq: part.seq, fee: part.fee, interest: part.interest, principal: part.principal, credit: 0 });
            if (a.credit > 0) expected.push({ ext: p.id, seq: null, fee: 0, interest: 0, principal: 0, credit: a.credit });
            before += p.amount;
          }
          expect(alloc.rows).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });
});
