// Personal data over HTTP: masked in every response, revealed one field at a time to a role and
// case scope allowed to see it, with the reason in the audit trail; retried writes with an
// Idempotency-Key get the first answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { BACKENDS, openTestDb, type TestDb } from '../support/test-db.js';
import { bearerFor, createUser, type Headers } from '../support/auth.js';
import { borrower, installment, load, loan } from '../support/ledger-factory.js';
import { runDaily } from '../../src/services/aging/daily-run.service.js';

describe.each(BACKENDS)('privacy and idempotency over HTTP (%s)', (backend) => {
  let t: TestDb;
  let app: FastifyInstance;
  let supervisor: Headers;
  let qa: Headers;
  let agentOtherTeam: Headers;
  let admin: Headers;

  beforeAll(async () => {
    t = await openTestDb(backend);
    app = await buildApp(t.deps);
    await load(t.deps, 'borrowers', [borrower(1, { id_number: '11010519491231002X', phone: '+8613912345678', email: 'zhang@example.com', address: '北京市朝阳区望京街道1号' })]);
    await load(t.deps, 'loans', [loan(1, 1)]);
    await load(t.deps, 'installments', [installment(1, 1, '2026-01-15')]);
    await runDaily(t.deps, '2026-02-01');
    // The case is assigned to team-a; an agent of team-b must not see the borrower.
    await createUser(t.deps, { roles: ['agent'], team: 'team-a' });
    await t.db.query(`UPDATE cases SET team_id = (SELECT id FROM teams WHERE name = 'team-a')`);
    supervisor = await bearerFor(t.deps, await createUser(t.deps, { roles: ['supervisor'] }));
    qa = await bearerFor(t.deps, await createUser(t.deps, { roles: ['qa'] }));
    admin = await bearerFor(t.deps, await createUser(t.deps, { roles: ['admin'] }));
    agentOtherTeam = await bearerFor(t.deps, await createUser(t.deps, { roles: ['agent'], team: 'team-b' }));
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  const reveal = (headers: Headers, field: string, reason = 'borrower called to confirm the number we hold') =>
    app.inject({ method: 'POST', url: '/api/v1/borrowers/B1/reveal', headers, payload: { field, reason } });

  it('shows personal data masked', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/v1/borrowers/B1', headers: supervisor });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ phone: '139****5678', idNumber: '1101**********002X', email: 'z***@example.com', address: '北京市朝阳区****' });
    expect(r.body).not.toContain('13912345678');
  });

  it('finds a borrower by phone or ID number through the blind index, within the case scope', async () => {
    const byPhone = await app.inject({ method: 'GET', url: '/api/v1/borrowers?phone=%2B8613912345678', headers: supervisor });
    expect(byPhone.statusCode, byPhone.body).toBe(200);
    expect(byPhone.json().items).toEqual([expect.objectContaining({ id: 'B1', phone: '139****5678' })]);
    const byId = await app.inject({ method: 'GET', url: '/api/v1/borrowers?idNumber=11010519491231002x', headers: supervisor });
    expect(byId.json().items.map((b: { id: string }) => b.id)).toEqual(['B1']);
    const outOfScope = await app.inject({ method: 'GET', url: '/api/v1/borrowers?phone=%2B8613912345678', headers: agentOtherTeam });
    expect(outOfScope.json().items).toEqual([]);
    const both = await app.inject({ method: 'GET', url: '/api/v1/borrowers?phone=%2B86139&idNumber=1', headers: supervisor });
    expect(both.statusCode).toBe(400);
  });

  it('reveals one field with a reason, and records who, which borrower, which field and why', async () => {
    const r = await reveal(supervisor, 'phone');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ borrowerId: 'B1', field: 'phone', value: '+8613912345678' });
    const events = await t.db.query<{ action: string; reason: string; records: unknown }>(
      `SELECT action, reason, records FROM audit_events WHERE action = 'pii.reveal' ORDER BY id DESC LIMIT 1`,
    );
    expect(events.rows[0]).toMatchObject({ action: 'pii.reveal', reason: 'borrower called to confirm the number we hold' });
    expect(JSON.stringify(events.rows[0]!.records)).toContain('B1');
    expect(JSON.stringify(events.rows[0])).not.toContain('13912345678');
  });

  it('refuses a role without the permission, an agent outside the case scope, and a missing reason', async () => {
    expect((await reveal(qa, 'phone')).statusCode).toBe(403);
    expect((await reveal(admin, 'idNumber')).statusCode).toBe(403);
    expect((await reveal(agentOtherTeam, 'phone')).statusCode).toBe(404);
    const noReason = await reveal(supervisor, 'phone', '');
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().details[0].field).toBe('reason');
    expect((await reveal(supervisor, 'salary')).statusCode).toBe(400);
  });

  it('answers a retried payment with the same Idempotency-Key with the first answer, once', async () => {
    const payload = { id: 'PI-1', loanId: 'L1', paidAt: '2026-02-01T10:00:00+08:00', amount: '100.00' };
    const send = (body: object) =>
      app.inject({ method: 'POST', url: '/api/v1/payments', headers: { ...admin, 'idempotency-key': 'retry-1' }, payload: body });
    const first = await send(payload);
    expect(first.statusCode, first.body).toBe(201);
    const second = await send(payload);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replay']).toBe('true');
    expect(second.body).toBe(first.body);
    const count = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM payments WHERE external_id = 'PI-1'`);
    expect(count.rows[0]!.n).toBe(1);
    const reused = await send({ ...payload, id: 'PI-2' });
    expect(reused.statusCode).toBe(409);
    expect(reused.json().code).toBe('IDEMPOTENCY.KEY_REUSED');
  });

  it('sends security headers', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/health' });
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-security-policy']).toBeDefined();
  });
});
