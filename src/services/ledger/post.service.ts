// The JSON side of import: one borrower, loan (with installments) or payment per request,
// through the same validation and the same idempotent statements as a CSV file.
import type { Deps } from '../../deps.js';
import { auditedTransaction, type AuditScope } from '../audit/audit.service.js';
import { importRows } from './import.service.js';

const camel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const text = (v: string | null | undefined) => v ?? '';

export async function postBorrower(
  deps: Deps,
  b: { id: string; name: string; idNumber?: string | null; phone: string; email?: string | null; timezone?: string | null; locale: string; address?: string | null },
  audit?: AuditScope,
): Promise<boolean> {
  const field = (c: string) => (c === 'borrower_id' ? 'id' : camel(c));
  return auditedTransaction(deps.db, audit, async (tx) => {
    const r = await importRows(
      tx,
      deps,
      'borrowers',
      [{ borrower_id: b.id, name: b.name, id_number: text(b.idNumber), phone: b.phone, email: text(b.email), timezone: text(b.timezone), locale: b.locale, address: text(b.address) }],
      field,
    );
    return r.created > 0;
  });
}

export async function postLoan(
  deps: Deps,
  l: {
    id: string;
    borrowerId: string;
    productId: string;
    principal: string;
    annualRate: string;
    disbursedOn: string;
    currency: string;
    installments: { seq: number; dueOn: string; principal: string; interest: string; fee: string }[];
  },
  audit?: AuditScope,
): Promise<boolean> {
  return auditedTransaction(deps.db, audit, async (tx) => {
    const loan = await importRows(
      tx,
      deps,
      'loans',
      [{ loan_id: l.id, borrower_id: l.borrowerId, product_id: l.productId, principal: l.principal, annual_rate: l.annualRate, disbursed_on: l.disbursedOn, currency: l.currency }],
      (c) => (c === 'loan_id' ? 'id' : camel(c)),
    );
    const inst = await importRows(
      tx,
      deps,
      'installments',
      l.installments.map((i) => ({ loan_id: l.id, seq: String(i.seq), due_on: i.dueOn, principal: i.principal, interest: i.interest, fee: i.fee })),
      (c, index) => `installments.${index}.${camel(c)}`,
    );
    return loan.created + inst.created > 0;
  });
}

export async function postPayment(
  deps: Deps,
  p: { id: string; loanId: string; paidAt: string; amount: string },
  audit?: AuditScope,
): Promise<boolean> {
  return auditedTransaction(deps.db, audit, async (tx) => {
    const r = await importRows(
      tx,
      deps,
      'payments',
      [{ payment_id: p.id, loan_id: p.loanId, paid_at: p.paidAt, amount: p.amount }],
      (c) => (c === 'payment_id' ? 'id' : camel(c)),
    );
    return r.created > 0;
  });
}
