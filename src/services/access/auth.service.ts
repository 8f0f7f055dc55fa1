// Who is asking: logins (with lockout), browser sessions and API tokens, each turned into the
// Actor that every service and query filters by.
import { accessRepository, type AuthenticatedRecord, type UserRecord } from '../../db/repositories/access.repository.js';
import { PERMISSIONS, ROLES, type Actor, type Permission, type Role } from '../../domain/access/permissions.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../errors.js';
import { looksLikeApiToken, newSessionToken, sha256, verifyNobody, verifyPassword } from './credentials.js';

const repo = accessRepository();

/** Five wrong passwords in a row lock the account for fifteen minutes. */
export const LOGIN_POLICY = { maxFailures: 5, lockMinutes: 15 } as const;
/** A session lasts a working day at most, and ends after an hour without a request. */
export const SESSION_POLICY = { ttlMinutes: 12 * 60, idleMinutes: 60 } as const;

export interface SignedInUser {
  username: string;
  roles: Role[];
  team: string | null;
  agency: string | null;
  certified: boolean;
}

const isRole = (r: string): r is Role => (ROLES as readonly string[]).includes(r);
const isPermission = (p: string): p is Permission => (PERMISSIONS as readonly string[]).includes(p);

export function userOf(r: UserRecord): SignedInUser {
  return { username: r.username, roles: r.roles.filter(isRole), team: r.team, agency: r.agency, certified: r.certified };
}

/** A stored role this code does not know grants nothing; a stored scope it does not know allows nothing. */
export function actorOf(r: UserRecord, token?: { name: string; scopes: readonly string[] }): Actor {
  return {
    kind: token ? 'token' : 'user',
    userId: r.id,
    name: token ? `token:${token.name}` : r.username,
    roles: r.roles.filter(isRole),
    teamId: r.team_id,
    agencyId: r.agency_id,
    scopes: token ? token.scopes.filter(isPermission) : null,
  };
}

const INVALID = () => new AppError('unauthorized', 'AUTH.INVALID_CREDENTIALS', 'wrong username or password');
const LOCKED = () =>
  new AppError(
    'locked',
    'AUTH.LOCKED',
    `too many failed logins: the account is locked for ${LOGIN_POLICY.lockMinutes} minutes from the last failure; try again later or ask an administrator`,
  );

/**
 * Checks a username and password and opens a session. A wrong password and an unknown or
 * disabled user get the same answer; a locked account is refused before its password is checked.
 */
export async function login(deps: Deps, username: string, password: string): Promise<{ sessionToken: string; user: SignedInUser; actor: Actor }> {
  const u = await repo.userForLogin(deps.db, username.trim().toLowerCase());
  if (!u) {
    await verifyNobody(password);
    throw INVALID();
  }
  if (u.locked) throw LOCKED();
  const ok = await verifyPassword(u.password_hash, password);
  if (!ok || u.disabled) {
    const locked = !ok && (await repo.recordLoginFailure(deps.db, u.id, LOGIN_POLICY.maxFailures, LOGIN_POLICY.lockMinutes));
    throw locked ? LOCKED() : INVALID();
  }
  await repo.recordLoginSuccess(deps.db, u.id);
  await repo.deleteEndedSessions(deps.db, u.id, SESSION_POLICY.idleMinutes);
  const sessionToken = newSessionToken();
  await repo.insertSession(deps.db, { tokenHash: sha256(sessionToken), userId: u.id, ttlMinutes: SESSION_POLICY.ttlMinutes });
  return { sessionToken, user: userOf(u), actor: actorOf(u) };
}

export async function logout(deps: Deps, sessionToken: string): Promise<void> {
  await repo.deleteSession(deps.db, sha256(sessionToken));
}

/** The actor of a live session cookie, or null. */
export async function authenticateSession(deps: Deps, sessionToken: string): Promise<Actor | null> {
  const r = await repo.userBySession(deps.db, sha256(sessionToken), SESSION_POLICY.idleMinutes);
  return r && actorOf(r);
}

/** The actor of a valid, unrevoked API token, or null. */
export async function authenticateApiToken(deps: Deps, token: string): Promise<Actor | null> {
  if (!looksLikeApiToken(token)) return null;
  const r: AuthenticatedRecord | null = await repo.userByApiToken(deps.db, sha256(token));
  return r && actorOf(r, { name: r.token_name!, scopes: r.scopes ?? [] });
}

/** The signed-in user's own account, as the console shows it. */
export async function currentUser(deps: Deps, actor: Actor): Promise<SignedInUser> {
  const r = actor.userId === null ? null : await repo.userById(deps.db, actor.userId);
  if (!r) throw new AppError('unauthorized', 'AUTH.REQUIRED', 'sign in first');
  return userOf(r);
}

