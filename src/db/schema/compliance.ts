// The compliance gate's stored side: every decision with its reasons, the contact attempts that
// were allowed, and one small row per borrower that decide-and-record locks, so two agents
// dialling the same borrower at once take turns (COMPLIANCE.md, "The compliance gate").
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { borrowers, cases } from './index.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

/** The lock target of decide-and-record: created on demand, locked `FOR UPDATE`. */
export const borrowerContactState = pgTable('borrower_contact_state', {
  borrowerId: integer('borrower_id').primaryKey().references(() => borrowers.id),
  /** When the gate last decided for this borrower (a convenience for dashboards; the lock is the point). */
  lastDecidedAt: instant('last_decided_at'),
  createdAt: instant('created_at').notNull().defaultNow(),
});

/**
 * A contact that the gate allowed: it counts toward every limit from the moment it is recorded.
 * Refused requests leave no attempt, only a decision.
 */
export const contactAttempts = pgTable(
  'contact_attempts',
  {
    id: serial('id').primaryKey(),
    borrowerId: integer('borrower_id').notNull().references(() => borrowers.id),
    caseId: integer('case_id').references(() => cases.id),
    channel: text('channel').notNull(),
    party: text('party').notNull(),
    purpose: text('purpose').notNull(),
    direction: text('direction').notNull(),
    /** Personal data: a later issue encrypts it in place. */
    number: text('number'),
    /** What limits per number are counted by (the number without separators today, a keyed hash once numbers are encrypted). */
    numberKey: text('number_key'),
    contactRelation: text('contact_relation'),
    at: instant('at').notNull(),
    /** null while pending: the outcome is recorded once known. */
    outcome: text('outcome'),
    outcomeAt: instant('outcome_at'),
    idempotencyKey: text('idempotency_key').unique(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('contact_attempts_borrower_at').on(t.borrowerId, t.at),
    index('contact_attempts_number_at').on(t.numberKey, t.at),
    check(
      'contact_attempts_outcome',
      sql`${t.outcome} IS NULL OR ${t.outcome} IN ('conversation', 'no_answer', 'busy', 'voicemail', 'wrong_number', 'delivered', 'failed')`,
    ),
    check('contact_attempts_direction', sql`${t.direction} IN ('outbound', 'inbound')`),
  ],
);

/** Every answer of the gate, allowed or not, with its reasons and the policy version it was taken under. */
export const contactDecisions = pgTable(
  'contact_decisions',
  {
    id: serial('id').primaryKey(),
    borrowerId: integer('borrower_id').notNull().references(() => borrowers.id),
    /** The attempt this decision allowed; null when refused. */
    attemptId: integer('attempt_id').references(() => contactAttempts.id),
    caseId: integer('case_id').references(() => cases.id),
    allowed: boolean('allowed').notNull(),
    reasons: jsonb('reasons').notNull(),
    nextAllowedAt: instant('next_allowed_at'),
    policyVersion: text('policy_version').notNull(),
    /** The request exactly as decided, history included, so the decision can be reproduced. */
    request: jsonb('request').notNull(),
    /** The request's `at`: the gate's clock. */
    at: instant('at').notNull(),
    idempotencyKey: text('idempotency_key').unique(),
    decidedAt: instant('decided_at').notNull().defaultNow(),
  },
  (t) => [
    index('contact_decisions_borrower_at').on(t.borrowerId, t.at),
    uniqueIndex('contact_decisions_attempt').on(t.attemptId),
  ],
);
