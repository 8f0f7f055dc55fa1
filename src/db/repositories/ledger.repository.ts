// Set-based SQL for bringing ledger rows in: rows are staged in a temporary table, checked
// against themselves, the stored rows and their references in a few statements, then inserted.
import type { Database } from '../client.js';
import type { LedgerKind } from '../../domain/ledger/rows.js';

export interface StageColumn {
  name: string;
  type: 'text' | 'int' | 'int8' | 'date' | 'timestamptz' | 'numeric';
}

export interface LedgerSpec {
  kind: LedgerKind;
  /** Staged columns (after `line`), named as the file's columns. */
  columns: readonly StageColumn[];
  /** Staged columns identifying a row; repeated keys must carry the same values. */
  key: readonly string[];
  /**
   * What a repeated key must agree on: [column named in errors, staged column compared]. Sealed
   * personal data is compared by its blind index (equal values seal differently).
   */
  compared: readonly (readonly [string, string])[];
  /** SQL yielding (line, key…, column) of staged rows whose key exists with other values. */
  conflictsSql: string;
  /** References to rows that must exist: staged column → SQL "does it exist" over `s`. */
  references: readonly { column: string; exists: string; reason: string }[];
  /** Inserts staged rows not yet stored, one per key; yields the new rows' ids as `id`. */
  insertSql: string;
}

const differs = (pairs: readonly [string, string][]) =>
  `CASE ${pairs.map(([col, cond]) => `WHEN ${cond} THEN '${col}'`).join(' ')} END`;

export const LEDGER_SPECS: Record<LedgerKind, LedgerSpec> = {
  borrowers: {
    kind: 'borrowers',
    columns: [
      { name: 'borrower_id', type: 'text' },
      { name: 'name', type: 'text' },
      { name: 'id_number', type: 'text' },
      { name: 'id_number_index', type: 'text' },
      { name: 'phone', type: 'text' },
      { name: 'phone_index', type: 'text' },
      { name: 'email', type: 'text' },
      { name: 'email_index', type: 'text' },
      { name: 'timezone', type: 'text' },
      { name: 'locale', type: 'text' },
      { name: 'address', type: 'text' },
      { name: 'address_index', type: 'text' },
    ],
    key: ['borrower_id'],
    compared: [
      ['name', 'name'],
      ['id_number', 'id_number_index'],
      ['phone', 'phone_index'],
      ['email', 'email_index'],
      ['timezone', 'timezone'],
      ['locale', 'locale'],
      ['address', 'address_index'],
    ],
    conflictsSql: `SELECT s.line, ${differs([
      ['name', 's.name IS DISTINCT FROM b.name'],
      ['id_number', 's.id_number_index IS DISTINCT FROM b.id_number_index'],
      ['phone', 's.phone_index IS DISTINCT FROM b.phone_index'],
      ['email', 's.email_index IS DISTINCT FROM b.email_index'],
      ['timezone', 's.timezone IS DISTINCT FROM b.timezone'],
      ['locale', 's.locale IS DISTINCT FROM b.locale'],
      ['address', 's.address_index IS DISTINCT FROM b.address_index'],
    ])} AS column_name
      FROM stage s JOIN borrowers b ON b.external_id = s.borrower_id`,
    references: [],
    insertSql: `INSERT INTO borrowers (external_id, name, id_number, id_number_index, phone, phone_index, email, email_index,
        timezone, locale, address, address_index)
      SELECT DISTINCT ON (s.borrower_id) s.borrower_id, s.name, s.id_number, s.id_number_index, s.phone, s.phone_index,
             s.email, s.email_index, s.timezone, s.locale, s.address, s.address_index
      FROM stage s WHERE NOT EXISTS (SELECT 1 FROM borrowers b WHERE b.external_id = s.borrower_id)
      ORDER BY s.borrower_id, s.line
      ON CONFLICT DO NOTHING
      RETURNING id`,
  },
  contacts: {
    kind: 'contacts',
    columns: [
      { name: 'contact_id', type: 'text' },
      { name: 'borrower_id', type: 'text' },
      { name: 'relation', type: 'text' },
      { name: 'name', type: 'text' },
      { name: 'phone', type: 'text' },
      { name: 'phone_index', type: 'text' },
    ],
    key: ['contact_id'],
    compared: [
      ['borrower_id', 'borrower_id'],
      ['relation', 'relation'],
      ['name', 'name'],
      ['phone', 'phone_index'],
    ],
    conflictsSql: `SELECT s.line, ${differs([
      ['borrower_id', 's.borrower_id IS DISTINCT FROM b.external_id'],
      ['relation', 's.relation IS DISTINCT FROM c.relation'],
      ['name', 's.name IS DISTINCT FROM c.name'],
      ['phone', 's.phone_index IS DISTINCT FROM c.phone_index'],
    ])} AS column_name
      FROM stage s JOIN contacts c ON c.external_id = s.contact_id JOIN borrowers b ON b.id = c.borrower_id`,
    references: [
      { column: 'borrower_id', exists: 'EXISTS (SELECT 1 FROM borrowers b WHERE b.external_id = s.borrower_id)', reason: 'no borrower has this id' },
    ],
    insertSql: `INSERT INTO contacts (external_id, borrower_id, relation, name, phone, phone_index)
      SELECT DISTINCT ON (s.contact_id) s.contact_id, b.id, s.relation, s.name, s.phone, s.phone_index
      FROM stage s JOIN borrowers b ON b.external_id = s.borrower_id
      WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE c.external_id = s.contact_id)
      ORDER BY s.contact_id, s.line
      ON CONFLICT DO NOTHING
      RETURNING id`,
  },
  loans: {
    kind: 'loans',
    columns: [
      { name: 'loan_id', type: 'text' },
      { name: 'borrower_id', type: 'text' },
      { name: 'product_id', type: 'text' },
      { name: 'principal', type: 'int8' },
      { name: 'annual_rate', type: 'numeric' },
      { name: 'disbursed_on', type: 'date' },
      { name: 'currency', type: 'text' },
    ],
    key: ['loan_id'],
    compared: ['borrower_id', 'product_id', 'principal', 'annual_rate', 'disbursed_on', 'currency'].map((c) => [c, c] as const),
    conflictsSql: `SELECT s.line, ${differs([
      ['borrower_id', 's.borrower_id IS DISTINCT FROM b.external_id'],
      ['product_id', 's.product_id IS DISTINCT FROM l.product_ref'],
      ['principal', 's.principal IS DISTINCT FROM l.principal'],
      ['annual_rate', 's.annual_rate IS DISTINCT FROM l.annual_rate'],
      ['disbursed_on', 's.disbursed_on IS DISTINCT FROM l.disbursed_on'],
      ['currency', 's.currency IS DISTINCT FROM l.currency'],
    ])} AS column_name
      FROM stage s JOIN loans l ON l.external_id = s.loan_id JOIN borrowers b ON b.id = l.borrower_id`,
    references: [
      { column: 'borrower_id', exists: 'EXISTS (SELECT 1 FROM borrowers b WHERE b.external_id = s.borrower_id)', reason: 'no borrower has this id' },
    ],
    insertSql: `INSERT INTO loans (external_id, borrower_id, product_id, product_ref, principal, annual_rate, disbursed_on, currency)
      SELECT DISTINCT ON (s.loan_id) s.loan_id, b.id,
             coalesce((SELECT p.id FROM products p WHERE p.external_id = s.product_id),
                      (SELECT p.id FROM products p WHERE p.external_id = 'default')),
             s.product_id, s.principal, s.annual_rate, s.disbursed_on, s.currency
      FROM stage s JOIN borrowers b ON b.external_id = s.borrower_id
      WHERE NOT EXISTS (SELECT 1 FROM loans l WHERE l.external_id = s.loan_id)
      ORDER BY s.loan_id, s.line
      ON CONFLICT DO NOTHING
      RETURNING id`,
  },
  installments: {
    kind: 'installments',
    columns: [
      { name: 'loan_id', type: 'text' },
      { name: 'seq', type: 'int' },
      { name: 'due_on', type: 'date' },
      { name: 'principal', type: 'int8' },
      { name: 'interest', type: 'int8' },
      { name: 'fee', type: 'int8' },
    ],
    key: ['loan_id', 'seq'],
    compared: ['due_on', 'principal', 'interest', 'fee'].map((c) => [c, c] as const),
    conflictsSql: `SELECT s.line, ${differs([
      ['due_on', 's.due_on IS DISTINCT FROM i.due_on'],
      ['principal', 's.principal IS DISTINCT FROM i.principal'],
      ['interest', 's.interest IS DISTINCT FROM i.interest'],
      ['fee', 's.fee IS DISTINCT FROM i.fee'],
    ])} AS column_name
      FROM stage s JOIN loans l ON l.external_id = s.loan_id JOIN installments i ON i.loan_id = l.id AND i.seq = s.seq`,
    references: [
      { column: 'loan_id', exists: 'EXISTS (SELECT 1 FROM loans l WHERE l.external_id = s.loan_id)', reason: 'no loan has this id' },
    ],
    insertSql: `INSERT INTO installments (loan_id, borrower_id, seq, due_on, principal, interest, fee)
      SELECT DISTINCT ON (s.loan_id, s.seq) l.id, l.borrower_id, s.seq, s.due_on, s.principal, s.interest, s.fee
      FROM stage s JOIN loans l ON l.external_id = s.loan_id
      WHERE NOT EXISTS (SELECT 1 FROM installments i WHERE i.loan_id = l.id AND i.seq = s.seq)
      ORDER BY s.loan_id, s.seq, s.line
      ON CONFLICT DO NOTHING
      RETURNING loan_id AS id`,
  },
  payments: {
    kind: 'payments',
    columns: [
      { name: 'payment_id', type: 'text' },
      { name: 'loan_id', type: 'text' },
      { name: 'paid_at', type: 'timestamptz' },
      { name: 'paid_on', type: 'date' },
      { name: 'amount', type: 'int8' },
    ],
    key: ['payment_id'],
    compared: ['loan_id', 'paid_at', 'amount'].map((c) => [c, c] as const),
    conflictsSql: `SELECT s.line, ${differs([
      ['loan_id', 's.loan_id IS DISTINCT FROM l.external_id'],
      ['paid_at', 's.paid_at IS DISTINCT FROM p.paid_at'],
      ['amount', 's.amount IS DISTINCT FROM p.amount'],
    ])} AS column_name
      FROM stage s JOIN payments p ON p.external_id = s.payment_id JOIN loans l ON l.id = p.loan_id`,
    references: [
      { column: 'loan_id', exists: 'EXISTS (SELECT 1 FROM loans l WHERE l.external_id = s.loan_id)', reason: 'no loan has this id' },
    ],
    // Arrival order is file order: allocation follows payment ids.
    insertSql: `INSERT INTO payments (external_id, loan_id, borrower_id, paid_at, paid_on, amount)
      SELECT x.payment_id, x.loan_id, x.borrower_id, x.paid_at, x.paid_on, x.amount FROM (
        SELECT DISTINCT ON (s.payment_id) s.payment_id, l.id AS loan_id, l.borrower_id, s.paid_at, s.paid_on, s.amount, s.line
        FROM stage s JOIN loans l ON l.external_id = s.loan_id
        WHERE NOT EXISTS (SELECT 1 FROM payments p WHERE p.external_id = s.payment_id)
        ORDER BY s.payment_id, s.line
      ) x ORDER BY x.line
      ON CONFLICT DO NOTHING
      RETURNING id`,
  },
};

export interface StageProblem {
  line: number;
  column: string;
  reason: string;
  /** conflict: the id is stored with other values; the rest are faults of the input alone. */
  kind: 'repeat' | 'conflict' | 'reference';
}

export function ledgerRepository() {
  return {
    async createStage(tx: Database, spec: LedgerSpec): Promise<void> {
      await tx.exec(
        `DROP TABLE IF EXISTS stage; CREATE TEMP TABLE stage (line int NOT NULL, ${spec.columns
          .map((c) => `${c.name} ${c.type === 'int' ? 'int' : c.type}`)
          .join(', ')}) ON COMMIT DROP`,
      );
    },

    /** Appends rows to the stage: one statement per batch, one array parameter per column. */
    async stageRows(tx: Database, spec: LedgerSpec, lines: readonly number[], columns: readonly (readonly unknown[])[]): Promise<void> {
      const names = ['line', ...spec.columns.map((c) => c.name)];
      const types = ['int', ...spec.columns.map((c) => (c.type === 'int' ? 'int' : c.type))];
      await tx.query(
        `INSERT INTO stage (${names.join(', ')}) SELECT * FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`,
        [lines, ...columns],
      );
    },

    /** The first problem by line: a key repeated with other values, a conflict with stored rows, a missing reference. */
    async firstProblem(tx: Database, spec: LedgerSpec): Promise<StageProblem | null> {
      const keyEq = spec.key.map((k) => `a.${k} = s.${k}`).join(' AND ');
      const repeated = `SELECT s.line, ${differs(spec.compared.map(([shown, c]) => [shown, `s.${c} IS DISTINCT FROM a.${c}`]))} AS column_name,
          'repeats ' || ${spec.key.map((k) => `s.${k}::text`).join(" || ' ' || ")} || ' from line ' || a.line || ' with a different value' AS reason, 'repeat' AS kind
        FROM stage s JOIN stage a ON ${keyEq} AND a.line < s.line`;
      const conflicts = `SELECT c.line, c.column_name, 'differs from the stored row with the same id' AS reason, 'conflict' AS kind FROM (${spec.conflictsSql}) c`;
      const refs = spec.references.map(
        (r) => `SELECT s.line, '${r.column}' AS column_name, '${r.reason}: ' || s.${r.column} AS reason, 'reference' AS kind FROM stage s WHERE NOT ${r.exists}`,
      );
      const r = await tx.query<{ line: number; column_name: string | null; reason: string; kind: StageProblem['kind'] }>(
        `SELECT line, column_name, reason, kind FROM (${[repeated, conflicts, ...refs].map((q) => `(${q})`).join(' UNION ALL ')}) p
         WHERE column_name IS NOT NULL ORDER BY line, column_name LIMIT 1`,
      );
      const row = r.rows[0];
      return row ? { line: row.line, column: row.column_name!, reason: row.reason, kind: row.kind } : null;
    },

    /** Inserts the new staged rows; returns the ids of what was created (loan ids for installments). */
    async insertNew(tx: Database, spec: LedgerSpec): Promise<number[]> {
      const r = await tx.query<{ id: number }>(spec.insertSql);
      return r.rows.map((x) => x.id);
    },

    /** Loans that the staged rows refer to (for re-aging after installments or payments arrive). */
    async stagedLoanIds(tx: Database): Promise<number[]> {
      const r = await tx.query<{ id: number }>('SELECT DISTINCT l.id FROM stage s JOIN loans l ON l.external_id = s.loan_id');
      return r.rows.map((x) => x.id);
    },

    /**
     * Allocates new payments to their loans' installments: each payment is an interval on the
     * loan's schedule seen as one line (fee, interest, principal of each installment, oldest
     * first), starting where the loan's earlier payments ended; beyond the schedule is credit.
     */
    async allocatePayments(tx: Database, paymentIds: readonly number[]): Promise<void> {
      if (paymentIds.length === 0) return;
      await tx.query(
        `WITH new_pay AS (SELECT DISTINCT unnest($1::int[]) AS id),
        loans_in AS (SELECT DISTINCT p.loan_id FROM payments p JOIN new_pay n ON n.id = p.id),
        line AS (
          SELECT p.id, p.loan_id, p.borrower_id,
                 (sum(p.amount) OVER (PARTITION BY p.loan_id ORDER BY p.id) - p.amount)::int8 AS start_at,
                 (sum(p.amount) OVER (PARTITION BY p.loan_id ORDER BY p.id))::int8 AS end_at
          FROM payments p JOIN loans_in li ON li.loan_id = p.loan_id
        ),
        np AS (SELECT line.* FROM line JOIN new_pay n ON n.id = line.id),
        inst AS (
          SELECT i.id, i.loan_id, i.fee, i.interest, i.principal,
                 coalesce(sum(i.fee + i.interest + i.principal) OVER (
                   PARTITION BY i.loan_id ORDER BY i.due_on, i.seq
                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)::int8 AS b
          FROM installments i JOIN loans_in li ON li.loan_id = i.loan_id
        ),
        totals AS (
          SELECT i.loan_id, sum(i.fee + i.interest + i.principal)::int8 AS total
          FROM installments i JOIN loans_in li ON li.loan_id = i.loan_id GROUP BY i.loan_id
        )
        INSERT INTO payment_allocations (payment_id, loan_id, borrower_id, installment_id, fee, interest, principal, credit)
        SELECT np.id, np.loan_id, np.borrower_id, i.id,
               greatest(0, least(np.end_at, i.b + i.fee) - greatest(np.start_at, i.b)),
               greatest(0, least(np.end_at, i.b + i.fee + i.interest) - greatest(np.start_at, i.b + i.fee)),
               greatest(0, least(np.end_at, i.b + i.fee + i.interest + i.principal) - greatest(np.start_at, i.b + i.fee + i.interest)),
               0
        FROM np JOIN inst i ON i.loan_id = np.loan_id
          AND i.b < np.end_at AND i.b + i.fee + i.interest + i.principal > np.start_at
        UNION ALL
        SELECT np.id, np.loan_id, np.borrower_id, NULL, 0, 0, 0, np.end_at - greatest(np.start_at, coalesce(t.total, 0))
        FROM np LEFT JOIN totals t ON t.loan_id = np.loan_id
        WHERE np.end_at > coalesce(t.total, 0)`,
        [paymentIds],
      );
    },

    async businessDate(db: Database): Promise<string | null> {
      const r = await db.query<{ business_date: string | null }>('SELECT business_date FROM business_state WHERE id = 1');
      return r.rows[0]?.business_date ?? null;
    },

    async setBusinessDate(tx: Database, date: string): Promise<void> {
      await tx.query('UPDATE business_state SET business_date = $1 WHERE id = 1', [date]);
    },
  };
}
