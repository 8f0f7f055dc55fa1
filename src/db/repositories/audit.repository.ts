// The audit trail's statements: the chain's lock, its head, one insert, and pages for the walk.
// Instants are read as UTC text with microseconds so the hash covers exactly what is stored.
import type { Database } from '../client.js';

// One bigint key, like the migrator's ("clem") and the daily run's ("dail"): "audt".
const CHAIN_LOCK = 0x61756474;

const AT_TEXT = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export interface StoredAuditEvent {
  id: number;
  at: string;
  actor: string;
  actor_user_id: number | null;
  action: string;
  outcome: string;
  records: Record<string, unknown>;
  source: string;
  reason: string | null;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

export type NewAuditRow = StoredAuditEvent;

export function auditRepository() {
  return {
    /**
     * Takes the chain's lock until the transaction ends, then reads the last event and the
     * instant of the new one (`at` when given, else the database's clock), as stored text.
     */
    async lockHead(tx: Database, at: string | null): Promise<{ lastId: number | null; lastHash: string | null; at: string }> {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
      const r = await tx.query<{ id: number | null; hash: string | null; at: string }>(
        `SELECT l.id, l.hash, ${AT_TEXT('coalesce($1::timestamptz, clock_timestamp())')} AS at
         FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1) l ON true`,
        [at],
      );
      const row = r.rows[0]!;
      return { lastId: row.id, lastHash: row.hash, at: row.at };
    },

    async insert(tx: Database, e: NewAuditRow): Promise<void> {
      await tx.query(
        `INSERT INTO audit_events (id, at, actor, actor_user_id, action, outcome, records, source, reason, request_id, prev_hash, hash)
         VALUES ($1, $2::timestamptz, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $12)`,
        [e.id, e.at, e.actor, e.actor_user_id, e.action, e.outcome, JSON.stringify(e.records), e.source, e.reason, e.request_id, e.prev_hash, e.hash],
      );
    },

    /** Events after `afterId`, in id order: the chain walked a page at a time. */
    async page(db: Database, afterId: number | null, limit: number): Promise<StoredAuditEvent[]> {
      const r = await db.query<StoredAuditEvent>(
        `SELECT id, ${AT_TEXT('at')} AS at, actor, actor_user_id, action, outcome, records, source, reason, request_id, prev_hash, hash
         FROM audit_events WHERE $1::bigint IS NULL OR id > $1::bigint ORDER BY id LIMIT $2`,
        [afterId, limit],
      );
      return r.rows;
    },
  };
}

export type AuditRepository = ReturnType<typeof auditRepository>;
