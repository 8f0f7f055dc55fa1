// Accounts: teams, outside agencies, users, their browser sessions and the API tokens of
// integrations. Secrets are never stored: passwords as argon2id hashes, session and API tokens
// as SHA-256 hashes of the random value the client holds.
import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const teams = pgTable('teams', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  createdAt: createdAt(),
});

export const agencies = pgTable('agencies', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  createdAt: createdAt(),
});

export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  username: text('username').notNull().unique(),
  /** argon2id, PHC string. */
  passwordHash: text('password_hash').notNull(),
  roles: text('roles').array().notNull(),
  teamId: integer('team_id').references(() => teams.id),
  agencyId: integer('agency_id').references(() => agencies.id),
  /** Passed training and certification (issued by a later issue); gates case assignment. */
  certified: boolean('certified').notNull().default(false),
  disabled: boolean('disabled').notNull().default(false),
  /** Consecutive failed logins since the last success or lock. */
  failedLogins: integer('failed_logins').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  createdAt: createdAt(),
});

export const sessions = pgTable(
  'sessions',
  {
    id: serial('id').primaryKey(),
    /** SHA-256 (hex) of the cookie's value. */
    tokenHash: text('token_hash').notNull().unique(),
    userId: integer('user_id').notNull().references(() => users.id),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sessions_user').on(t.userId), index('sessions_expires_at').on(t.expiresAt)],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull().unique(),
    /** SHA-256 (hex) of the token. */
    tokenHash: text('token_hash').notNull().unique(),
    userId: integer('user_id').notNull().references(() => users.id),
    /** Permissions the token may use: a subset of its user's. */
    scopes: text('scopes').array().notNull(),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [index('api_tokens_user').on(t.userId).where(sql`revoked_at IS NULL`)],
);
