import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatYuan } from '../../domain/money.js';
import { getBorrower, getLoan, listCases } from '../../services/ledger/query.service.js';
import { postBorrower, postLoan, postPayment } from '../../services/ledger/post.service.js';
import type { Deps } from '../../deps.js';
import { PERSONAL_FIELDS } from '../../domain/privacy/mask.js';
import { findBorrowers, revealPersonalField } from '../../services/privacy/personal-data.js';
import { ErrorResponse, IsoDate, Money, MoneyIn } from '../schemas.js';

const Delinquency = z
  .object({
    asOf: IsoDate,
    dpd: z.number().int(),
    bucket: z.string(),
    overdueSince: IsoDate.nullable(),
    overduePrincipal: Money,
    overdueInterest: Money,
    overdueFee: Money,
    totalOverdue: Money,
    credit: Money,
    nextChangeOn: IsoDate.nullable(),
  })
  .nullable();

const LoanSummary = z.object({
  id: z.string(),
  borrowerId: z.string(),
  productId: z.string(),
  agedByProduct: z.string(),
  principal: Money,
  annualRate: z.string(),
  disbursedOn: IsoDate,
  currency: z.string(),
  delinquency: Delinquency,
});

const Loan = LoanSummary.extend({
  schedule: z.array(
    z.object({
      seq: z.number().int(),
      dueOn: IsoDate,
      principal: Money,
      interest: Money,
      fee: Money,
      paidPrincipal: Money,
      paidInterest: Money,
      paidFee: Money,
    }),
  ),
  payments: z.array(z.object({ id: z.string(), paidAt: z.string(), paidOn: IsoDate, amount: Money, counted: z.boolean() })),
});

const Borrower = z.object({
  id: z.string(),
  name: z.string(),
  idNumber: z.string().nullable(),
  phone: z.string(),
  email: z.string().nullable(),
  address: z.string().nullable(),
  timezone: z.string(),
  locale: z.string(),
  loans: z.array(LoanSummary),
});

const CaseItem = z.object({
  id: z.number().int(),
  borrowerId: z.string(),
  status: z.enum(['open', 'closed']),
  bucket: z.string(),
  dpd: z.number().int(),
  totalOverdue: Money,
  openedOn: IsoDate,
  closedOn: IsoDate.nullable(),
});

const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const IdParam = z.strictObject({ id: z.string().min(1).max(64) });

type DelinquencyIn = Awaited<ReturnType<typeof getLoan>>['delinquency'];
function delinquencyOut(d: DelinquencyIn) {
  return d && {
    ...d,
    overduePrincipal: formatYuan(d.overduePrincipal),
    overdueInterest: formatYuan(d.overdueInterest),
    overdueFee: formatYuan(d.overdueFee),
    totalOverdue: formatYuan(d.totalOverdue),
    credit: formatYuan(d.credit),
  };
}
function loanSummaryOut<T extends { principal: number; delinquency: DelinquencyIn }>(l: T) {
  return { ...l, principal: formatYuan(l.principal), delinquency: delinquencyOut(l.delinquency) };
}
function loanOut(l: Awaited<ReturnType<typeof getLoan>>) {
  return {
    ...loanSummaryOut(l),
    schedule: l.schedule.map((s) => ({
      ...s,
      principal: formatYuan(s.principal),
      interest: formatYuan(s.interest),
      fee: formatYuan(s.fee),
      paidPrincipal: formatYuan(s.paidPrincipal),
      paidInterest: formatYuan(s.paidInterest),
      paidFee: formatYuan(s.paidFee),
    })),
    payments: l.payments.map((p) => ({ ...p, amount: formatYuan(p.amount) })),
  };
}
function borrowerOut(b: Awaited<ReturnType<typeof getBorrower>>) {
  return { ...b, loans: b.loans.map(loanSummaryOut) };
}

export const BorrowerIn = z.strictObject({
  id: z.string().trim().min(1).max(64),
  name: z.string().min(1).max(100),
  idNumber: z.string().max(18).nullable().optional(),
  phone: z.string().min(1).max(20),
  email: z.string().max(254).nullable().optional(),
  timezone: z.string().max(64).nullable().optional(),
  locale: z.enum(['zh-CN', 'en']),
  address: z.string().max(500).nullable().optional(),
});

export const InstallmentIn = z.strictObject({
  seq: z.number().int().min(1).max(9999),
  dueOn: IsoDate,
  principal: MoneyIn,
  interest: MoneyIn,
  fee: MoneyIn,
});

export const LoanIn = z.strictObject({
  id: z.string().trim().min(1).max(64),
  borrowerId: z.string().trim().min(1).max(64),
  productId: z.string().min(1).max(64),
  principal: MoneyIn,
  annualRate: z.string().regex(/^\d{1,3}(\.\d{1,8})?$/, 'must be a fraction as a string, e.g. "0.18" for 18%'),
  disbursedOn: IsoDate,
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as CNY'),
  installments: z.array(InstallmentIn).min(1).max(600),
});

export const PaymentIn = z.strictObject({
  id: z.string().trim().min(1).max(64),
  loanId: z.string().trim().min(1).max(64),
  paidAt: z.string().min(1).max(40),
  amount: MoneyIn,
});

export function ledgerRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/borrowers/:id',
      {
        config: { permission: 'ledger.read' },
        schema: { tags: ['ledger'], summary: 'One borrower with their loans', params: IdParam, response: { 200: Borrower, ...errors } },
      },
      async (req) => {
        req.audit.touch('borrowers', [req.params.id]);
        return borrowerOut(await getBorrower(deps, req.params.id, req.actor));
      },
    );

    app.get(
      '/borrowers',
      {
        config: { permission: 'ledger.read' },
        schema: {
          tags: ['ledger'],
          summary: 'Find borrowers by phone (E.164) or ID number, within your case scope',
          querystring: z
            .strictObject({ phone: z.string().trim().min(1).max(20).optional(), idNumber: z.string().trim().min(1).max(18).optional() })
            .refine((q) => (q.phone === undefined) !== (q.idNumber === undefined), { message: 'give exactly one of phone or idNumber', path: ['phone'] }),
          response: {
            200: z.object({
              items: z.array(
                z.object({ id: z.string(), name: z.string(), idNumber: z.string().nullable(), phone: z.string(), email: z.string().nullable(), address: z.string().nullable() }),
              ),
            }),
            ...errors,
          },
        },
      },
      async (req) => {
        const items = await findBorrowers(deps, req.actor, req.query);
        req.audit.touch('borrowers', items.map((b) => b.id));
        return { items };
      },
    );

    app.post(
      '/borrowers/:id/reveal',
      {
        config: { permission: 'pii.reveal' },
        schema: {
          tags: ['ledger'],
          summary: 'One personal field of a borrower, unmasked; the reason is recorded in the audit trail',
          params: IdParam,
          body: z.strictObject({
            field: z.enum(PERSONAL_FIELDS),
            reason: z.string().trim().min(5, 'say why, in at least 5 characters').max(500),
          }),
          response: { 200: z.object({ borrowerId: z.string(), field: z.enum(PERSONAL_FIELDS), value: z.string().nullable() }), ...errors },
        },
      },
      async (req) => {
        const value = await revealPersonalField(deps, req.actor, req.audit, req.params.id, req.body.field, req.body.reason);
        return { borrowerId: req.params.id, field: req.body.field, value };
      },
    );

    app.get(
      '/loans/:id',
      {
        config: { permission: 'ledger.read' },
        schema: {
          tags: ['ledger'],
          summary: 'One loan: schedule, payments and delinquency as of the business date',
          params: IdParam,
          response: { 200: Loan, ...errors },
        },
      },
      async (req) => {
        req.audit.touch('loans', [req.params.id]);
        return loanOut(await getLoan(deps, req.params.id, req.actor));
      },
    );

    app.get(
      '/cases',
      {
        config: { permission: 'cases.read' },
        schema: {
          tags: ['cases'],
          summary: 'Cases, oldest first, a page at a time',
          querystring: z.strictObject({
            status: z.enum(['open', 'closed']).optional(),
            bucket: z.string().min(1).max(16).optional(),
            limit: z.coerce.number().int().min(1).max(500).default(50),
            cursor: z.string().max(64).optional(),
          }),
          response: { 200: z.object({ items: z.array(CaseItem), nextCursor: z.string().nullable() }), ...errors },
        },
      },
      async (req) => {
        const page = await listCases(deps, req.query, req.actor);
        req.audit.touch('cases', page.items.map((c) => c.id));
        return { ...page, items: page.items.map((c) => ({ ...c, status: c.status as 'open' | 'closed', totalOverdue: formatYuan(c.totalOverdue) })) };
      },
    );

    app.post(
      '/borrowers',
      {
        config: { permission: 'ledger.write', idempotent: true },
        schema: {
          tags: ['ledger'],
          summary: 'Create a borrower (idempotent on id)',
          body: BorrowerIn,
          response: { 200: Borrower, 201: Borrower, ...errors },
        },
      },
      async (req, reply) => {
        req.audit.touch('borrowers', [req.body.id]);
        const created = await postBorrower(deps, req.body, req.audit);
        return reply.code(created ? 201 : 200).send(borrowerOut(await getBorrower(deps, req.body.id, req.actor)));
      },
    );

    app.post(
      '/loans',
      {
        config: { permission: 'ledger.write', idempotent: true },
        schema: {
          tags: ['ledger'],
          summary: 'Create a loan with its installments (idempotent on id)',
          body: LoanIn,
          response: { 200: Loan, 201: Loan, ...errors },
        },
      },
      async (req, reply) => {
        req.audit.touch('loans', [req.body.id]).touch('borrowers', [req.body.borrowerId]);
        const created = await postLoan(deps, req.body, req.audit);
        return reply.code(created ? 201 : 200).send(loanOut(await getLoan(deps, req.body.id, req.actor)));
      },
    );

    app.post(
      '/payments',
      {
        config: { permission: 'ledger.write', idempotent: true },
        schema: {
          tags: ['ledger'],
          summary: 'Record a payment (idempotent on id); it re-ages its loan at once when dated on or before the business date',
          body: PaymentIn,
          response: { 200: Loan, 201: Loan, ...errors },
        },
      },
      async (req, reply) => {
        req.audit.touch('payments', [req.body.id]).touch('loans', [req.body.loanId]);
        const created = await postPayment(deps, req.body, req.audit);
        return reply.code(created ? 201 : 200).send(loanOut(await getLoan(deps, req.body.loanId, req.actor)));
      },
    );
  };
}
