// Who may do what: the permission matrix, in code, and the rule for which cases a user sees.
// The README's permission table is written from MATRIX; a test keeps the two equal.

export const ROLES = ['admin', 'supervisor', 'agent', 'qa', 'compliance', 'agency_agent', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  /** Read borrowers, loans and payments (personal data masked). */
  'ledger.read',
  /** Create borrowers, loans with installments, and payments. */
  'ledger.write',
  /** List and read cases (within the case scope). */
  'cases.read',
  /** See one personal field unmasked, with a reason; audited. */
  'pii.reveal',
  /** Ask the compliance gate for a decision. */
  'compliance.decide',
  /** Screen texts for prohibited content and for distress. */
  'screen.use',
  /** Read and verify the audit trail. */
  'audit.read',
  /** Create users, reset passwords, issue and revoke API tokens. */
  'users.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const MATRIX: Readonly<Record<Role, readonly Permission[]>> = {
  // Administrators run the system but do not read borrowers' personal data unmasked.
  admin: ['ledger.read', 'ledger.write', 'cases.read', 'compliance.decide', 'screen.use', 'audit.read', 'users.manage'],
  supervisor: ['ledger.read', 'cases.read', 'pii.reveal', 'compliance.decide', 'screen.use'],
  agent: ['ledger.read', 'cases.read', 'pii.reveal', 'compliance.decide', 'screen.use'],
  qa: ['ledger.read', 'cases.read', 'screen.use'],
  compliance: ['ledger.read', 'cases.read', 'pii.reveal', 'compliance.decide', 'screen.use', 'audit.read'],
  agency_agent: ['ledger.read', 'cases.read', 'pii.reveal', 'compliance.decide', 'screen.use'],
  auditor: ['ledger.read', 'cases.read', 'audit.read'],
};

export function can(roles: readonly Role[], permission: Permission): boolean {
  return roles.some((r) => MATRIX[r].includes(permission));
}

export interface Actor {
  /** anonymous: a request that has not signed in (public routes only); it holds no permission. */
  kind: 'user' | 'token' | 'cli' | 'anonymous';
  /** users.id; null for the CLI's local operator. */
  userId: number | null;
  /** For the audit trail and logs: a username, `token:<name>` or `cli:<os user>`. */
  name: string;
  roles: readonly Role[];
  teamId: number | null;
  agencyId: number | null;
  /** An API token's scopes narrow its user's permissions further; null: not narrowed. */
  scopes: readonly Permission[] | null;
}

export function allows(actor: Actor, permission: Permission): boolean {
  if (actor.kind === 'cli') return true;
  if (actor.scopes !== null && !actor.scopes.includes(permission)) return false;
  return can(actor.roles, permission);
}

/**
 * Which cases an actor sees. Agents see cases assigned to them or to their team; agency agents
 * see cases placed with their agency; the others see every case. Borrowers and loans are visible
 * exactly when one of the borrower's cases is.
 */
export type CaseScope =
  | { kind: 'all' }
  | { kind: 'assigned'; userId: number; teamId: number | null }
  | { kind: 'agency'; agencyId: number }
  | { kind: 'none' };

export function caseScope(actor: Actor): CaseScope {
  if (actor.kind === 'cli') return { kind: 'all' };
  if (actor.roles.some((r) => r === 'admin' || r === 'supervisor' || r === 'qa' || r === 'compliance' || r === 'auditor')) {
    return { kind: 'all' };
  }
  if (actor.roles.includes('agent') && actor.userId !== null) return { kind: 'assigned', userId: actor.userId, teamId: actor.teamId };
  if (actor.roles.includes('agency_agent') && actor.agencyId !== null) return { kind: 'agency', agencyId: actor.agencyId };
  return { kind: 'none' };
}

export const ANONYMOUS: Actor = Object.freeze({
  kind: 'anonymous',
  userId: null,
  name: 'anonymous',
  roles: [],
  teamId: null,
  agencyId: null,
  scopes: [],
});

export const CLI_ACTOR = (osUser: string): Actor => ({
  kind: 'cli',
  userId: null,
  name: `cli:${osUser}`,
  roles: [],
  teamId: null,
  agencyId: null,
  scopes: null,
});
