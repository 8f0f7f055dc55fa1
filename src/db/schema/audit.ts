// The audit trail: one append-only row per API request, CLI command or reveal of personal data,
// each holding the SHA-256 of the one before (src/domain/audit/chain.ts). UPDATE, DELETE and
// TRUNCATE are refused by a trigger (migration 0004_audit.sql), not only by the code.
import { bigint, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const auditEvents = pgTable('audit_events', {
  // Assigned by the appender as the last id + 1 under the chain's lock, not by a sequence: a
  // sequence leaves a gap whenever a transaction holding an append rolls back (or its process is
  // killed), and a gap must mean a removed event.
  id: bigint('id', { mode: 'number' }).primaryKey(),
  at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull(),
  /** A username, `token:<name>`, `cli:<os user>` or `anonymous`. */
  actor: text('actor').notNull(),
  /** users.id when a user acted; no foreign key: the trail outlives accounts. */
  actorUserId: integer('actor_user_id'),
  /** `GET /api/v1/loans/:id`, `cli import payments …`, `pii.reveal`. */
  action: text('action').notNull(),
  /** The HTTP status, or ok / refused / error. */
  outcome: text('outcome').notNull(),
  /** The ids touched, by kind: a list, or for bulk work {count, first, last}. Never personal data. */
  records: jsonb('records').notNull(),
  /** The client's IP address, or `cli <host> pid <pid>`. */
  source: text('source').notNull(),
  /** Why, for a reveal of personal data. */
  reason: text('reason'),
  requestId: text('request_id'),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});
