// The demo's staff: created with the demo password, two agents in two teams with open cases of
// their own, an agency with its placed cases, an agent not yet certified; and the open cases
// dealt set-based in the pattern the demo promises.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseScope } from '../../src/domain/access/permissions.js';
import { login } from '../../src/services/access/auth.service.js';
import { createDemoUsers, DEMO_USERS } from '../../src/services/access/demo-users.service.js';
import { listCases } from '../../src/services/ledger/query.service.js';
import { runDaily } from '../../src/services/aging/daily-run.service.js';
import { BACKENDS, openTestDb, testConfig, type TestDb } from '../support/test-db.js';
import { borrower, installment, load, loan } from '../support/ledger-factory.js';

const OPEN = 24;

describe.each(BACKENDS)('demo users on %s', (backend) => {
  let t: TestDb;

  beforeAll(async () => {
    t = await openTestDb(backend, testConfig({ demoPassword: 'demo-password-for-tests' }));
    const ids = Array.from({ length: OPEN }, (_, k) => k + 1);
    await load(t.deps, 'borrowers', ids.map((k) => borrower(k)));
    await load(t.deps, 'loans', ids.map((k) => loan(k, k)));
    await load(t.deps, 'installments', ids.map((k) => installment(k, 1, '2026-01-15')));
    await runDaily(t.deps, '2026-02-01');
    expect(await createDemoUsers(t.deps)).toEqual({ users: DEMO_USERS.map((u) => u.username), casesAssigned: OPEN });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('every demo user signs in with the configured demo password, and no other', async () => {
    for (const u of ['admin', 'supervisor', 'agent1', 'agent2', 'agent3', 'qa', 'compliance', 'agency1']) {
      const r = await login(t.deps, u, 'demo-password-for-tests');
      expect(r.user.username).toBe(u);
      await expect(login(t.deps, u, 'clement-demo')).rejects.toMatchObject({ code: 'AUTH.INVALID_CREDENTIALS' });
    }
  });

  it('agent1 and agent2 are in two teams; agent3 is not certified; agency1 works for agency-one', async () => {
    const users = Object.fromEntries(
      await Promise.all(['agent1', 'agent2', 'agent3', 'agency1', 'admin'].map(async (u) => [u, (await login(t.deps, u, 'demo-password-for-tests')).user])),
    );
    expect(users.agent1).toMatchObject({ roles: ['agent'], team: 'team-a', certified: true });
    expect(users.agent2).toMatchObject({ roles: ['agent'], team: 'team-b', certified: true });
    expect(users.agent3).toMatchObject({ roles: ['agent'], certified: false });
    expect(users.agency1).toMatchObject({ roles: ['agency_agent'], agency: 'agency-one', team: null });
    expect(users.admin).toMatchObject({ roles: ['admin'], team: null, agency: null });
  });

  it('each agent and the agency has open cases, and the shares do not overlap', async () => {
    const visible = async (u: string) => {
      const { actor } = await login(t.deps, u, 'demo-password-for-tests');
      expect(caseScope(actor).kind).not.toBe('all');
      return (await listCases(t.deps, { status: 'open', limit: 500 }, actor)).items.map((c) => c.id);
    };
    const [a1, a2, ag] = [await visible('agent1'), await visible('agent2'), await visible('agency1')];
    // Pattern of six: agent1, agent2, agency, team-a alone, nobody, nobody.
    expect(a1).toHaveLength((OPEN / 6) * 2);
    expect(a2).toHaveLength(OPEN / 6);
    expect(ag).toHaveLength(OPEN / 6);
    expect(new Set([...a1, ...a2, ...ag]).size).toBe(a1.length + a2.length + ag.length);
    const unassigned = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM cases WHERE status = 'open' AND assignee_id IS NULL AND team_id IS NULL AND agency_id IS NULL",
    );
    expect(unassigned.rows[0]!.n).toBe(OPEN / 3);
  });

  it('loading again creates nobody twice and keeps the passwords', async () => {
    await createDemoUsers(t.deps);
    const r = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
    expect(r.rows[0]!.n).toBe(DEMO_USERS.length);
  });
});
