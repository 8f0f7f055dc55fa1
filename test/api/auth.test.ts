// Signing in, sessions, CSRF, lockout, rate limit and API tokens, as a browser or an integration
// meets them: buildApp(deps) driven with inject(), on PGlite always and PostgreSQL when
// DATABASE_URL is set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { CSRF_COOKIE, CSRF_HEADER, LOGIN_RATE_LIMIT, SESSION_COOKIE } from '../../src/api/plugins/auth.js';
import { LOGIN_POLICY } from '../../src/services/access/auth.service.js';
import { userAdd, userToken } from '../../src/cli/user.commands.js';
import { BACKENDS, openTestDb, type TestDb } from '../support/test-db.js';
import { borrower, load } from '../support/ledger-factory.js';
import { bearerFor, createUser, loginHeaders, randomAddress, sessionHeaders, type Headers, type TestUser } from '../support/auth.js';

type Json = Record<string, any>;

function expectError(res: LightMyRequestResponse, status: number, code: string): Json {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json();
  expect(body.code).toBe(code);
  expect(body.requestId).toMatch(/^req_/);
  return body;
}

const borrowerBody = (id: string) => ({ id, name: `借款人${id}`, phone: '+8613800000001', locale: 'zh-CN' });

describe.each(BACKENDS)('authentication on %s', (backend) => {
  let t: TestDb;
  let app: FastifyInstance;
  let admin: TestUser;
  let agent: TestUser;

  const inject = (opts: InjectOptions) => app.inject(opts);
  const login = (username: string, password: string, opts: Partial<InjectOptions> = {}) =>
    inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress: randomAddress(), ...opts });
  const userRow = async (username: string) =>
    (await t.db.query<{ failed_logins: number; locked: boolean }>(
      'SELECT failed_logins, coalesce(locked_until > now(), false) AS locked FROM users WHERE username = $1',
      [username],
    )).rows[0]!;

  beforeAll(async () => {
    t = await openTestDb(backend);
    app = await buildApp(t.deps);
    admin = await createUser(t.deps, { username: 'root', roles: ['admin'] });
    agent = await createUser(t.deps, { username: 'agent-a', roles: ['agent'], team: 'team-a' });
    await load(t.deps, 'borrowers', [borrower(1)]);
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  describe('signing in', () => {
    it('sets an httpOnly, SameSite=Strict session cookie on path / and answers the user and a CSRF token', async () => {
      const res = await login('agent-a', agent.password);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({
        user: { username: 'agent-a', roles: ['agent'], team: 'team-a', agency: null, certified: true },
        csrfToken: expect.any(String),
      });
      const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE)!;
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
      expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
      // On localhost the cookie may travel over plain HTTP.
      expect(cookie.secure).toBeFalsy();
      // The CSRF secret's cookie is just as closed.
      expect(res.cookies.find((c) => c.name === CSRF_COOKIE)).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
      // The session is stored only as a hash.
      const stored = await t.db.query<{ token_hash: string }>('SELECT token_hash FROM sessions');
      expect(stored.rows.map((r) => r.token_hash)).not.toContain(cookie.value);
    });

    it('marks the cookies Secure when the request is not for localhost', async () => {
      const res = await login('agent-a', agent.password, { headers: { host: 'clement.example.com' } });
      expect(res.statusCode).toBe(200);
      expect(res.cookies.find((c) => c.name === SESSION_COOKIE)!.secure).toBe(true);
      expect(res.cookies.find((c) => c.name === CSRF_COOKIE)!.secure).toBe(true);
    });

    it('the cookie alone answers reads: GET /auth/me names the user, their permissions and a CSRF token', async () => {
      const headers = await loginHeaders(app, 'agent-a', agent.password);
      const res = await inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: headers.cookie! } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({
        user: { username: 'agent-a', roles: ['agent'], team: 'team-a', agency: null, certified: true },
        via: 'session',
        permissions: ['ledger.read', 'cases.read', 'pii.reveal', 'compliance.decide', 'screen.use'],
        csrfToken: expect.any(String),
      });
      expect((await inject({ method: 'GET', url: '/api/v1/borrowers/B1', headers: { cookie: headers.cookie! } })).statusCode).not.toBe(401);
    });

    it('a wrong password and an unknown username get the same 401, naming neither', async () => {
      const wrong = expectError(await login('agent-a', 'not-the-password'), 401, 'AUTH.INVALID_CREDENTIALS');
      const unknown = expectError(await login('nobody-here', 'not-the-password'), 401, 'AUTH.INVALID_CREDENTIALS');
      expect(unknown.message).toBe(wrong.message);
      expect(wrong.message).not.toMatch(/agent-a|nobody/);
      const res = await login('agent-a', 'not-the-password');
      expect(res.cookies.find((c) => c.name === SESSION_COOKIE)).toBeUndefined();
      // Reset the count for the tests below.
      expect((await login('agent-a', agent.password)).statusCode).toBe(200);
    });

    it('400 naming the field for a login body without a password', async () => {
      const res = await inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'agent-a' }, remoteAddress: randomAddress() });
      const body = expectError(res, 400, 'REQUEST.INVALID');
      expect(body.details.map((d: Json) => d.field)).toContain('password');
    });

    it('locks the account for 15 minutes after 5 wrong passwords in a row: then even the right password is refused with 423', async () => {
      const u = await createUser(t.deps, { username: 'lock-me', roles: ['qa'] });
      for (let k = 1; k < LOGIN_POLICY.maxFailures; k++) expectError(await login(u.username, `wrong-${k}`), 401, 'AUTH.INVALID_CREDENTIALS');
      expect(await userRow(u.username)).toEqual({ failed_logins: LOGIN_POLICY.maxFailures - 1, locked: false });
      const fifth = expectError(await login(u.username, 'wrong-5'), 423, 'AUTH.LOCKED');
      expect(fifth.message).toMatch(/15 minutes/);
      expectError(await login(u.username, u.password), 423, 'AUTH.LOCKED');
      expect((await userRow(u.username)).locked).toBe(true);
      // Fifteen minutes later (moved back by hand): the right password works and clears the count.
      await t.db.query("UPDATE users SET locked_until = now() - interval '1 second' WHERE username = $1", [u.username]);
      expect((await login(u.username, u.password)).statusCode).toBe(200);
      expect(await userRow(u.username)).toEqual({ failed_logins: 0, locked: false });
      // The lock is exactly 15 minutes from the fifth failure.
      for (let k = 1; k <= LOGIN_POLICY.maxFailures; k++) await login(u.username, `wrong-${k}`);
      const r = await t.db.query<{ minutes: number }>(
        "SELECT round(extract(epoch FROM locked_until - now()) / 60)::int AS minutes FROM users WHERE username = $1",
        [u.username],
      );
      expect(r.rows[0]!.minutes).toBe(15);
    });

    it('only consecutive failures count: a success in between starts the count again', async () => {
      const u = await createUser(t.deps, { username: 'careless', roles: ['qa'] });
      for (let k = 1; k < LOGIN_POLICY.maxFailures; k++) await login(u.username, 'wrong');
      expect((await login(u.username, u.password)).statusCode).toBe(200);
      for (let k = 1; k < LOGIN_POLICY.maxFailures; k++) expectError(await login(u.username, 'wrong'), 401, 'AUTH.INVALID_CREDENTIALS');
      expect((await login(u.username, u.password)).statusCode).toBe(200);
    });

    it(`refuses more than ${LOGIN_RATE_LIMIT.max} sign-in attempts a minute from one address with 429, whatever the account`, async () => {
      const from = randomAddress();
      for (let k = 0; k < LOGIN_RATE_LIMIT.max; k++) {
        expect((await login(`someone-${k}`, 'guess', { remoteAddress: from })).statusCode).toBe(401);
      }
      const limited = expectError(await login('agent-a', agent.password, { remoteAddress: from }), 429, 'AUTH.RATE_LIMITED');
      expect(limited.message).toMatch(/try again/);
      // Another address is not affected.
      expect((await login('agent-a', agent.password)).statusCode).toBe(200);
    });

    it('a disabled user cannot sign in, and their open sessions stop working', async () => {
      const u = await createUser(t.deps, { username: 'leaver', roles: ['agent'] });
      const headers = await loginHeaders(app, u.username, u.password);
      await t.db.query('UPDATE users SET disabled = true WHERE username = $1', [u.username]);
      expectError(await login(u.username, u.password), 401, 'AUTH.INVALID_CREDENTIALS');
      expectError(await inject({ method: 'GET', url: '/api/v1/auth/me', headers }), 401, 'AUTH.REQUIRED');
    });
  });

  describe('sessions', () => {
    it('logout ends the session at once: the same cookie is then refused', async () => {
      const headers = await loginHeaders(app, 'agent-a', agent.password);
      expect((await inject({ method: 'GET', url: '/api/v1/auth/me', headers })).statusCode).toBe(200);
      const out = await inject({ method: 'POST', url: '/api/v1/auth/logout', headers });
      expect(out.statusCode, out.body).toBe(204);
      expect(out.cookies.find((c) => c.name === SESSION_COOKIE)).toMatchObject({ value: '' });
      expectError(await inject({ method: 'GET', url: '/api/v1/auth/me', headers }), 401, 'AUTH.REQUIRED');
      expectError(await inject({ method: 'GET', url: '/api/v1/cases', headers }), 401, 'AUTH.REQUIRED');
    });

    it('a session past its end or idle for an hour is refused', async () => {
      const headers = await sessionHeaders(app, t.deps, agent);
      await t.db.query("UPDATE sessions SET last_seen_at = now() - interval '61 minutes'");
      expectError(await inject({ method: 'GET', url: '/api/v1/auth/me', headers }), 401, 'AUTH.REQUIRED');
      const again = await sessionHeaders(app, t.deps, agent);
      await t.db.query("UPDATE sessions SET expires_at = now() - interval '1 second'");
      expectError(await inject({ method: 'GET', url: '/api/v1/auth/me', headers: again }), 401, 'AUTH.REQUIRED');
    });

    it('no credentials at all: 401 AUTH.REQUIRED; a made-up cookie: 401 too', async () => {
      expectError(await inject({ method: 'GET', url: '/api/v1/cases' }), 401, 'AUTH.REQUIRED');
      expectError(await inject({ method: 'GET', url: '/api/v1/cases', cookies: { [SESSION_COOKIE]: 'made-up' } }), 401, 'AUTH.REQUIRED');
      expectError(await inject({ method: 'POST', url: '/api/v1/borrowers', payload: borrowerBody('BX') }), 401, 'AUTH.REQUIRED');
    });

    it('the public routes need nothing', async () => {
      expect((await inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
      expect((await inject({ method: 'GET', url: '/api/docs/json' })).statusCode).toBe(200);
      expect((await inject({ method: 'GET', url: '/' })).statusCode).toBe(200);
    });
  });

  describe('CSRF', () => {
    let session: Headers;
    beforeAll(async () => {
      session = await loginHeaders(app, 'root', admin.password);
    });

    it('a cookie-authenticated write without the CSRF header is refused with 403 AUTH.CSRF and stores nothing', async () => {
      const { [CSRF_HEADER]: _token, ...cookieOnly } = session;
      expectError(await inject({ method: 'POST', url: '/api/v1/borrowers', headers: cookieOnly, payload: borrowerBody('C1') }), 403, 'AUTH.CSRF');
      expectError(
        await inject({ method: 'POST', url: '/api/v1/borrowers', headers: { ...cookieOnly, [CSRF_HEADER]: 'forged' }, payload: borrowerBody('C1') }),
        403,
        'AUTH.CSRF',
      );
      expect((await inject({ method: 'GET', url: '/api/v1/borrowers/C1', headers: cookieOnly })).statusCode).toBe(404);
    });

    it('a token from another session does not pass either', async () => {
      const other = await loginHeaders(app, 'root', admin.password);
      const res = await inject({ method: 'POST', url: '/api/v1/borrowers', headers: { ...session, [CSRF_HEADER]: other[CSRF_HEADER]! }, payload: borrowerBody('C1') });
      expectError(res, 403, 'AUTH.CSRF');
    });

    it('with the header the write goes through; reads never need it', async () => {
      const res = await inject({ method: 'POST', url: '/api/v1/borrowers', headers: session, payload: borrowerBody('C2') });
      expect(res.statusCode, res.body).toBe(201);
      expect((await inject({ method: 'GET', url: '/api/v1/borrowers/C2', headers: { cookie: session.cookie! } })).statusCode).toBe(200);
    });

    it('a bearer-token write needs no CSRF token', async () => {
      const bearer = await bearerFor(t.deps, admin);
      const res = await inject({ method: 'POST', url: '/api/v1/borrowers', headers: bearer, payload: borrowerBody('C3') });
      expect(res.statusCode, res.body).toBe(201);
    });
  });

  describe('API tokens', () => {
    it('look like clm_ and 43 characters, are stored only hashed, and GET /auth/me says via token', async () => {
      const lines: string[] = [];
      await userToken(t.deps, 'root', { name: 'looks', scope: ['ledger.read'] }, (l) => lines.push(l));
      const token = lines.find((l) => l.startsWith('token: '))!.slice('token: '.length);
      expect(token).toMatch(/^clm_[A-Za-z0-9_-]{43}$/);
      const stored = await t.db.query<{ token_hash: string; scopes: string[] }>("SELECT token_hash, scopes FROM api_tokens WHERE name = 'looks'");
      expect(stored.rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(stored.rows[0]!.scopes).toEqual(['ledger.read']);
      const me = await inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } });
      expect(me.json()).toMatchObject({ user: { username: 'root' }, via: 'token', permissions: ['ledger.read'], csrfToken: null });
    });

    it("scopes narrow the user's permissions: an admin's ledger.read token cannot write", async () => {
      const readOnly = await bearerFor(t.deps, admin, ['ledger.read']);
      expect((await inject({ method: 'GET', url: '/api/v1/borrowers/B1', headers: readOnly })).statusCode).toBe(200);
      expectError(await inject({ method: 'POST', url: '/api/v1/borrowers', headers: readOnly, payload: borrowerBody('T1') }), 403, 'AUTH.FORBIDDEN');
      expectError(await inject({ method: 'GET', url: '/api/v1/cases', headers: readOnly }), 403, 'AUTH.FORBIDDEN');
    });

    it('a token cannot be scoped beyond what its user holds', async () => {
      const res = await inject({
        method: 'POST',
        url: '/api/v1/auth/tokens',
        headers: await bearerFor(t.deps, admin),
        payload: { username: 'agent-a', name: 'too-wide', scopes: ['ledger.read', 'ledger.write'] },
      });
      const body = expectError(res, 400, 'AUTH.SCOPE_NOT_HELD');
      expect(body.details.map((d: Json) => d.field)).toEqual(['scopes']);
    });

    it('issued, listed (never with its value) and revoked over the API; a revoked token is 401 at once', async () => {
      const adminToken = await bearerFor(t.deps, admin);
      const issued = await inject({
        method: 'POST',
        url: '/api/v1/auth/tokens',
        headers: adminToken,
        payload: { username: 'agent-a', name: 'dialer', scopes: ['ledger.read', 'compliance.decide'] },
      });
      expect(issued.statusCode, issued.body).toBe(201);
      const { token } = issued.json();
      const dialer = { authorization: `Bearer ${token}` };
      expect((await inject({ method: 'GET', url: '/api/v1/auth/me', headers: dialer })).json().user.username).toBe('agent-a');

      const list = await inject({ method: 'GET', url: '/api/v1/auth/tokens', headers: adminToken });
      expect(list.statusCode).toBe(200);
      expect(list.json().items).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'dialer', username: 'agent-a', scopes: ['ledger.read', 'compliance.decide'], revokedAt: null })]),
      );
      expect(list.body).not.toContain(token);

      // The name is unique.
      expectError(
        await inject({ method: 'POST', url: '/api/v1/auth/tokens', headers: adminToken, payload: { username: 'root', name: 'dialer', scopes: ['ledger.read'] } }),
        409,
        'AUTH.TOKEN_EXISTS',
      );

      expect((await inject({ method: 'DELETE', url: '/api/v1/auth/tokens/dialer', headers: adminToken })).statusCode).toBe(204);
      expectError(await inject({ method: 'GET', url: '/api/v1/auth/me', headers: dialer }), 401, 'AUTH.INVALID_TOKEN');
      // Revoking again is not an error; an unknown name is a 404.
      expect((await inject({ method: 'DELETE', url: '/api/v1/auth/tokens/dialer', headers: adminToken })).statusCode).toBe(204);
      expectError(await inject({ method: 'DELETE', url: '/api/v1/auth/tokens/nope', headers: adminToken }), 404, 'AUTH.TOKEN_NOT_FOUND');
    });

    it('an unknown or malformed bearer token is 401 AUTH.INVALID_TOKEN, even with a valid cookie beside it', async () => {
      const session = await sessionHeaders(app, t.deps, agent);
      for (const authorization of [`Bearer clm_${'A'.repeat(43)}`, 'Bearer nonsense', 'Basic cm9vdDpyb290']) {
        expectError(await inject({ method: 'GET', url: '/api/v1/cases', headers: { ...session, authorization } }), 401, 'AUTH.INVALID_TOKEN');
      }
    });

    it("a token stops working when its user is disabled", async () => {
      const u = await createUser(t.deps, { roles: ['auditor'] });
      const bearer = await bearerFor(t.deps, u);
      expect((await inject({ method: 'GET', url: '/api/v1/cases', headers: bearer })).statusCode).toBe(200);
      await t.db.query('UPDATE users SET disabled = true WHERE username = $1', [u.username]);
      expectError(await inject({ method: 'GET', url: '/api/v1/cases', headers: bearer }), 401, 'AUTH.INVALID_TOKEN');
    });
  });

  describe('clement user add', () => {
    it('prints a generated password once, which then signs in; the password is stored only as an argon2id hash', async () => {
      const lines: string[] = [];
      await userAdd(t.deps, 'new-agent', { role: ['agent'], team: 'team-z' }, (l) => lines.push(l));
      expect(lines[0]).toBe('user new-agent created: agent; team team-z; not certified');
      const password = lines.find((l) => l.startsWith('password: '))!.slice('password: '.length);
      expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
      const res = await login('new-agent', password);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().user).toEqual({ username: 'new-agent', roles: ['agent'], team: 'team-z', agency: null, certified: false });
      const stored = await t.db.query<{ password_hash: string }>("SELECT password_hash FROM users WHERE username = 'new-agent'");
      expect(stored.rows[0]!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(stored.rows[0]!.password_hash).not.toContain(password);
    });

    it('refuses a taken username, an unknown role, and an agency agent without an agency', async () => {
      await expect(userAdd(t.deps, 'new-agent', { role: ['agent'] }, () => undefined)).rejects.toMatchObject({ code: 'AUTH.USER_EXISTS' });
      await expect(userAdd(t.deps, 'someone', { role: ['boss'] }, () => undefined)).rejects.toMatchObject({ code: 'AUTH.INVALID' });
      await expect(userAdd(t.deps, 'someone', { role: ['agency_agent'] }, () => undefined)).rejects.toMatchObject({ code: 'AUTH.AGENCY_REQUIRED' });
      await expect(userAdd(t.deps, 'Bad Name!', { role: ['agent'] }, () => undefined)).rejects.toMatchObject({ code: 'AUTH.INVALID' });
    });
  });
});
