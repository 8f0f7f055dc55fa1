// Reads for the API: one borrower, one loan with its schedule and payments, pages of cases.
import type { Database } from '../client.js';
import type { CaseScope } from '../../domain/access/permissions.js';
import { borrowerInScope, caseInScope } from './case-scope.sql.js';

export interface BorrowerRecord {
  id: number;
  external_id: string;
  name: string;
  id_number: string | null;
  phone: string;
  email: string | null;
  address: string | null;
  timezone: string;
  locale: string;
}

export interface LoanRecord {
  id: number;
  external_id: string;
  borrower_external_id: string;
  product_ref: string;
  product_external_id: string;
  grace_days: number;
  principal: number;
  annual_rate: string;
  disbursed_on: string;
  currency: string;
  as_of: string | null;
  overdue_since: string | null;
  bucket: string | null;
  overdue_principal: number | null;
  overdue_interest: number | null;
  overdue_fee: number | null;
  credit: number | null;
  next_change_on: string | null;
}

export interface InstallmentRecord {
  seq: number;
  due_on: string;
  principal: number;
  interest: number;
  fee: number;
}

export interface PaymentRecord {
  external_id: string;
  paid_at: string;
  paid_on: string;
  amount: number;
}

export interface CaseRecord {
  id: number;
  borrower_external_id: string;
  status: string;
  bucket: string;
  dpd_from: string | null;
  total_overdue: number;
  opened_on: string;
  closed_on: string | null;
}

export function readRepository() {
  return {
    /** The borrower when one of their cases is in the scope (always, for scope `all`). */
    /** Borrowers whose phone or ID number has this blind index, within the scope. */
    async borrowersByIndex(db: Database, column: 'phone_index' | 'id_number_index', index: string, scope: CaseScope): Promise<BorrowerRecord[]> {
      const visible = borrowerInScope(scope, 'borrowers.id', 2);
      const r = await db.query<BorrowerRecord>(
        `SELECT id, external_id, name, id_number, phone, email, address, timezone, locale FROM borrowers
         WHERE ${column} = $1 AND ${visible.sql} ORDER BY external_id COLLATE "C" LIMIT 50`,
        [index, ...visible.params],
      );
      return r.rows;
    },

    async borrowerByExternalId(db: Database, externalId: string, scope: CaseScope): Promise<BorrowerRecord | null> {
      const visible = borrowerInScope(scope, 'borrowers.id', 2);
      const r = await db.query<BorrowerRecord>(
        `SELECT id, external_id, name, id_number, phone, email, address, timezone, locale FROM borrowers WHERE external_id = $1 AND ${visible.sql}`,
        [externalId, ...visible.params],
      );
      return r.rows[0] ?? null;
    },

    async loansOfBorrower(db: Database, borrowerId: number): Promise<LoanRecord[]> {
      return (await db.query<LoanRecord>(`${LOAN_SELECT} WHERE l.borrower_id = $1 ORDER BY l.external_id COLLATE "C"`, [borrowerId])).rows;
    },

    /** The loan when one of its borrower's cases is in the scope (always, for scope `all`). */
    async loanByExternalId(db: Database, externalId: string, scope: CaseScope): Promise<LoanRecord | null> {
      const visible = borrowerInScope(scope, 'l.borrower_id', 2);
      return (await db.query<LoanRecord>(`${LOAN_SELECT} WHERE l.external_id = $1 AND ${visible.sql}`, [externalId, ...visible.params])).rows[0] ?? null;
    },

    async schedule(db: Database, loanId: number): Promise<InstallmentRecord[]> {
      return (
        await db.query<InstallmentRecord>(
          'SELECT seq, due_on, principal, interest, fee FROM installments WHERE loan_id = $1 ORDER BY due_on, seq',
          [loanId],
        )
      ).rows;
    },

    async payments(db: Database, loanId: number): Promise<PaymentRecord[]> {
      return (
        await db.query<PaymentRecord>(
          'SELECT external_id, paid_at, paid_on, amount FROM payments WHERE loan_id = $1 ORDER BY paid_at, id',
          [loanId],
        )
      ).rows;
    },

    async casesPage(
      db: Database,
      filter: { status?: string; bucket?: string; afterId: number; limit: number },
      scope: CaseScope,
    ): Promise<CaseRecord[]> {
      const visible = caseInScope(scope, 'c', 5);
      return (
        await db.query<CaseRecord>(
          `SELECT c.id, b.external_id AS borrower_external_id, c.status, c.bucket, c.dpd_from, c.total_overdue, c.opened_on, c.closed_on
           FROM cases c JOIN borrowers b ON b.id = c.borrower_id
           WHERE c.id > $1 AND ($2::text IS NULL OR c.status = $2) AND ($3::text IS NULL OR c.bucket = $3) AND ${visible.sql}
           ORDER BY c.id LIMIT $4`,
          [filter.afterId, filter.status ?? null, filter.bucket ?? null, filter.limit, ...visible.params],
        )
      ).rows;
    },

    /** Loans per bucket as of the business date (stored state). */
    async bucketCounts(db: Database): Promise<{ bucket: string; loans: number; total_overdue: number }[]> {
      return (
        await db.query<{ bucket: string; loans: number; total_overdue: number }>(
          `SELECT bucket, count(*)::int AS loans, sum(overdue_principal + overdue_interest + overdue_fee)::int8 AS total_overdue
           FROM loan_delinquency GROUP BY bucket ORDER BY bucket`,
        )
      ).rows;
    },
  };
}

const LOAN_SELECT = `
  SELECT l.id, l.external_id, b.external_id AS borrower_external_id, l.product_ref, p.external_id AS product_external_id,
         p.grace_days, l.principal, l.annual_rate::text AS annual_rate, l.disbursed_on, l.currency,
         ld.as_of, ld.overdue_since, ld.bucket, ld.overdue_principal, ld.overdue_interest, ld.overdue_fee, ld.credit, ld.next_change_on
  FROM loans l
  JOIN borrowers b ON b.id = l.borrower_id
  JOIN products p ON p.id = l.product_id
  LEFT JOIN loan_delinquency ld ON ld.loan_id = l.id`;
