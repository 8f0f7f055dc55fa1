// The demo's staff: one user per role (two agents in different teams, one not yet certified, one
// agency agent), all with the demo password, and the demo's open cases dealt out among them.
// Only the demo load calls this: outside the demo no account has a default password.
import { accessRepository } from '../../db/repositories/access.repository.js';
import type { Role } from '../../domain/access/permissions.js';
import type { Deps } from '../../deps.js';
import { hashPassword } from './credentials.js';

const repo = accessRepository();

export const DEMO_TEAMS = { a: 'team-a', b: 'team-b' } as const;
export const DEMO_AGENCY = 'agency-one';

export const DEMO_USERS: readonly { username: string; roles: Role[]; team?: string; agency?: string; certified: boolean }[] = [
  { username: 'admin', roles: ['admin'], certified: true },
  { username: 'supervisor', roles: ['supervisor'], certified: true },
  { username: 'agent1', roles: ['agent'], team: DEMO_TEAMS.a, certified: true },
  { username: 'agent2', roles: ['agent'], team: DEMO_TEAMS.b, certified: true },
  { username: 'agent3', roles: ['agent'], team: DEMO_TEAMS.a, certified: false },
  { username: 'qa', roles: ['qa'], certified: true },
  { username: 'compliance', roles: ['compliance'], certified: true },
  { username: 'agency1', roles: ['agency_agent'], agency: DEMO_AGENCY, certified: true },
];

/**
 * Creates the demo users that do not exist yet and deals the open cases in a pattern of six:
 * agent1 (team A), agent2 (team B), placed with agency-one, team A without an assignee, and two
 * left unassigned. Returns how many cases were dealt.
 */
export async function createDemoUsers(deps: Deps): Promise<{ users: string[]; casesAssigned: number }> {
  const hashes = await Promise.all(DEMO_USERS.map(() => hashPassword(deps.config.demoPassword)));
  return deps.db.transaction(async (tx) => {
    const teamA = await repo.ensureTeam(tx, DEMO_TEAMS.a);
    const teamB = await repo.ensureTeam(tx, DEMO_TEAMS.b);
    const agency = await repo.ensureAgency(tx, DEMO_AGENCY);
    const teamIds: Record<string, number> = { [DEMO_TEAMS.a]: teamA, [DEMO_TEAMS.b]: teamB };
    for (const [k, u] of DEMO_USERS.entries()) {
      await repo.insertUser(tx, {
        username: u.username,
        passwordHash: hashes[k]!,
        roles: u.roles,
        teamId: u.team ? teamIds[u.team]! : null,
        agencyId: u.agency ? agency : null,
        certified: u.certified,
      });
    }
    const ids = new Map((await repo.usersByUsername(tx, ['agent1', 'agent2'])).map((u) => [u.username, u.id]));
    const casesAssigned = await repo.assignOpenCasesInPattern(tx, {
      assigneeIds: [ids.get('agent1')!, ids.get('agent2')!, null, null, null, null],
      teamIds: [teamA, teamB, null, teamA, null, null],
      agencyIds: [null, null, agency, null, null, null],
    });
    return { users: DEMO_USERS.map((u) => u.username), casesAssigned };
  });
}

/** The demo users that exist, for the start banner. */
export async function existingDemoUsers(deps: Deps): Promise<string[]> {
  const found = new Set((await repo.usersByUsername(deps.db, DEMO_USERS.map((u) => u.username))).map((u) => u.username));
  return DEMO_USERS.map((u) => u.username).filter((n) => found.has(n));
}
