// Who may call what, and which cases each sees. Every registered route is called by every role
// and by nobody; the expected answer is derived from MATRIX and the permission the route
// declares, so a new route is covered the moment it exists, and one that declares no permission
// fails here. Then the case scope: agents see their own and their team's cases, agency agents
// their agency's; anything else answers 404, exactly as a borrower that does not exist.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import type { RouteEntry } from '../../src/api/plugins/auth.js';
import { MATRIX, PERMISSIONS, ROLES, type Role } from '../../src/domain/access/permissions.js';
import { permissionTable } from '../../src/domain/access/permission-table.js';
import { runDaily } from '../../src/services/aging/daily-run.service.js';
import { BACKENDS, openTestDb, type TestDb } from '../support/test-db.js';
import { borrower, installment, load, loan } from '../support/ledger-factory.js';
import { bearerFor, createUser, sessionHeaders, type Headers, type TestUser } from '../support/auth.js';

type Json = Record<string, any>;

/** The permission a route needs, and whether a role holds it, straight from MATRIX. */
function roleMayCall(role: Role, route: RouteEntry): boolean {
  return route.permission === 'authenticated' || MATRIX[role].includes(route.permission!);
}

/** A concrete URL for a route pattern: every :param becomes a value no fixture uses. */
const concrete = (url: string) => url.replace(/:(\w+)/g, 'zz-$1');

function expectCode(res: LightMyRequestResponse, status: number, code: string, what: string) {
  expect(res.statusCode, `${what}: ${res.body}`).toBe(status);
  expect(res.json().code, what).toBe(code);
}

describe('the README permission table', () => {
  it('is the table written from MATRIX', () => {
    const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
    const m = /<!-- permissions:start -->\n([\s\S]*?)\n<!-- permissions:end -->/.exec(readme);
    expect(m, 'README.md has no <!-- permissions:start --> … <!-- permissions:end --> section').not.toBeNull();
    expect(m![1]!.trim(), 'regenerate it with permissionTable() from src/domain/access/permission-table.ts').toBe(permissionTable());
  });

  it('has a ✓ exactly where MATRIX grants the permission', () => {
    const rows = permissionTable().split('\n').slice(2);
    expect(rows).toHaveLength(PERMISSIONS.length);
    PERMISSIONS.forEach((p, i) => {
      const cells = rows[i]!.split('|').slice(2, 2 + ROLES.length).map((c) => c.trim());
      expect(cells, p).toEqual(ROLES.map((r) => (MATRIX[r].includes(p) ? '✓' : '')));
    });
  });
});

describe.each(BACKENDS)('authorization on %s', (backend) => {
  let t: TestDb;
  let app: FastifyInstance;
  const users = {} as Record<Role, TestUser>;
  let agent2: TestUser;
  let agency2: TestUser;
  let loner: TestUser;

  beforeAll(async () => {
    t = await openTestDb(backend);
    app = await buildApp(t.deps);
    for (const role of ROLES) {
      users[role] = await createUser(t.deps, {
        username: role.replace('_', '-'),
        roles: [role],
        team: role === 'agent' ? 'team-a' : undefined,
        agency: role === 'agency_agent' ? 'agency-one' : undefined,
      });
    }
    agent2 = await createUser(t.deps, { username: 'agent2', roles: ['agent'], team: 'team-b' });
    agency2 = await createUser(t.deps, { username: 'agency2', roles: ['agency_agent'], agency: 'agency-two' });
    loner = await createUser(t.deps, { username: 'loner', roles: ['agent'] });

    // Six overdue borrowers, one loan each, and their cases dealt out by hand (work queues come later):
    // B1 agent (team-a), B2 team-a without an assignee, B3 agent2 (team-b), B4 agency-one, B5 agency-two, B6 nobody.
    const ids = [1, 2, 3, 4, 5, 6];
    await load(t.deps, 'borrowers', ids.map((k) => borrower(k)));
    await load(t.deps, 'loans', ids.map((k) => loan(k, k)));
    await load(t.deps, 'installments', ids.map((k) => installment(k, 1, '2026-01-15')));
    await runDaily(t.deps, '2026-02-01');
    await t.db.query(
      `UPDATE cases c SET assignee_id = x.assignee, team_id = x.team, agency_id = x.agency
       FROM (VALUES
         ('B1', (SELECT id FROM users WHERE username = 'agent'), (SELECT id FROM teams WHERE name = 'team-a'), NULL::int),
         ('B2', NULL::int, (SELECT id FROM teams WHERE name = 'team-a'), NULL::int),
         ('B3', (SELECT id FROM users WHERE username = 'agent2'), (SELECT id FROM teams WHERE name = 'team-b'), NULL::int),
         ('B4', NULL::int, NULL::int, (SELECT id FROM agencies WHERE name = 'agency-one')),
         ('B5', NULL::int, NULL::int, (SELECT id FROM agencies WHERE name = 'agency-two'))
       ) AS x(borrower, assignee, team, agency)
       JOIN borrowers b ON b.external_id = x.borrower
       WHERE c.borrower_id = b.id`,
    );
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  const routes = () => app.routeCatalog.filter((r) => r.method !== 'HEAD');
  const guarded = () => routes().filter((r) => !r.public);

  describe('every route', () => {
    it('the catalog holds the routes of every area', () => {
      const seen = new Set(routes().map((r) => `${r.method} ${r.url}`));
      for (const r of ['GET /api/health', 'POST /api/v1/auth/login', 'GET /api/v1/cases', 'POST /api/v1/borrowers', 'POST /api/v1/compliance/decide', 'DELETE /api/v1/auth/tokens/:name']) {
        expect(seen, r).toContain(r);
      }
    });

    it('is public or declares a permission of the matrix (or `authenticated`)', () => {
      const undeclared = routes().filter((r) => !r.public && r.permission === undefined).map((r) => `${r.method} ${r.url}`);
      expect(undeclared, 'routes without config.permission: they refuse everyone').toEqual([]);
      for (const r of guarded()) expect([...PERMISSIONS, 'authenticated'], `${r.method} ${r.url}`).toContain(r.permission);
    });

    it('only health, login, the documentation and the home page are public', () => {
      const open = routes().filter((r) => r.public).map((r) => `${r.method} ${r.url}`);
      for (const r of open) expect(r, r).toMatch(/^(GET \/api\/health|POST \/api\/v1\/auth\/login|GET \/|GET \/api\/docs(\/.*)?)$/);
    });

    it('a route that declares no permission is refused even to an administrator (fail closed)', async () => {
      const t2 = await openTestDb(backend);
      const app2 = await buildApp(t2.deps);
      app2.get('/api/v1/forgotten', async () => ({ secret: true }));
      const admin = await createUser(t2.deps, { roles: ['admin'] });
      try {
        const res = await app2.inject({ method: 'GET', url: '/api/v1/forgotten', headers: await bearerFor(t2.deps, admin) });
        expectCode(res, 403, 'AUTH.FORBIDDEN', 'GET /api/v1/forgotten');
        expect(res.body).not.toContain('secret');
        expect(app2.routeCatalog.find((r) => r.url === '/api/v1/forgotten')).toMatchObject({ permission: undefined, public: false });
        expectCode(await app2.inject({ method: 'GET', url: '/api/v1/forgotten' }), 401, 'AUTH.REQUIRED', 'anonymous');
      } finally {
        await app2.close();
        await t2.close();
      }
    });

    it('refuses nobody-signed-in with 401 AUTH.REQUIRED on every guarded route', async () => {
      for (const r of guarded()) {
        const res = await app.inject({ method: r.method as 'GET', url: concrete(r.url), payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {} });
        expectCode(res, 401, 'AUTH.REQUIRED', `anonymous ${r.method} ${r.url}`);
      }
    });

    it('answers the public routes to nobody-signed-in', async () => {
      for (const url of ['/api/health', '/', '/api/docs/json']) {
        expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
      }
    });

    describe.each([
      ['a session cookie', 'session'],
      ['an API token with all its user’s permissions', 'token'],
    ] as const)('with %s', (_what, via) => {
      it.each(ROLES.map((r) => [r]))('%s: allowed or refused on every route exactly as MATRIX says', async (role) => {
        const user = users[role];
        for (const r of guarded()) {
          // A fresh session per call: the logout route ends the one it is called with.
          const headers: Headers = via === 'session' ? await sessionHeaders(app, t.deps, user) : await bearerFor(t.deps, user);
          const res = await app.inject({
            method: r.method as 'GET',
            url: concrete(r.url),
            headers,
            payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {},
          });
          const what = `${role} ${r.method} ${r.url} (needs ${r.permission})`;
          if (roleMayCall(role, r)) {
            // Past the guard: the handler answers, usually 400 for the empty body or 404 for the made-up id.
            expect([401, 403], `${what}: ${res.body}`).not.toContain(res.statusCode);
          } else {
            expectCode(res, 403, 'AUTH.FORBIDDEN', what);
          }
        }
      });
    });
  });

  describe('case scope', () => {
    let as: (u: TestUser) => (url: string) => Promise<LightMyRequestResponse>;
    beforeAll(() => {
      const tokens = new Map<string, Headers>();
      as = (u) => async (url) => {
        if (!tokens.has(u.username)) tokens.set(u.username, await bearerFor(t.deps, u));
        return app.inject({ method: 'GET', url, headers: tokens.get(u.username)! });
      };
    });
    const casesOf = async (u: TestUser) => {
      const res = await as(u)('/api/v1/cases?limit=500');
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as Json[]).map((c) => c.borrowerId).sort();
    };

    it('roles with the whole portfolio in scope list every case', async () => {
      for (const role of ['admin', 'supervisor', 'qa', 'compliance', 'auditor'] as const) {
        expect(await casesOf(users[role]), role).toEqual(['B1', 'B2', 'B3', 'B4', 'B5', 'B6']);
      }
    });

    it("an agent lists the cases assigned to them and to their team, nothing else", async () => {
      expect(await casesOf(users.agent)).toEqual(['B1', 'B2']);
      expect(await casesOf(agent2)).toEqual(['B3']);
      expect(await casesOf(loner)).toEqual([]);
    });

    it("an agency agent lists only the cases placed with their agency", async () => {
      expect(await casesOf(users.agency_agent)).toEqual(['B4']);
      expect(await casesOf(agency2)).toEqual(['B5']);
    });

    it("an agent reading another team's borrower or loan gets 404, the same answer as for one that does not exist", async () => {
      const agent = as(users.agent);
      expect((await agent('/api/v1/borrowers/B1')).statusCode).toBe(200);
      expect((await agent('/api/v1/borrowers/B2')).statusCode).toBe(200);
      expect((await agent('/api/v1/loans/L2')).statusCode).toBe(200);
      for (const [url, code] of [
        ['/api/v1/borrowers/B3', 'BORROWER.NOT_FOUND'],
        ['/api/v1/loans/L3', 'LOAN.NOT_FOUND'],
        ['/api/v1/borrowers/B4', 'BORROWER.NOT_FOUND'],
        ['/api/v1/borrowers/B6', 'BORROWER.NOT_FOUND'],
        ['/api/v1/loans/L6', 'LOAN.NOT_FOUND'],
      ] as const) {
        const hidden = await agent(url);
        const missing = await agent(url.replace(/[BL]\d$/, (m) => `${m[0]}999`));
        expectCode(hidden, 404, code, url);
        expectCode(missing, 404, code, `${url} (missing)`);
        expect(Object.keys(hidden.json()).sort()).toEqual(Object.keys(missing.json()).sort());
      }
    });

    it("an agency agent reads its agency's borrowers and loans only", async () => {
      const agency = as(users.agency_agent);
      expect((await agency('/api/v1/borrowers/B4')).statusCode).toBe(200);
      expect((await agency('/api/v1/loans/L4')).statusCode).toBe(200);
      for (const id of ['1', '2', '3', '5', '6']) {
        expectCode(await agency(`/api/v1/borrowers/B${id}`), 404, 'BORROWER.NOT_FOUND', `B${id}`);
        expectCode(await agency(`/api/v1/loans/L${id}`), 404, 'LOAN.NOT_FOUND', `L${id}`);
      }
    });

    it('every other role reads every borrower', async () => {
      for (const role of ['admin', 'supervisor', 'qa', 'compliance', 'auditor'] as const) {
        for (const id of ['1', '3', '4', '6']) expect((await as(users[role])(`/api/v1/borrowers/B${id}`)).statusCode, `${role} B${id}`).toBe(200);
      }
    });

    it('moving a case to another team moves who sees it, at once', async () => {
      await t.db.query(
        "UPDATE cases SET assignee_id = NULL, team_id = (SELECT id FROM teams WHERE name = 'team-b') WHERE borrower_id = (SELECT id FROM borrowers WHERE external_id = 'B2')",
      );
      expect(await casesOf(users.agent)).toEqual(['B1']);
      expect(await casesOf(agent2)).toEqual(['B2', 'B3']);
      expect((await as(users.agent)('/api/v1/borrowers/B2')).statusCode).toBe(404);
      expect((await as(agent2)('/api/v1/borrowers/B2')).statusCode).toBe(200);
    });
  });
});
