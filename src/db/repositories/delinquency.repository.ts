// Aging in SQL: the rules of src/domain/delinquency/aging.ts as one set-based statement over any
// set of loans, so a full re-age, an event-driven day and an export share one definition.
// test/integration/aging-sql.test.ts holds the two implementations to the same answers.
import type { Database } from '../client.js';

/** Which loans a statement ages. Each is SQL yielding a column loan_id; $1 is the as-of date. */
export type AgingTarget =
  | { kind: 'all' }
  | { kind: 'loans'; loanIds: readonly number[] }
  /** The loans collected by materializeDueTargets in this transaction. */
  | { kind: 'materialized' };

function targetSql(t: AgingTarget): { sql: string; params: unknown[] } {
  switch (t.kind) {
    case 'all':
      return { sql: 'SELECT id AS loan_id FROM loans', params: [] };
    case 'loans':
      return { sql: 'SELECT DISTINCT unnest($2::int[]) AS loan_id', params: [t.loanIds] };
    case 'materialized':
      return { sql: 'SELECT loan_id FROM aging_targets', params: [] };
  }
}

/**
 * The CTE chain computing each target loan's delinquency as of $1 (a date), ending in `aged`:
 * loan_id, borrower_id, overdue_since, dpd, bucket, overdue_principal/interest/fee, credit,
 * next_change_on, grace_days. Payments count when paid_on <= $1.
 */
function agedCte(targets: string): string {
  return `
  targets AS (${targets}),
  paid AS (
    SELECT p.loan_id, sum(p.amount)::int8 AS total
    FROM payments p JOIN targets t ON t.loan_id = p.loan_id
    WHERE p.paid_on <= $1::date
    GROUP BY p.loan_id
  ),
  inst AS (
    SELECT i.loan_id, i.due_on, i.fee, i.interest, i.principal,
           coalesce(sum(i.fee + i.interest + i.principal) OVER (
             PARTITION BY i.loan_id ORDER BY i.due_on, i.seq
             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)::int8 AS before,
           coalesce(pd.total, 0) AS total_paid
    FROM installments i JOIN targets t ON t.loan_id = i.loan_id
    LEFT JOIN paid pd ON pd.loan_id = i.loan_id
  ),
  got AS (
    SELECT loan_id, due_on, fee, interest, principal,
           greatest(0, least(total_paid - before, fee + interest + principal)) AS got
    FROM inst
  ),
  unpaid AS (
    SELECT loan_id, due_on,
           fee - least(fee, got) AS u_fee,
           interest - least(interest, greatest(got - fee, 0)) AS u_interest,
           principal - least(principal, greatest(got - fee - interest, 0)) AS u_principal,
           fee + interest + principal AS due_total
    FROM got
  ),
  per_loan AS (
    SELECT loan_id,
           min(due_on) FILTER (WHERE u_fee + u_interest + u_principal > 0 AND due_on < $1::date) AS overdue_since,
           min(due_on) FILTER (WHERE u_fee + u_interest + u_principal > 0 AND due_on >= $1::date) AS next_due,
           coalesce(sum(u_principal) FILTER (WHERE due_on < $1::date), 0)::int8 AS overdue_principal,
           coalesce(sum(u_interest) FILTER (WHERE due_on < $1::date), 0)::int8 AS overdue_interest,
           coalesce(sum(u_fee) FILTER (WHERE due_on < $1::date), 0)::int8 AS overdue_fee,
           sum(due_total)::int8 AS schedule_total
    FROM unpaid GROUP BY loan_id
  ),
  dpd AS (
    SELECT t.loan_id, l.borrower_id, l.product_id, pr.grace_days, pl.overdue_since, pl.next_due,
           coalesce(pl.overdue_principal, 0) AS overdue_principal,
           coalesce(pl.overdue_interest, 0) AS overdue_interest,
           coalesce(pl.overdue_fee, 0) AS overdue_fee,
           greatest(0, coalesce(pd.total, 0) - coalesce(pl.schedule_total, 0)) AS credit,
           CASE WHEN pl.overdue_since IS NULL THEN 0
                ELSE greatest(0, ($1::date - pl.overdue_since) - pr.grace_days) END AS dpd
    FROM targets t
    JOIN loans l ON l.id = t.loan_id
    JOIN products pr ON pr.id = l.product_id
    LEFT JOIN per_loan pl ON pl.loan_id = t.loan_id
    LEFT JOIN paid pd ON pd.loan_id = t.loan_id
  ),
  aged AS (
    SELECT d.loan_id, d.borrower_id, d.overdue_since, d.dpd, b.code AS bucket, d.grace_days,
           d.overdue_principal, d.overdue_interest, d.overdue_fee, d.credit,
           least(d.next_due + 1,
                 CASE WHEN d.overdue_since IS NULL OR b.max_dpd IS NULL THEN NULL
                      ELSE d.overdue_since + d.grace_days + b.max_dpd + 1 END) AS next_change_on
    FROM dpd d
    JOIN product_buckets b ON b.product_id = d.product_id
      AND d.dpd >= b.min_dpd AND (b.max_dpd IS NULL OR d.dpd <= b.max_dpd)
  )`;
}

export interface AgedLoanRow {
  loan_id: number;
  external_id: string;
  overdue_since: string | null;
  dpd: number;
  bucket: string;
  overdue_principal: number;
  overdue_interest: number;
  overdue_fee: number;
  credit: number;
  next_change_on: string | null;
}

export function delinquencyRepository() {
  return {
    /**
     * Collects, for the rest of the transaction, the loans an event-driven day must age: those
     * whose next change date has come, plus those with payments dated in (since, asOf]. Kept in
     * a table because aging moves next_change_on, and case refresh must see the same set.
     */
    async materializeDueTargets(tx: Database, asOf: string, since: string): Promise<number> {
      await tx.query('CREATE TEMP TABLE IF NOT EXISTS aging_targets (loan_id int PRIMARY KEY) ON COMMIT DROP');
      const r = await tx.query(
        `INSERT INTO aging_targets (loan_id)
         SELECT loan_id FROM loan_delinquency WHERE next_change_on <= $1::date
         UNION SELECT loan_id FROM payments WHERE paid_on > $2::date AND paid_on <= $1::date
         ON CONFLICT DO NOTHING`,
        [asOf, since],
      );
      return r.rowCount;
    },

    /**
     * Ages the target loans as of asOf and stores the result; records each bucket change in
     * bucket_history. Returns the number of loans aged.
     */
    async ageAndStore(tx: Database, asOf: string, target: AgingTarget): Promise<number> {
      const t = targetSql(target);
      const r = await tx.query<{ n: number }>(
        `WITH ${agedCte(t.sql)},
        before AS (
          SELECT ld.loan_id, ld.bucket FROM loan_delinquency ld JOIN targets t ON t.loan_id = ld.loan_id
        ),
        stored AS (
          INSERT INTO loan_delinquency AS ld (loan_id, borrower_id, as_of, overdue_since, bucket,
            overdue_principal, overdue_interest, overdue_fee, credit, next_change_on, updated_at)
          SELECT loan_id, borrower_id, $1::date, overdue_since, bucket,
                 overdue_principal, overdue_interest, overdue_fee, credit, next_change_on, now()
          FROM aged
          ON CONFLICT (loan_id) DO UPDATE SET
            as_of = excluded.as_of, overdue_since = excluded.overdue_since, bucket = excluded.bucket,
            overdue_principal = excluded.overdue_principal, overdue_interest = excluded.overdue_interest,
            overdue_fee = excluded.overdue_fee, credit = excluded.credit,
            next_change_on = excluded.next_change_on, updated_at = excluded.updated_at
          RETURNING ld.loan_id, ld.borrower_id, ld.bucket
        ),
        history AS (
          INSERT INTO bucket_history (loan_id, borrower_id, changed_on, from_bucket, to_bucket)
          SELECT s.loan_id, s.borrower_id, $1::date, b.bucket, s.bucket
          FROM stored s LEFT JOIN before b ON b.loan_id = s.loan_id
          WHERE b.bucket IS DISTINCT FROM s.bucket
        )
        SELECT count(*)::int AS n FROM stored`,
        [asOf, ...t.params],
      );
      return r.rows[0]!.n;
    },

    /** Computes without storing: the delinquency of the given loans as of any date. */
    async compute(db: Database, asOf: string, loanIds: readonly number[]): Promise<AgedLoanRow[]> {
      const r = await db.query<AgedLoanRow>(
        `WITH ${agedCte('SELECT DISTINCT unnest($2::int[]) AS loan_id')}
         SELECT a.loan_id, l.external_id, a.overdue_since, a.dpd, a.bucket, a.overdue_principal,
                a.overdue_interest, a.overdue_fee, a.credit, a.next_change_on
         FROM aged a JOIN loans l ON l.id = a.loan_id ORDER BY l.external_id COLLATE "C"`,
        [asOf, loanIds],
      );
      return r.rows;
    },

    /**
     * One page of the delinquency export: loans disbursed on or before asOf, ordered by the
     * lender's loan id, after `afterExternalId`.
     */
    async exportPage(db: Database, asOf: string, afterExternalId: string | null, limit: number): Promise<AgedLoanRow[]> {
      const r = await db.query<AgedLoanRow>(
        `WITH ${agedCte(
          `SELECT id AS loan_id FROM loans
           WHERE disbursed_on <= $1::date AND ($2::text IS NULL OR external_id COLLATE "C" > $2::text)
           ORDER BY external_id COLLATE "C" LIMIT $3`,
        )}
         SELECT a.loan_id, l.external_id, a.overdue_since, a.dpd, a.bucket, a.overdue_principal,
                a.overdue_interest, a.overdue_fee, a.credit, a.next_change_on
         FROM aged a JOIN loans l ON l.id = a.loan_id ORDER BY l.external_id COLLATE "C"`,
        [asOf, afterExternalId, limit],
      );
      return r.rows;
    },

    /**
     * Opens a case for each borrower in scope with a loan past grace (dpd ≥ 1), keeps open cases'
     * bucket, dpd start and total overdue current, and closes cases with nothing overdue.
     * Scope: borrowers owning the target loans.
     */
    async refreshCases(tx: Database, asOf: string, target: AgingTarget): Promise<{ opened: number; closed: number }> {
      const t = targetSql(target);
      const r = await tx.query<{ opened: number; closed: number }>(
        `WITH targets AS (${t.sql}),
        scope AS (
          SELECT DISTINCT l.borrower_id FROM loans l JOIN targets t ON t.loan_id = l.id
        ),
        state AS (
          SELECT DISTINCT ON (ld.borrower_id) ld.borrower_id, ld.bucket,
                 ld.overdue_since + pr.grace_days AS dpd_from,
                 (sum(ld.overdue_principal + ld.overdue_interest + ld.overdue_fee) OVER (PARTITION BY ld.borrower_id))::int8 AS total_overdue
          FROM loan_delinquency ld
          JOIN scope s ON s.borrower_id = ld.borrower_id
          JOIN loans l ON l.id = ld.loan_id
          JOIN products pr ON pr.id = l.product_id
          WHERE ld.overdue_since IS NOT NULL AND ld.overdue_since + pr.grace_days < $1::date
          ORDER BY ld.borrower_id, ld.overdue_since + pr.grace_days, ld.loan_id
        ),
        closed AS (
          UPDATE cases c SET status = 'closed', closed_on = $1::date, updated_at = now()
          FROM scope s
          WHERE c.borrower_id = s.borrower_id AND c.status = 'open'
            AND NOT EXISTS (SELECT 1 FROM state st WHERE st.borrower_id = c.borrower_id)
          RETURNING c.id
        ),
        updated AS (
          UPDATE cases c SET bucket = st.bucket, dpd_from = st.dpd_from, total_overdue = st.total_overdue, updated_at = now()
          FROM state st
          WHERE c.borrower_id = st.borrower_id AND c.status = 'open'
            AND (c.bucket, c.dpd_from, c.total_overdue) IS DISTINCT FROM (st.bucket, st.dpd_from, st.total_overdue)
          RETURNING c.id
        ),
        opened AS (
          INSERT INTO cases (borrower_id, status, opened_on, bucket, dpd_from, total_overdue)
          SELECT st.borrower_id, 'open', $1::date, st.bucket, st.dpd_from, st.total_overdue
          FROM state st
          WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.borrower_id = st.borrower_id AND c.status = 'open')
          RETURNING id
        )
        SELECT (SELECT count(*) FROM opened)::int AS opened, (SELECT count(*) FROM closed)::int AS closed`,
        [asOf, ...t.params],
      );
      return r.rows[0]!;
    },
  };
}
