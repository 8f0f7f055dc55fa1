// Contact attempts and gate decisions: the per-borrower lock, the history the gate needs, and
// the write of a decision with (when allowed) its attempt. No rules here: the service decides.
import type { Database } from '../client.js';

export interface BorrowerForContact {
  id: number;
  timezone: string;
  /** The case named by the caller when it is this borrower's, else null. */
  case_id: number | null;
}

export interface StoredAttempt {
  id: number;
  /** ISO instant; never later than the `until` of the query (see `history`). */
  at: string;
  channel: string;
  party: string;
  number_key: string | null;
  direction: string;
  /** null while pending. */
  outcome: string | null;
  /** false: another borrower's attempt to the same number. */
  own: boolean;
}

export interface StoredDecision {
  id: number;
  borrower_id: number;
  attempt_id: number | null;
  allowed: boolean;
  reasons: unknown;
  next_allowed_at: string | null;
  policy_version: string;
  request: unknown;
  at: string;
}

export interface NewDecision {
  borrowerId: number;
  caseId: number | null;
  allowed: boolean;
  reasons: unknown;
  nextAllowedAt: string | null;
  policyVersion: string;
  request: unknown;
  at: string;
  idempotencyKey: string | null;
  /** Written only when allowed. */
  attempt: {
    channel: string;
    party: string;
    purpose: string;
    direction: string;
    number: string | null;
    numberKey: string | null;
    contactRelation: string | null;
  };
}

// Advisory locks keyed by two int4 live apart from the one-bigint key the migrator takes.
const NUMBER_LOCK_CLASS = 0x636e756d; // "cnum"

export function contactAttemptsRepository() {
  return {
    async findBorrower(db: Database, externalId: string, caseId: number | null): Promise<BorrowerForContact | null> {
      const r = await db.query<BorrowerForContact>(
        `SELECT b.id, b.timezone,
                (SELECT c.id FROM cases c WHERE c.id = $2::int AND c.borrower_id = b.id) AS case_id
         FROM borrowers b WHERE b.external_id = $1`,
        [externalId, caseId],
      );
      return r.rows[0] ?? null;
    },

    /**
     * Takes the borrower's contact lock until the transaction ends: the row is created on first
     * use, then locked. Every decide-and-record for the borrower waits here for the one before.
     */
    async lockBorrower(tx: Database, borrowerId: number): Promise<void> {
      await tx.query('INSERT INTO borrower_contact_state (borrower_id) VALUES ($1) ON CONFLICT (borrower_id) DO NOTHING', [borrowerId]);
      await tx.query('SELECT borrower_id FROM borrower_contact_state WHERE borrower_id = $1 FOR UPDATE', [borrowerId]);
    },

    /**
     * Takes a lock on one phone number until the transaction ends, for limits counted per number
     * across borrowers (a number two borrowers share, an emergency contact of several). Always
     * taken after the borrower's lock, so two transactions never wait on each other in a cycle.
     */
    async lockNumber(tx: Database, numberKey: string): Promise<void> {
      await tx.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2::text))', [NUMBER_LOCK_CLASS, numberKey]);
    },

    async findDecisionByKey(db: Database, idempotencyKey: string): Promise<StoredDecision | null> {
      const r = await db.query<StoredDecision>(
        `SELECT id, borrower_id, attempt_id, allowed, reasons, next_allowed_at, policy_version, request, at
         FROM contact_decisions WHERE idempotency_key = $1`,
        [idempotencyKey],
      );
      return r.rows[0] ?? null;
    },

    /**
     * Must run as its own statement after the locks are taken: under READ COMMITTED a statement
     * sees the data committed before it started, so only a statement begun once the lock is held
     * sees the attempt of the transaction that held it before.
     *
     * One statement: the borrower's attempts since `since`, and, when `numberKey` is given, other
     * borrowers' outbound calls to that number since `since`. Attempts stored with an instant after
     * `until` are returned at `until`, so a request dated before them still counts them.
     */
    async history(
      db: Database,
      q: { borrowerId: number; since: string; until: string; numberKey: string | null },
    ): Promise<StoredAttempt[]> {
      const r = await db.query<StoredAttempt>(
        `SELECT a.id, least(a.at, $3::timestamptz) AS at, a.channel, a.party, a.number_key, a.direction, a.outcome, true AS own
         FROM contact_attempts a
         WHERE a.borrower_id = $1 AND a.at >= $2::timestamptz
         UNION ALL
         SELECT a.id, least(a.at, $3::timestamptz), a.channel, a.party, a.number_key, a.direction, a.outcome, false
         FROM contact_attempts a
         WHERE $4::text IS NOT NULL AND a.number_key = $4::text AND a.at >= $2::timestamptz
           AND a.borrower_id <> $1 AND a.direction = 'outbound' AND a.channel IN ('call', 'voice_robot')
         ORDER BY at, id`,
        [q.borrowerId, q.since, q.until, q.numberKey],
      );
      return r.rows;
    },

    /** The decision, its attempt when allowed, and the lock row's last decision time, in one statement. */
    async insertDecision(tx: Database, d: NewDecision): Promise<{ decisionId: number; attemptId: number | null }> {
      const a = d.attempt;
      const r = await tx.query<{ id: number; attempt_id: number | null }>(
        `WITH attempt AS (
           INSERT INTO contact_attempts (borrower_id, case_id, channel, party, purpose, direction, number, number_key, contact_relation, at, idempotency_key)
           SELECT $1::int, $2::int, $9::text, $10::text, $11::text, $12::text, $13::text, $14::text, $15::text, $8::timestamptz, $16::text
           WHERE $3::boolean
           RETURNING id
         ), state AS (
           UPDATE borrower_contact_state SET last_decided_at = $8::timestamptz WHERE borrower_id = $1::int
         )
         INSERT INTO contact_decisions (borrower_id, attempt_id, case_id, allowed, reasons, next_allowed_at, policy_version, request, at, idempotency_key)
         VALUES ($1::int, (SELECT id FROM attempt), $2::int, $3::boolean, $4::jsonb, $5::timestamptz, $6::text, $7::jsonb, $8::timestamptz, $16::text)
         RETURNING id, attempt_id`,
        [
          d.borrowerId,
          d.caseId,
          d.allowed,
          JSON.stringify(d.reasons),
          d.nextAllowedAt,
          d.policyVersion,
          JSON.stringify(d.request),
          d.at,
          a.channel,
          a.party,
          a.purpose,
          a.direction,
          a.number,
          a.numberKey,
          a.contactRelation,
          d.idempotencyKey,
        ],
      );
      const row = r.rows[0]!;
      return { decisionId: row.id, attemptId: row.attempt_id };
    },

    async findAttempt(db: Database, attemptId: number): Promise<{ id: number; borrower_id: number; outcome: string | null } | null> {
      const r = await db.query<{ id: number; borrower_id: number; outcome: string | null }>(
        'SELECT id, borrower_id, outcome FROM contact_attempts WHERE id = $1',
        [attemptId],
      );
      return r.rows[0] ?? null;
    },

    /** Sets the outcome of a pending attempt; false when it already had one. */
    async setOutcome(tx: Database, attemptId: number, outcome: string, at: string): Promise<boolean> {
      const r = await tx.query(
        'UPDATE contact_attempts SET outcome = $2, outcome_at = $3::timestamptz WHERE id = $1 AND outcome IS NULL',
        [attemptId, outcome, at],
      );
      return r.rowCount === 1;
    },
  };
}

export type ContactAttemptsRepository = ReturnType<typeof contactAttemptsRepository>;
