// Users, teams, agencies, sessions and API tokens. Tokens arrive here already hashed; the clock
// of sessions, tokens and lockouts is the database's, so every process agrees on it.
import type { Database } from '../client.js';

export interface UserRecord {
  id: number;
  username: string;
  roles: string[];
  team_id: number | null;
  team: string | null;
  agency_id: number | null;
  agency: string | null;
  certified: boolean;
  disabled: boolean;
}

export interface LoginRecord extends UserRecord {
  password_hash: string;
  /** locked_until is still ahead. */
  locked: boolean;
  locked_until: string | null;
}

export interface AuthenticatedRecord extends UserRecord {
  /** sessions.id or api_tokens.id. */
  credential_id: number;
  /** The token's name; null for a session. */
  token_name: string | null;
  /** The token's scopes; null for a session. */
  scopes: string[] | null;
}

export interface TokenRecord {
  name: string;
  username: string;
  scopes: string[];
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

const USER_COLUMNS = `u.id, u.username, u.roles, u.team_id, t.name AS team, u.agency_id, a.name AS agency, u.certified, u.disabled`;
const USER_FROM = `users u LEFT JOIN teams t ON t.id = u.team_id LEFT JOIN agencies a ON a.id = u.agency_id`;

export function accessRepository() {
  const named = async (db: Database, table: 'teams' | 'agencies', name: string): Promise<number> => {
    const r = await db.query<{ id: number }>(
      `INSERT INTO ${table} (name) VALUES ($1) ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
      [name],
    );
    return r.rows[0]!.id;
  };

  return {
    /** The team's id, creating the team when it does not exist yet. */
    ensureTeam: (db: Database, name: string) => named(db, 'teams', name),
    ensureAgency: (db: Database, name: string) => named(db, 'agencies', name),

    /** The new user's id, or null when the username is taken. */
    async insertUser(
      db: Database,
      u: { username: string; passwordHash: string; roles: readonly string[]; teamId: number | null; agencyId: number | null; certified: boolean },
    ): Promise<number | null> {
      const r = await db.query<{ id: number }>(
        `INSERT INTO users (username, password_hash, roles, team_id, agency_id, certified) VALUES ($1, $2, $3::text[], $4, $5, $6)
         ON CONFLICT (username) DO NOTHING RETURNING id`,
        [u.username, u.passwordHash, u.roles, u.teamId, u.agencyId, u.certified],
      );
      return r.rows[0]?.id ?? null;
    },

    async userByUsername(db: Database, username: string): Promise<UserRecord | null> {
      const r = await db.query<UserRecord>(`SELECT ${USER_COLUMNS} FROM ${USER_FROM} WHERE u.username = $1`, [username]);
      return r.rows[0] ?? null;
    },

    async userById(db: Database, id: number): Promise<UserRecord | null> {
      const r = await db.query<UserRecord>(`SELECT ${USER_COLUMNS} FROM ${USER_FROM} WHERE u.id = $1`, [id]);
      return r.rows[0] ?? null;
    },

    async usersByUsername(db: Database, usernames: readonly string[]): Promise<UserRecord[]> {
      return (
        await db.query<UserRecord>(`SELECT ${USER_COLUMNS} FROM ${USER_FROM} WHERE u.username = ANY($1::text[]) ORDER BY u.id`, [usernames])
      ).rows;
    },

    async userForLogin(db: Database, username: string): Promise<LoginRecord | null> {
      const r = await db.query<LoginRecord>(
        `SELECT ${USER_COLUMNS}, u.password_hash, coalesce(u.locked_until > now(), false) AS locked, u.locked_until
         FROM ${USER_FROM} WHERE u.username = $1`,
        [username],
      );
      return r.rows[0] ?? null;
    },

    /**
     * Counts one failed login; the failure that reaches `maxFailures` locks the account for
     * `lockMinutes` and starts the count again. Returns whether the account is now locked.
     * Failures while locked are not counted (they are refused before the password is checked).
     */
    async recordLoginFailure(db: Database, userId: number, maxFailures: number, lockMinutes: number): Promise<boolean> {
      const r = await db.query<{ locked: boolean }>(
        `UPDATE users SET
           failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END,
           locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(mins => $3::int) ELSE locked_until END
         WHERE id = $1
         RETURNING coalesce(locked_until > now(), false) AS locked`,
        [userId, maxFailures, lockMinutes],
      );
      return r.rows[0]?.locked ?? false;
    },

    async recordLoginSuccess(db: Database, userId: number): Promise<void> {
      await db.query('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1 AND (failed_logins <> 0 OR locked_until IS NOT NULL)', [
        userId,
      ]);
    },

    async insertSession(db: Database, s: { tokenHash: string; userId: number; ttlMinutes: number }): Promise<void> {
      await db.query(`INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(mins => $3::int))`, [
        s.tokenHash,
        s.userId,
        s.ttlMinutes,
      ]);
    },

    /**
     * The user of a live session: not expired, seen within `idleMinutes`, user not disabled.
     * Marks the session seen (at most once a minute, so reads rarely write).
     */
    async userBySession(db: Database, tokenHash: string, idleMinutes: number): Promise<AuthenticatedRecord | null> {
      const r = await db.query<AuthenticatedRecord>(
        `WITH s AS (
           SELECT id, user_id, last_seen_at FROM sessions
           WHERE token_hash = $1 AND expires_at > now() AND last_seen_at > now() - make_interval(mins => $2::int)
         ), touched AS (
           UPDATE sessions SET last_seen_at = now()
           WHERE id IN (SELECT id FROM s WHERE last_seen_at < now() - interval '1 minute')
         )
         SELECT ${USER_COLUMNS}, s.id AS credential_id, NULL::text AS token_name, NULL::text[] AS scopes
         FROM s JOIN ${USER_FROM} ON u.id = s.user_id
         WHERE NOT u.disabled`,
        [tokenHash, idleMinutes],
      );
      return r.rows[0] ?? null;
    },

    async deleteSession(db: Database, tokenHash: string): Promise<void> {
      await db.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
    },

    /** A user's sessions past their end (tidied at each sign-in); returns how many went. */
    async deleteEndedSessions(db: Database, userId: number, idleMinutes: number): Promise<number> {
      const r = await db.query(
        `DELETE FROM sessions WHERE user_id = $1 AND (expires_at <= now() OR last_seen_at <= now() - make_interval(mins => $2::int))`,
        [userId, idleMinutes],
      );
      return r.rowCount;
    },

    /** False when the name is taken. */
    async insertApiToken(db: Database, t: { name: string; tokenHash: string; userId: number; scopes: readonly string[] }): Promise<boolean> {
      const r = await db.query(
        `INSERT INTO api_tokens (name, token_hash, user_id, scopes) VALUES ($1, $2, $3, $4::text[]) ON CONFLICT (name) DO NOTHING RETURNING id`,
        [t.name, t.tokenHash, t.userId, t.scopes],
      );
      return r.rows.length === 1;
    },

    /** The user of an unrevoked token whose user is not disabled; marks it used (at most once a minute). */
    async userByApiToken(db: Database, tokenHash: string): Promise<AuthenticatedRecord | null> {
      const r = await db.query<AuthenticatedRecord>(
        `WITH k AS (
           SELECT id, user_id, name, scopes, last_used_at FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL
         ), touched AS (
           UPDATE api_tokens SET last_used_at = now()
           WHERE id IN (SELECT id FROM k WHERE last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
         )
         SELECT ${USER_COLUMNS}, k.id AS credential_id, k.name AS token_name, k.scopes
         FROM k JOIN ${USER_FROM} ON u.id = k.user_id
         WHERE NOT u.disabled`,
        [tokenHash],
      );
      return r.rows[0] ?? null;
    },

    async listApiTokens(db: Database): Promise<TokenRecord[]> {
      return (
        await db.query<TokenRecord>(
          `SELECT k.name, u.username, k.scopes, k.created_at, k.revoked_at, k.last_used_at
           FROM api_tokens k JOIN users u ON u.id = k.user_id ORDER BY k.created_at, k.id`,
        )
      ).rows;
    },

    /** 'revoked' now, 'already' revoked before, or 'missing'. */
    async revokeApiToken(db: Database, name: string): Promise<'revoked' | 'already' | 'missing'> {
      const r = await db.query<{ was_revoked: boolean }>(
        `WITH k AS (SELECT id, revoked_at IS NOT NULL AS was_revoked FROM api_tokens WHERE name = $1),
         u AS (UPDATE api_tokens SET revoked_at = now() WHERE id IN (SELECT id FROM k WHERE NOT was_revoked))
         SELECT was_revoked FROM k`,
        [name],
      );
      const row = r.rows[0];
      return row === undefined ? 'missing' : row.was_revoked ? 'already' : 'revoked';
    },

    /**
     * Deals the open cases out in a repeating pattern, by case id: open case number n (from 0)
     * gets element n mod k of each array (null: nobody). One statement, however many cases.
     */
    async assignOpenCasesInPattern(
      db: Database,
      pattern: { assigneeIds: (number | null)[]; teamIds: (number | null)[]; agencyIds: (number | null)[] },
    ): Promise<number> {
      const k = pattern.assigneeIds.length;
      const r = await db.query(
        `WITH o AS (SELECT id, (row_number() OVER (ORDER BY id) - 1) % $4 + 1 AS slot FROM cases WHERE status = 'open')
         UPDATE cases c SET assignee_id = ($1::int[])[o.slot], team_id = ($2::int[])[o.slot], agency_id = ($3::int[])[o.slot]
         FROM o WHERE o.id = c.id`,
        [pattern.assigneeIds, pattern.teamIds, pattern.agencyIds, k],
      );
      return r.rowCount;
    },
  };
}
