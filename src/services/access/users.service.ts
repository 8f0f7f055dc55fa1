// Managing accounts: adding users (with a generated password, shown once) and issuing, listing
// and revoking API tokens. Reached from the CLI and, for tokens, from the API (users.manage).
import { accessRepository, type TokenRecord } from '../../db/repositories/access.repository.js';
import { can, PERMISSIONS, ROLES, type Permission, type Role } from '../../domain/access/permissions.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../errors.js';
import { hashPassword, newApiToken, newPassword, sha256 } from './credentials.js';

const repo = accessRepository();

const USERNAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const GROUP_NAME_MAX = 64;

const invalid = (field: string, message: string, code = 'AUTH.INVALID') =>
  new AppError('validation', code, `${field}: ${message}`, [{ field, message }]);

export interface NewUser {
  username: string;
  roles: readonly string[];
  team?: string | null;
  agency?: string | null;
  /** Certified to collect; false until training (a later issue) says otherwise. */
  certified?: boolean;
  /** Given only for the demo users; otherwise one is generated. */
  password?: string;
}

function checkRoles(roles: readonly string[]): Role[] {
  if (roles.length === 0) throw invalid('roles', `at least one role: ${ROLES.join(', ')}`);
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length > 0) throw invalid('roles', `unknown role ${unknown.join(', ')}; roles are ${ROLES.join(', ')}`);
  return [...new Set(roles as Role[])];
}

function checkGroup(field: 'team' | 'agency', name: string | null | undefined): string | null {
  if (name === undefined || name === null) return null;
  const n = name.trim();
  if (n.length === 0 || n.length > GROUP_NAME_MAX) throw invalid(field, `a name of 1 to ${GROUP_NAME_MAX} characters`);
  return n;
}

/** Creates the user (and its team and agency when new); returns the password, which is stored only hashed. */
export async function addUser(deps: Deps, input: NewUser): Promise<{ username: string; password: string; roles: Role[] }> {
  const username = input.username.trim().toLowerCase();
  if (!USERNAME.test(username)) throw invalid('username', 'letters, digits, dot, dash or underscore, starting with a letter or digit, at most 64');
  const roles = checkRoles(input.roles);
  const team = checkGroup('team', input.team);
  const agency = checkGroup('agency', input.agency);
  if (roles.includes('agency_agent') && agency === null) {
    throw invalid('agency', 'an agency agent works only the cases placed with an agency: name it with --agency', 'AUTH.AGENCY_REQUIRED');
  }
  const password = input.password ?? newPassword();
  const passwordHash = await hashPassword(password);
  const id = await deps.db.transaction(async (tx) => {
    const teamId = team === null ? null : await repo.ensureTeam(tx, team);
    const agencyId = agency === null ? null : await repo.ensureAgency(tx, agency);
    return repo.insertUser(tx, { username, passwordHash, roles, teamId, agencyId, certified: input.certified ?? false });
  });
  if (id === null) throw new AppError('conflict', 'AUTH.USER_EXISTS', `a user ${username} exists already`, [{ field: 'username', message: 'taken' }]);
  return { username, password, roles };
}

export interface IssuedToken {
  name: string;
  username: string;
  scopes: Permission[];
  /** Shown once; only its hash is kept. */
  token: string;
}

/** Issues an API token acting as the user, narrowed to `scopes`, each of which the user must hold. */
export async function issueApiToken(deps: Deps, input: { username: string; name: string; scopes: readonly string[] }): Promise<IssuedToken> {
  if (!TOKEN_NAME.test(input.name)) throw invalid('name', 'letters, digits, dot, dash or underscore, at most 64');
  if (input.scopes.length === 0) throw invalid('scopes', `at least one permission: ${PERMISSIONS.join(', ')}`);
  const unknown = input.scopes.filter((s) => !(PERMISSIONS as readonly string[]).includes(s));
  if (unknown.length > 0) throw invalid('scopes', `unknown permission ${unknown.join(', ')}; permissions are ${PERMISSIONS.join(', ')}`);
  const scopes = [...new Set(input.scopes as Permission[])];
  const user = await repo.userByUsername(deps.db, input.username.trim().toLowerCase());
  if (!user) throw new AppError('not_found', 'AUTH.USER_NOT_FOUND', `no user ${input.username}`, [{ field: 'username', message: 'no such user' }]);
  const roles = user.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r));
  const notHeld = scopes.filter((s) => !can(roles, s));
  if (notHeld.length > 0) {
    throw invalid('scopes', `${user.username} does not hold ${notHeld.join(', ')}, so no token of theirs can`, 'AUTH.SCOPE_NOT_HELD');
  }
  const token = newApiToken();
  const created = await repo.insertApiToken(deps.db, { name: input.name, tokenHash: sha256(token), userId: user.id, scopes });
  if (!created) throw new AppError('conflict', 'AUTH.TOKEN_EXISTS', `a token named ${input.name} exists already`, [{ field: 'name', message: 'taken' }]);
  return { name: input.name, username: user.username, scopes, token };
}

export async function listApiTokens(deps: Deps): Promise<TokenRecord[]> {
  return repo.listApiTokens(deps.db);
}

/** Revokes the token at once; revoking a revoked token again is not an error. */
export async function revokeApiToken(deps: Deps, name: string): Promise<{ name: string; alreadyRevoked: boolean }> {
  const r = await repo.revokeApiToken(deps.db, name);
  if (r === 'missing') throw new AppError('not_found', 'AUTH.TOKEN_NOT_FOUND', `no token named ${name}`);
  return { name, alreadyRevoked: r === 'already' };
}
