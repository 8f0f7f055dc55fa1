// `clement user …` as an operator runs it, as real child processes on an embedded data folder;
// then the server over the same folder accepts the printed password and refuses the revoked token.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { openPglite } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { createLogger } from '../../src/deps.js';
import { migratedDataDir, runCli } from '../support/cli.js';
import { randomAddress } from '../support/auth.js';
import { TEST_KEY, testConfig } from '../support/test-db.js';
import { createVault, parseKeyList } from '../../src/services/privacy/vault.js';

describe('clement user (embedded)', () => {
  let dataDir: string;
  const run = (...args: string[]) => runCli(args, { dataDir });
  let password = '';
  let token = '';

  beforeAll(async () => {
    dataDir = await migratedDataDir('user');
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('user add prints the new user and a generated password once; the same name again exits 1', async () => {
    const r = await run('user', 'add', 'ops', '--role', 'admin', '--role', 'compliance', '--team', 'back-office');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^user ops created: admin, compliance; team back-office; not certified\npassword: [A-Za-z0-9_-]{24}\n/);
    password = /password: (\S+)/.exec(r.stdout)![1]!;

    const again = await run('user', 'add', 'ops', '--role', 'agent');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/a user ops exists already/);
    expect(again.stdout).toBe('');
  });

  it('user token prints a clm_ token once; revoke-token revokes it', async () => {
    const r = await run('user', 'token', 'ops', '--name', 'ci', '--scope', 'ledger.read', '--scope', 'audit.read');
    expect(r.code, r.stderr).toBe(0);
    token = /token: (clm_\S+)/.exec(r.stdout)![1]!;
    expect(token).toMatch(/^clm_[A-Za-z0-9_-]{43}$/);
    const list = await run('user', 'tokens');
    expect(list.stdout).toMatch(/^ci\tops\tledger.read,audit.read\tactive, last used never$/m);
    expect(list.stdout).not.toContain(token);

    const revoked = await run('user', 'revoke-token', 'ci');
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toBe('token ci revoked\n');
  });

  it('the server over the same folder signs in with the printed password and refuses the revoked token', async () => {
    const db = await openPglite(join(dataDir, 'pgdata'));
    await migrate(db);
    // Accounts hold no personal data: any keyring serves here.
    const app = await buildApp({ db, config: { ...testConfig(), dataDir }, log: createLogger('silent'), vault: createVault(parseKeyList(TEST_KEY)) });
    try {
      const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'ops', password }, remoteAddress: randomAddress() });
      expect(login.statusCode, login.body).toBe(200);
      expect(login.json().user).toEqual({ username: 'ops', roles: ['admin', 'compliance'], team: 'back-office', agency: null, certified: false });
      const res = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } });
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('AUTH.INVALID_TOKEN');
    } finally {
      await app.close();
      await db.close();
    }
  });
});
