// The one Postgres schema. Every table has an internal integer key; the lender's own ids are
// kept as unique external ids; every borrower-owned table carries borrower_id so work can be
// split by borrower key ranges and the database distributed by it.
import { sql } from 'drizzle-orm';
import {
  bigint,
  date,
  index,
  integer,
  numeric,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { agencies, teams, users } from './access.js';

const money = (name: string) => bigint(name, { mode: 'number' }).notNull().default(0);
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const products = pgTable('products', {
  id: serial('id').primaryKey(),
  externalId: text('external_id').notNull().unique(),
  name: text('name').notNull(),
  graceDays: integer('grace_days').notNull().default(0),
  createdAt: createdAt(),
});

export const productBuckets = pgTable(
  'product_buckets',
  {
    id: serial('id').primaryKey(),
    productId: integer('product_id').notNull().references(() => products.id),
    code: text('code').notNull(),
    minDpd: integer('min_dpd').notNull(),
    maxDpd: integer('max_dpd'),
  },
  (t) => [uniqueIndex('product_buckets_product_code').on(t.productId, t.code)],
);

export const borrowers = pgTable('borrowers', {
  id: serial('id').primaryKey(),
  externalId: text('external_id').notNull().unique(),
  name: text('name').notNull(),
  // Personal fields are sealed (AES-256-GCM, see services/privacy/vault.ts); each has a keyed
  // blind index for lookup and for comparing an imported row with the stored one.
  idNumber: text('id_number'),
  idNumberIndex: text('id_number_index'),
  phone: text('phone').notNull(),
  phoneIndex: text('phone_index').notNull(),
  email: text('email'),
  emailIndex: text('email_index'),
  address: text('address'),
  addressIndex: text('address_index'),
  timezone: text('timezone').notNull(),
  locale: text('locale').notNull(),
  createdAt: createdAt(),
}, (t) => [index('borrowers_phone_index').on(t.phoneIndex), index('borrowers_id_number_index').on(t.idNumberIndex)]);

export const contacts = pgTable(
  'contacts',
  {
    id: serial('id').primaryKey(),
    externalId: text('external_id').notNull().unique(),
    borrowerId: integer('borrower_id').notNull().references(() => borrowers.id),
    relation: text('relation').notNull(),
    name: text('name').notNull(),
    /** Sealed, like the borrower's personal fields. */
    phone: text('phone').notNull(),
    phoneIndex: text('phone_index').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('contacts_borrower').on(t.borrowerId), index('contacts_phone_index').on(t.phoneIndex)],
);

export const loans = pgTable(
  'loans',
  {
    id: serial('id').primaryKey(),
    externalId: text('external_id').notNull().unique(),
    borrowerId: integer('borrower_id').notNull().references(() => borrowers.id),
    productId: integer('product_id').notNull().references(() => products.id),
    /** The product id as the lender gave it, even when unknown and aged by the default product. */
    productRef: text('product_ref').notNull(),
    principal: money('principal'),
    annualRate: numeric('annual_rate', { precision: 12, scale: 8 }).notNull(),
    disbursedOn: date('disbursed_on', { mode: 'string' }).notNull(),
    currency: text('currency').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('loans_borrower').on(t.borrowerId)],
);

export const installments = pgTable(
  'installments',
  {
    id: serial('id').primaryKey(),
    loanId: integer('loan_id').notNull().references(() => loans.id),
    borrowerId: integer('borrower_id').notNull().references(() => borrowers.id),
    seq: integer('seq').notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    principal: money('principal'),
    interest: money('interest'),
    fee: money('fee'),
  },
  (t) => [uniqueIndex('installments_loan_seq').on(t.loanId, t.seq)],
);

export const payments = pgTable(
  'payments',
  {
    id: serial('id').primaryKey(),
    externalId: text('external_id').notNull().unique(),
    loanId: integer('loan_id').notNull().references(() => loans.id),
    borrowerId: integer('borrower_id').notNull().references(() => borrowers.id),
    paidAt: timestamp('paid_at', { withTimezone: true, mode: 'string' }).notNull(),
    /** The local date of paid_at in the lender's time zone: the date the payment counts from. */
    paidOn: date('paid_on', { mode: 'string' }).notNull(),
    amount: money('amount'),
    createdAt: createdAt(),
  },
  (t) => [index('payments_loan').on(t.loanId, t.paidOn), index('payments_paid_on').on(t.paidOn)],
);

export const paymentAllocations = pgTable(
  'payment_allocations',
  {
    id: serial('id').primaryKey(),
    paymentId: integer('payment_id').notNull().references(() => payments.id),
    loanId: integer('loan_id').notNull().references(() => loans.id),
    borrowerId: integer('borrower_id').notNull().references(() => borrowers.id),
    /** null: money beyond every installment, kept as credit on the loan. */
    installmentId: integer('installment_id').references(() => installments.id),
    fee: money('fee'),
    interest: money('interest'),
    principal: money('principal'),
    credit: money('credit'),
  },
  (t) => [index('payment_allocations_payment').on(t.paymentId), index('payment_allocations_loan').on(t.loanId)],
);

export const loanDelinquency = pgTable(
  'loan_delinquency',
  {
    // Derived rows, written only by the aging statement from loans that exist: no foreign keys,
    // whose checks would cost a full re-age a sixth of its time.
    loanId: integer('loan_id').primaryKey(),
    borrowerId: integer('borrower_id').notNull(),
    /** The date these values were computed as of; they hold until next_change_on. */
    asOf: date('as_of', { mode: 'string' }).notNull(),
    /** dpd is derived from this, never stored. */
    overdueSince: date('overdue_since', { mode: 'string' }),
    bucket: text('bucket').notNull(),
    overduePrincipal: money('overdue_principal'),
    overdueInterest: money('overdue_interest'),
    overdueFee: money('overdue_fee'),
    credit: money('credit'),
    nextChangeOn: date('next_change_on', { mode: 'string' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('loan_delinquency_next_change').on(t.nextChangeOn),
    index('loan_delinquency_borrower').on(t.borrowerId),
  ],
);

export const bucketHistory = pgTable(
  'bucket_history',
  {
    id: serial('id').primaryKey(),
    // Derived like loan_delinquency: no foreign keys.
    loanId: integer('loan_id').notNull(),
    borrowerId: integer('borrower_id').notNull(),
    /** The as-of date on which the change was observed. */
    changedOn: date('changed_on', { mode: 'string' }).notNull(),
    fromBucket: text('from_bucket'),
    toBucket: text('to_bucket').notNull(),
  },
  (t) => [index('bucket_history_loan').on(t.loanId, t.changedOn), index('bucket_history_changed_on').on(t.changedOn)],
);

export const cases = pgTable(
  'cases',
  {
    id: serial('id').primaryKey(),
    borrowerId: integer('borrower_id').notNull().references(() => borrowers.id),
    status: text('status').notNull(),
    openedOn: date('opened_on', { mode: 'string' }).notNull(),
    closedOn: date('closed_on', { mode: 'string' }),
    /** Worst bucket and oldest overdue-since date among the borrower's loans, as of the business date. */
    bucket: text('bucket').notNull(),
    /** dpd of the case = business date − this date (the oldest overdue-since plus its grace days). */
    dpdFrom: date('dpd_from', { mode: 'string' }),
    totalOverdue: money('total_overdue'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** Who works the case, their team, and the outside agency it is placed with (work queues fill these). */
    assigneeId: integer('assignee_id').references(() => users.id),
    teamId: integer('team_id').references(() => teams.id),
    agencyId: integer('agency_id').references(() => agencies.id),
  },
  (t) => [
    uniqueIndex('cases_one_open_per_borrower').on(t.borrowerId).where(sql`status = 'open'`),
    index('cases_status_bucket').on(t.status, t.bucket, t.id),
    index('cases_assignee').on(t.assigneeId).where(sql`assignee_id IS NOT NULL`),
    index('cases_team').on(t.teamId).where(sql`team_id IS NOT NULL`),
    index('cases_agency').on(t.agencyId).where(sql`agency_id IS NOT NULL`),
  ],
);

export const businessState = pgTable('business_state', {
  id: integer('id').primaryKey().default(1),
  /** The as-of date of the last daily run: the date the stored state is as of. */
  businessDate: date('business_date', { mode: 'string' }),
});

export const dailyRuns = pgTable('daily_runs', {
  id: serial('id').primaryKey(),
  asOf: date('as_of', { mode: 'string' }).notNull(),
  mode: text('mode').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  loansAged: integer('loans_aged').notNull().default(0),
  casesOpened: integer('cases_opened').notNull().default(0),
  casesClosed: integer('cases_closed').notNull().default(0),
});
export * from './compliance.js';
export * from './access.js';
export * from './audit.js';
