// The gate and the screens over HTTP, as a client sees them: buildApp(deps) driven with inject().
// The routes are pure (nothing stored); each test asserts status, code, the field a 400 names and
// the answer's shape, which is the CLI's. Callers sign in with an API token (an agent's, unless
// the test is about who may call).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { PRESETS } from '../../src/domain/compliance/index.js';
import { BACKENDS, openTestDb, type TestDb } from '../support/test-db.js';
import { bearerFor, createUser, type Headers } from '../support/auth.js';
import { COMPLIANCE_SAMPLE } from '../../src/domain/compliance/request.fixture.js';

/** The sample request of COMPLIANCE.md. */
const sample = COMPLIANCE_SAMPLE;

type Json = Record<string, any>;

const dir = mkdtempSync(join(tmpdir(), 'clement-api-policy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(BACKENDS)('compliance API (%s)', (backend) => {
  let t: TestDb;
  let app: FastifyInstance;
  let agent: Headers;
  const post = async (url: string, payload: unknown, on: FastifyInstance = app, headers: Headers = agent) => {
    const res = await on.inject({ method: 'POST', url, payload: payload as Json, headers });
    return { status: res.statusCode, body: res.json() as Json };
  };

  beforeAll(async () => {
    t = await openTestDb(backend);
    app = await buildApp(t.deps);
    agent = await bearerFor(t.deps, await createUser(t.deps, { roles: ['agent'] }));
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  describe('POST /api/v1/compliance/decide', () => {
    it('decides the sample request of COMPLIANCE.md', async () => {
      expect(await post('/api/v1/compliance/decide', sample)).toEqual({ status: 200, body: { allowed: true, reasons: [], nextAllowedAt: null } });
    });

    it('answers a refusal with every reason and nextAllowedAt (a refusal is a 200)', async () => {
      const r = await post('/api/v1/compliance/decide', { ...sample, at: '2026-03-02T22:00:00+08:00' });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({
        allowed: false,
        reasons: [{ code: 'OUTSIDE_HOURS', rule: 'cn.hours', message: expect.stringContaining('outside allowed hours') }],
        nextAllowedAt: '2026-03-03T08:00:00+08:00',
      });
    });

    it('decides on the history the request carries', async () => {
      const history = Array.from({ length: 6 }, (_, i) => ({ ...sample.history[0], at: `2026-03-02T09:1${i}:00+08:00` }));
      const r = await post('/api/v1/compliance/decide', { ...sample, at: '2026-03-02T10:00:00+08:00', history });
      expect(r.body.reasons.map((x: Json) => x.code)).toEqual(['DAILY_ATTEMPT_LIMIT']);
    });

    it('includes what the content screen found', async () => {
      const r = await post('/api/v1/compliance/decide', { ...sample, at: '2026-03-02T10:00:00+08:00', channel: 'sms', history: [], content: '你这个老赖，再不还钱就去你单位闹' });
      const reason = r.body.reasons.find((x: Json) => x.code === 'PROHIBITED_CONTENT');
      expect(reason.findings).toEqual(expect.arrayContaining([expect.objectContaining({ category: 'insult', span: '老赖' })]));
    });

    it('fills the defaults of the contract', async () => {
      const r = await post('/api/v1/compliance/decide', { at: '2026-03-02T10:00:00+08:00', channel: 'letter', borrower: { timezone: 'Asia/Shanghai' } });
      expect(r).toEqual({ status: 200, body: { allowed: true, reasons: [], nextAllowedAt: null } });
    });

    it.each([
      [{ ...sample, priority: 'high' }, 'priority'],
      [{ ...sample, borrower: { ...sample.borrower, nickname: 'x' } }, 'borrower.nickname'],
      [{ ...sample, at: '2026-03-02T21:59:00' }, 'at'],
      [{ ...sample, at: undefined }, 'at'],
      [{ ...sample, channel: 'fax' }, 'channel'],
      [{ ...sample, policy: 'fr' }, 'policy'],
      [{ ...sample, borrower: { ...sample.borrower, timezone: 'China/Beijing' } }, 'borrower.timezone'],
      [{ ...sample, history: [{ ...sample.history[0], outcome: 'hung_up' }] }, 'history.0.outcome'],
    ])('refuses %j with 400 naming %s', async (body, field) => {
      const r = await post('/api/v1/compliance/decide', body);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ code: 'REQUEST.INVALID', requestId: expect.stringMatching(/^req_/), details: [{ field }] });
      expect(r.body.message).toContain(field);
    });

    it('refuses a body that is not JSON', async () => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/compliance/decide', payload: '{"at":', headers: { ...agent, 'content-type': 'application/json' } });
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toMatch(/^REQUEST\./);
    });

    it("decides a request naming no preset under the lender's policy, and one naming a preset under that preset", async () => {
      const path = join(dir, `lender-${backend}.yaml`);
      writeFileSync(path, 'preset: cn\nhours:\n  from: "09:00"\n');
      const lender = await buildApp({ ...t.deps, config: { ...t.deps.config, policy: path } });
      try {
        const { policy: _p, ...noPreset } = sample;
        const early = { ...noPreset, at: '2026-03-02T08:30:00+08:00' };
        const r = await post('/api/v1/compliance/decide', early, lender);
        expect(r.body).toMatchObject({ allowed: false, nextAllowedAt: '2026-03-02T09:00:00+08:00' });
        expect((await post('/api/v1/compliance/decide', { ...early, policy: 'cn' }, lender)).body.allowed).toBe(true);
        const us = await post('/api/v1/compliance/decide', { ...early, policy: 'us', at: '2026-03-02T21:30:00+08:00' }, lender);
        expect(us.body.reasons.map((x: Json) => x.rule)).toEqual(['us.hours']);
      } finally {
        await lender.close();
      }
    });

    it('answers 503 naming the setting when CLEMENT_POLICY is a broken file', async () => {
      const path = join(dir, `broken-${backend}.yaml`);
      writeFileSync(path, 'preset: cn\nhours:\n  from: "07:00"\n');
      const broken = await buildApp({ ...t.deps, config: { ...t.deps.config, policy: path } });
      try {
        const { policy: _p, ...noPreset } = sample;
        const r = await post('/api/v1/compliance/decide', noPreset, broken);
        expect(r.status).toBe(503);
        expect(r.body).toMatchObject({ code: 'POLICY.INVALID', details: [{ field: 'hours.from' }] });
        // A request naming its preset does not need the lender's policy.
        expect((await post('/api/v1/compliance/decide', sample, broken)).status).toBe(200);
      } finally {
        await broken.close();
      }
    });
  });

  describe('POST /api/v1/screen', () => {
    it('names the category, span, offsets and a kinder wording', async () => {
      const text = '你这个老赖，再不还钱就去你单位闹';
      const r = await post('/api/v1/screen', { id: 'm1', text });
      expect(r.status).toBe(200);
      expect(r.body.id).toBe('m1');
      const insult = r.body.findings.find((f: Json) => f.category === 'insult');
      expect(insult).toMatchObject({ span: '老赖', start: text.indexOf('老赖'), end: text.indexOf('老赖') + 2, suggestion: expect.any(String) });
      for (const f of r.body.findings) expect(Object.keys(f).sort()).toEqual(['category', 'end', 'span', 'start', 'suggestion']);
    });

    it('finds nothing in lawful, polite text; the id is echoed as null when absent', async () => {
      expect(await post('/api/v1/screen', { text: '逾期将影响您的征信记录，您可以申请分期还款。' })).toEqual({ status: 200, body: { id: null, findings: [] } });
    });

    it('never refuses a lang: anything but zh or en means detect', async () => {
      for (const lang of ['zh', 'en', 'fr', 42, null]) {
        const r = await post('/api/v1/screen', { id: 7, text: 'Pay now or we will have you arrested.', lang });
        expect(r.status).toBe(200);
        expect(r.body.findings.map((f: Json) => f.category)).toContain('false_legal');
      }
    });

    it.each([
      [{ id: 1 }, 'text'],
      [{ text: 42 }, 'text'],
      [{ text: 'hi', audience: 'x' }, 'audience'],
    ])('refuses %j with 400 naming %s', async (body, field) => {
      const r = await post('/api/v1/screen', body);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ code: 'REQUEST.INVALID', details: [{ field }] });
    });
  });

  describe('POST /api/v1/wellbeing', () => {
    it('finds a crisis, said indirectly', async () => {
      const r = await post('/api/v1/wellbeing', { id: 'c1', text: '遗书都写好了' });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: 'c1', level: 'crisis' });
      expect(r.body.signals[0]).toMatchObject({ level: 'crisis', span: expect.any(String), start: expect.any(Number), end: expect.any(Number) });
    });

    it('answers none for an ordinary message', async () => {
      expect(await post('/api/v1/wellbeing', { id: 2, text: '我下周一还款，谢谢', lang: 'zh' })).toEqual({ status: 200, body: { id: 2, level: 'none', signals: [] } });
    });

    it('refuses a missing text naming it', async () => {
      const r = await post('/api/v1/wellbeing', { id: 3 });
      expect(r).toMatchObject({ status: 400, body: { code: 'REQUEST.INVALID', details: [{ field: 'text' }] } });
    });

    it('refuses a text over 20,000 characters naming it, on both screens', async () => {
      for (const url of ['/api/v1/wellbeing', '/api/v1/screen']) {
        const r = await post(url, { id: 4, text: '死'.repeat(20_001) });
        expect(r, url).toMatchObject({ status: 400, body: { code: 'REQUEST.INVALID', details: [{ field: 'text' }] } });
      }
    });
  });

  it('needs credentials, and the permission each route declares', async () => {
    for (const url of ['/api/v1/compliance/decide', '/api/v1/screen', '/api/v1/wellbeing']) {
      expect((await post(url, { text: 'hi' }, app, {})).body.code, url).toBe('AUTH.REQUIRED');
    }
    // QA screens texts but does not ask the gate; an auditor does neither.
    const qa = await bearerFor(t.deps, await createUser(t.deps, { roles: ['qa'] }));
    expect(await post('/api/v1/compliance/decide', sample, app, qa)).toMatchObject({ status: 403, body: { code: 'AUTH.FORBIDDEN' } });
    expect((await post('/api/v1/screen', { text: 'hi' }, app, qa)).status).toBe(200);
    const auditor = await bearerFor(t.deps, await createUser(t.deps, { roles: ['auditor'] }));
    expect((await post('/api/v1/wellbeing', { text: 'hi' }, app, auditor)).status).toBe(403);
  });

  it('documents the three routes in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json() as Json;
    for (const path of ['/api/v1/compliance/decide', '/api/v1/screen', '/api/v1/wellbeing']) {
      const op = doc.paths[path]?.post;
      expect(op, path).toBeDefined();
      expect(op.requestBody.content['application/json'].schema).toBeDefined();
      expect(op.responses['200']).toBeDefined();
    }
    const body = doc.paths['/api/v1/compliance/decide'].post.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(expect.arrayContaining(['at', 'channel', 'borrower']));
    expect(JSON.stringify(doc)).toContain('OUTSIDE_HOURS');
  });

  it('stores nothing: the pure decision leaves the database as it was', async () => {
    await post('/api/v1/compliance/decide', sample);
    const n = await t.db.query<{ n: number }>('SELECT (SELECT count(*) FROM contact_decisions) + (SELECT count(*) FROM contact_attempts) AS n');
    expect(Number(n.rows[0]!.n)).toBe(0);
    expect(PRESETS.cn.version).toMatch(/^cn@/);
  });
});
