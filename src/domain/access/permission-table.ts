// The README's "Roles and permissions" table, written from MATRIX (a test keeps them equal).
import { MATRIX, PERMISSIONS, ROLES, type Permission } from './permissions.js';

export const PERMISSION_DESCRIPTIONS: Readonly<Record<Permission, string>> = {
  'ledger.read': 'Read borrowers, loans and payments (personal data masked)',
  'ledger.write': 'Create borrowers, loans with installments, and payments',
  'cases.read': 'List and read cases (within the case scope)',
  'pii.reveal': 'See one personal field unmasked, with a reason; audited',
  'compliance.decide': 'Ask the compliance gate for a decision',
  'screen.use': 'Screen texts for prohibited content and for distress',
  'audit.read': 'Read and verify the audit trail',
  'users.manage': 'Create users, reset passwords, issue and revoke API tokens',
};

/** A Markdown table: one row per permission, one column per role, ✓ where the role holds it. */
export function permissionTable(): string {
  const header = `| Permission | ${ROLES.map((r) => `\`${r}\``).join(' | ')} | What it allows |`;
  const rule = `|---|${ROLES.map(() => ':-:').join('|')}|---|`;
  const rows = PERMISSIONS.map(
    (p) => `| \`${p}\` | ${ROLES.map((r) => (MATRIX[r].includes(p) ? '✓' : ' ')).join(' | ')} | ${PERMISSION_DESCRIPTIONS[p]} |`,
  );
  return [header, rule, ...rows].join('\n');
}
