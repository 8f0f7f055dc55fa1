// What the API shows of the ledger, as of the business date.
import { readRepository, type LoanRecord } from '../../db/repositories/read.repository.js';
import { ledgerRepository } from '../../db/repositories/ledger.repository.js';
import { dpdOn } from '../../domain/delinquency/aging.js';
import { paidByInstallment } from '../../domain/delinquency/allocation.js';
import type { Fen } from '../../domain/money.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../errors.js';
import { caseScope, type Actor } from '../../domain/access/permissions.js';
import { maskedPersonalData } from '../privacy/personal-data.js';

const read = readRepository();
const ledger = ledgerRepository();

export interface LoanDelinquencyView {
  asOf: string;
  dpd: number;
  bucket: string;
  overdueSince: string | null;
  overduePrincipal: Fen;
  overdueInterest: Fen;
  overdueFee: Fen;
  totalOverdue: Fen;
  credit: Fen;
  nextChangeOn: string | null;
}

function delinquencyView(l: LoanRecord, businessDate: string | null): LoanDelinquencyView | null {
  if (l.bucket === null || businessDate === null) return null;
  const p = l.overdue_principal ?? 0;
  const i = l.overdue_interest ?? 0;
  const f = l.overdue_fee ?? 0;
  return {
    asOf: businessDate,
    dpd: dpdOn(l.overdue_since, businessDate, l.grace_days),
    bucket: l.bucket,
    overdueSince: l.overdue_since,
    overduePrincipal: p,
    overdueInterest: i,
    overdueFee: f,
    totalOverdue: p + i + f,
    credit: l.credit ?? 0,
    nextChangeOn: l.next_change_on,
  };
}

function loanSummary(l: LoanRecord, businessDate: string | null) {
  return {
    id: l.external_id,
    borrowerId: l.borrower_external_id,
    productId: l.product_ref,
    agedByProduct: l.product_external_id,
    principal: l.principal,
    annualRate: l.annual_rate,
    disbursedOn: l.disbursed_on,
    currency: l.currency,
    delinquency: delinquencyView(l, businessDate),
  };
}

/** 404 also when none of the borrower's cases is in the actor's scope: existence is not revealed. */
export async function getBorrower(deps: Deps, externalId: string, actor: Actor) {
  const b = await read.borrowerByExternalId(deps.db, externalId, caseScope(actor));
  if (!b) throw new AppError('not_found', 'BORROWER.NOT_FOUND', `no borrower ${externalId}`);
  const businessDate = await ledger.businessDate(deps.db);
  const loans = await read.loansOfBorrower(deps.db, b.id);
  return {
    id: b.external_id,
    name: b.name,
    ...maskedPersonalData(deps, b),
    timezone: b.timezone,
    locale: b.locale,
    loans: loans.map((l) => loanSummary(l, businessDate)),
  };
}

export async function getLoan(deps: Deps, externalId: string, actor: Actor) {
  const l = await read.loanByExternalId(deps.db, externalId, caseScope(actor));
  if (!l) throw new AppError('not_found', 'LOAN.NOT_FOUND', `no loan ${externalId}`);
  const businessDate = await ledger.businessDate(deps.db);
  const [schedule, payments] = await Promise.all([read.schedule(deps.db, l.id), read.payments(deps.db, l.id)]);
  const counted = payments.filter((p) => businessDate !== null && p.paid_on <= businessDate);
  const totalPaid = counted.reduce((s, p) => s + p.amount, 0);
  const paid = new Map(
    paidByInstallment(
      schedule.map((s) => ({ seq: s.seq, dueOn: s.due_on, principal: s.principal, interest: s.interest, fee: s.fee })),
      totalPaid,
    ).parts.map((p) => [p.seq, p]),
  );
  return {
    ...loanSummary(l, businessDate),
    schedule: schedule.map((s) => {
      const p = paid.get(s.seq);
      return {
        seq: s.seq,
        dueOn: s.due_on,
        principal: s.principal,
        interest: s.interest,
        fee: s.fee,
        paidPrincipal: p?.principal ?? 0,
        paidInterest: p?.interest ?? 0,
        paidFee: p?.fee ?? 0,
      };
    }),
    payments: payments.map((p) => ({
      id: p.external_id,
      paidAt: p.paid_at,
      paidOn: p.paid_on,
      amount: p.amount,
      counted: businessDate !== null && p.paid_on <= businessDate,
    })),
  };
}

/** The actor's cases only (caseScope), filtered in the query itself. */
export async function listCases(deps: Deps, q: { status?: string; bucket?: string; limit: number; cursor?: string }, actor: Actor) {
  let afterId = 0;
  if (q.cursor !== undefined) {
    const n = Number(Buffer.from(q.cursor, 'base64url').toString('utf8'));
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new AppError('validation', 'REQUEST.INVALID', 'cursor: not a cursor this API gave', [
        { field: 'cursor', message: 'not a cursor this API gave' },
      ]);
    }
    afterId = n;
  }
  const businessDate = await ledger.businessDate(deps.db);
  const rows = await read.casesPage(deps.db, { ...q, afterId, limit: q.limit + 1 }, caseScope(actor));
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((c) => ({
      id: c.id,
      borrowerId: c.borrower_external_id,
      status: c.status,
      bucket: c.bucket,
      dpd: c.status === 'open' && c.dpd_from && businessDate ? Math.max(0, dpdOn(c.dpd_from, businessDate, 0)) : 0,
      totalOverdue: c.total_overdue,
      openedOn: c.opened_on,
      closedOn: c.closed_on,
    })),
    nextCursor: rows.length > q.limit && last ? Buffer.from(String(last.id)).toString('base64url') : null,
  };
}

export async function portfolioSummary(deps: Deps) {
  const [businessDate, buckets] = await Promise.all([ledger.businessDate(deps.db), read.bucketCounts(deps.db)]);
  return { businessDate, buckets };
}
