// The case scope (domain/access/permissions.ts) as SQL: a condition on a `cases` row, and one on
// a borrower ("one of the borrower's cases is in scope"), each with its parameters numbered from
// the caller's next placeholder. Every read that can show a case, a borrower or a loan to a user
// filters with these in the statement itself.
import type { CaseScope } from '../../domain/access/permissions.js';

export interface SqlCondition {
  sql: string;
  params: unknown[];
}

/** A condition on the cases row aliased `c`; placeholders start at `$next`. */
export function caseInScope(scope: CaseScope, c: string, next: number): SqlCondition {
  switch (scope.kind) {
    case 'all':
      return { sql: 'TRUE', params: [] };
    case 'assigned':
      return scope.teamId === null
        ? { sql: `${c}.assignee_id = $${next}`, params: [scope.userId] }
        : { sql: `(${c}.assignee_id = $${next} OR ${c}.team_id = $${next + 1})`, params: [scope.userId, scope.teamId] };
    case 'agency':
      return { sql: `${c}.agency_id = $${next}`, params: [scope.agencyId] };
    case 'none':
      return { sql: 'FALSE', params: [] };
  }
}

/** A condition on a borrower id expression: true when one of the borrower's cases is in scope (always, for `all`). */
export function borrowerInScope(scope: CaseScope, borrowerId: string, next: number): SqlCondition {
  if (scope.kind === 'all') return { sql: 'TRUE', params: [] };
  const inner = caseInScope(scope, 'sc', next);
  return { sql: `EXISTS (SELECT 1 FROM cases sc WHERE sc.borrower_id = ${borrowerId} AND ${inner.sql})`, params: inner.params };
}
