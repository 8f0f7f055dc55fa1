// Signing in for API tests. Every route but health, login, docs and the home page needs
// credentials, so a test creates a user and sends either a bearer token (no CSRF needed) or a
// session cookie with the CSRF header (what the console sends).
//
//   const admin = await bearerFor(t.deps, await createUser(t.deps, { roles: ['admin'] }));
//   await app.inject({ method: 'POST', url: '/api/v1/borrowers', headers: admin, payload });
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { accessRepository } from '../../src/db/repositories/access.repository.js';
import { MATRIX, PERMISSIONS, type Permission, type Role } from '../../src/domain/access/permissions.js';
import type { Deps } from '../../src/deps.js';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from '../../src/api/plugins/auth.js';
import { SESSION_POLICY } from '../../src/services/access/auth.service.js';
import { newSessionToken, sha256 } from '../../src/services/access/credentials.js';
import { addUser, issueApiToken } from '../../src/services/access/users.service.js';

export type Headers = Record<string, string>;

export interface TestUser {
  username: string;
  password: string;
  roles: Role[];
}

let n = 0;

/** Creates a user through the same service as `clement user add`; the username defaults to a fresh one. */
export async function createUser(
  deps: Deps,
  u: { username?: string; roles: Role[]; team?: string; agency?: string; certified?: boolean },
): Promise<TestUser> {
  const username = u.username ?? `${u.roles.join('-').replaceAll('_', '-')}-${process.pid}-${++n}`;
  const created = await addUser(deps, { username, roles: u.roles, team: u.team, agency: u.agency, certified: u.certified ?? true });
  return { username: created.username, password: created.password, roles: created.roles };
}

/** Every permission the roles hold. */
export const permissionsOf = (roles: readonly Role[]): Permission[] => PERMISSIONS.filter((p) => roles.some((r) => MATRIX[r].includes(p)));

/** `Authorization: Bearer …` for a new API token of the user, scoped to all the user's permissions unless told. */
export async function bearerFor(deps: Deps, user: TestUser, scopes: readonly Permission[] = permissionsOf(user.roles)): Promise<Headers> {
  const t = await issueApiToken(deps, { username: user.username, name: `test-${user.username}-${++n}`, scopes });
  return { authorization: `Bearer ${t.token}` };
}

/** A session opened directly in the database (no login, so no rate limit), with its CSRF header from GET /auth/me. */
export async function sessionHeaders(app: FastifyInstance, deps: Deps, user: TestUser): Promise<Headers> {
  const repo = accessRepository();
  const u = await repo.userByUsername(deps.db, user.username);
  if (!u) throw new Error(`no user ${user.username}`);
  const token = newSessionToken();
  await repo.insertSession(deps.db, { tokenHash: sha256(token), userId: u.id, ttlMinutes: SESSION_POLICY.ttlMinutes });
  const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: { [SESSION_COOKIE]: token } });
  expect(me.statusCode, me.body).toBe(200);
  return withCsrf(me, `${SESSION_COOKIE}=${token}`);
}

/** Signs in through POST /api/v1/auth/login from an address of its own (so tests do not share the rate limit). */
export async function loginHeaders(app: FastifyInstance, username: string, password: string): Promise<Headers> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress: randomAddress() });
  expect(res.statusCode, res.body).toBe(200);
  const session = res.cookies.find((c) => c.name === SESSION_COOKIE);
  if (!session) throw new Error('login set no session cookie');
  return withCsrf(res, `${SESSION_COOKIE}=${session.value}`);
}

function withCsrf(res: LightMyRequestResponse, sessionCookie: string): Headers {
  const csrfCookie = res.cookies.find((c) => c.name === CSRF_COOKIE);
  const csrfToken = (res.json() as { csrfToken: string }).csrfToken;
  return {
    cookie: csrfCookie ? `${sessionCookie}; ${CSRF_COOKIE}=${csrfCookie.value}` : sessionCookie,
    [CSRF_HEADER]: csrfToken,
  };
}

export const randomAddress = (): string => `10.${[...randomBytes(3)].join('.')}`;
