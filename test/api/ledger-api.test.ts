// The ledger's HTTP API as a client sees it: buildApp(deps) driven with inject(), on PGlite always
// and on PostgreSQL when DATABASE_URL is set. Each test asserts status, error code, the field a
// 400 names, the money strings a client reads, and (by counting rows) that a refused request or
// a repeated one changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { runDaily } from '../../src/services/aging/daily-run.service.js';
import { addDays } from '../../src/domain/dates.js';
import { BACKENDS, openTestDb, type TestDb } from '../support/test-db.js';
import { borrower, installment, load, loan } from '../support/ledger-factory.js';
import { bearerFor, createUser, type Headers } from '../support/auth.js';

// GB 11643's own worked example, and the same number with a wrong check digit (it should be X).
const ID_OK = '11010519491231002X';
const ID_BAD_CHECK = '110105194912310021';

const TABLES = [
  'borrowers',
  'contacts',
  'loans',
  'installments',
  'payments',
  'payment_allocations',
  'loan_delinquency',
  'bucket_history',
  'cases',
  'daily_runs',
] as const;

/** Something that looks like a server-side stack trace or source location. */
const STACK = /\n\s+at \S|\.(?:ts|js|mjs|cjs):\d+:\d+|node_modules\//;

type Json = Record<string, any>;
type Body = Record<string, unknown>;

interface Api {
  send(opts: InjectOptions): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, payload: unknown): Promise<LightMyRequestResponse>;
}

/** Each app's requests carry an admin's API token (admins hold ledger.read, ledger.write and cases.read). */
const signedIn = new WeakMap<FastifyInstance, Headers>();
async function signInAsAdmin(app: FastifyInstance, t: TestDb): Promise<void> {
  signedIn.set(app, await bearerFor(t.deps, await createUser(t.deps, { roles: ['admin'] })));
}

function api(app: () => FastifyInstance): Api {
  const send = async (opts: InjectOptions) => {
    const res = await app().inject({ ...opts, headers: { ...signedIn.get(app()), ...opts.headers } });
    // Whatever went wrong, no response shows the server's insides.
    expect(res.body, `${opts.method ?? 'GET'} ${opts.url} answered with a stack trace`).not.toMatch(STACK);
    return res;
  };
  return {
    send,
    get: (url) => send({ method: 'GET', url }),
    post: (url, payload) => send({ method: 'POST', url, payload: payload as InjectOptions['payload'] }),
  };
}

async function rowCounts(t: TestDb): Promise<Record<string, number>> {
  const sql = TABLES.map((n) => `SELECT '${n}' AS t, count(*)::int AS n FROM ${n}`).join(' UNION ALL ');
  const r = await t.db.query<{ t: string; n: number }>(sql);
  return Object.fromEntries(r.rows.map((x) => [x.t, x.n]));
}

/** Asserts the error envelope and returns it. */
function expectError(res: LightMyRequestResponse, status: number, code?: string): Json {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json();
  expect(Object.keys(body).sort()).toEqual(['code', 'details', 'message', 'requestId']);
  expect(typeof body.message).toBe('string');
  expect(body.message.length).toBeGreaterThan(0);
  expect(body.requestId).toMatch(/^req_/);
  expect(Array.isArray(body.details)).toBe(true);
  if (code) expect(body.code).toBe(code);
  return body;
}

function fieldsOf(body: Json): string[] {
  return (body.details as { field: string }[]).map((d) => d.field);
}

function borrowerBody(id: string, over: Body = {}): Body {
  return { id, name: `借款人${id}`, phone: '+8613800000001', locale: 'zh-CN', ...over };
}

const inst = (seq: number, dueOn: string, over: Body = {}) => ({ seq, dueOn, principal: '1000', interest: '60', fee: '0', ...over });

function loanBody(id: string, borrowerId: string, dues: string[], over: Body = {}): Body {
  return {
    id,
    borrowerId,
    productId: 'default',
    principal: String(1000 * dues.length),
    annualRate: '0.18',
    disbursedOn: '2025-12-15',
    currency: 'CNY',
    installments: dues.map((d, k) => inst(k + 1, d)),
    ...over,
  };
}

const paymentBody = (id: string, loanId: string, paidAt: string, amount: string): Body => ({ id, loanId, paidAt, amount });

describe.each(BACKENDS)('ledger HTTP API on %s', (backend) => {
  describe('system routes and posting ledger data', () => {
    let t: TestDb;
    let app: FastifyInstance;
    const { get, post, send } = api(() => app);

    beforeAll(async () => {
      t = await openTestDb(backend);
      app = await buildApp(t.deps);
      await signInAsAdmin(app, t);
      // A borrower and a loan that the validation tables below refer to.
      expect((await post('/api/v1/borrowers', borrowerBody('B0'))).statusCode).toBe(201);
      expect((await post('/api/v1/loans', loanBody('L0', 'B0', ['2026-01-15', '2026-02-15']))).statusCode).toBe(201);
    });
    afterAll(async () => {
      await app?.close();
      await t?.close();
    });

    it('GET /api/health answers ok with the database kind', async () => {
      const res = await get('/api/health');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'ok', database: backend });
    });

    it('GET /api/docs/json is an OpenAPI 3.0 document listing the routes', async () => {
      const res = await get('/api/docs/json');
      expect(res.statusCode).toBe(200);
      const doc = res.json();
      expect(doc.openapi).toMatch(/^3\.0\./);
      expect(doc.info.title).toMatch(/Clement/);
      const paths = doc.paths as Record<string, Record<string, unknown>>;
      for (const [path, method] of [
        ['/api/health', 'get'],
        ['/api/v1/borrowers/{id}', 'get'],
        ['/api/v1/loans/{id}', 'get'],
        ['/api/v1/cases', 'get'],
        ['/api/v1/borrowers', 'post'],
        ['/api/v1/loans', 'post'],
        ['/api/v1/payments', 'post'],
      ] as const) {
        expect(paths[path], path).toBeDefined();
        expect(paths[path]![method], `${method} ${path}`).toBeDefined();
      }
      // The query parameters of the cases list are documented.
      const params = (paths['/api/v1/cases']!.get as { parameters: { name: string }[] }).parameters.map((p) => p.name);
      expect(params).toEqual(expect.arrayContaining(['status', 'bucket', 'limit', 'cursor']));
      // The UI page is there too.
      expect((await get('/api/docs')).statusCode).toBeLessThan(400);
    });

    it('GET / is an HTML page naming Clement and linking the API documentation, before any daily run', async () => {
      const res = await get('/');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.body).toContain('Clement');
      expect(res.body).toContain('href="/api/docs"');
    });

    describe('POST /api/v1/borrowers', () => {
      it('creates (201), then the same body again is 200 with the same answer and no new row', async () => {
        const body = borrowerBody('B1', { idNumber: ID_OK, email: 'b1@example.cn', address: '上海市, 浦东新区', timezone: 'Asia/Shanghai' });
        const first = await post('/api/v1/borrowers', body);
        expect(first.statusCode, first.body).toBe(201);
        // Personal fields are present (how much of them the API reveals is the privacy rules' business).
        const b = first.json();
        expect(b).toMatchObject({ id: 'B1', timezone: 'Asia/Shanghai', locale: 'zh-CN', loans: [] });
        for (const k of ['name', 'idNumber', 'phone', 'email', 'address']) expect(typeof b[k], k).toBe('string');
        const before = await rowCounts(t);
        const again = await post('/api/v1/borrowers', body);
        expect(again.statusCode).toBe(200);
        expect(again.json()).toEqual(first.json());
        expect(await rowCounts(t)).toEqual(before);
      });

      it('defaults the time zone to the lender\'s and keeps optional fields null', async () => {
        const res = await post('/api/v1/borrowers', borrowerBody('B2', { locale: 'en' }));
        expect(res.statusCode).toBe(201);
        expect(res.json()).toMatchObject({ id: 'B2', idNumber: null, email: null, address: null, timezone: 'Asia/Shanghai', locale: 'en' });
        expect(typeof res.json().phone).toBe('string');
      });

      it('accepts a lower-case x as the check character; the same number with X is the same value, not a conflict', async () => {
        const body = borrowerBody('B3', { idNumber: ID_OK.toLowerCase() });
        const res = await post('/api/v1/borrowers', body);
        expect(res.statusCode, res.body).toBe(201);
        expect((await post('/api/v1/borrowers', body)).statusCode).toBe(200);
        expect((await post('/api/v1/borrowers', { ...body, idNumber: ID_OK })).statusCode).toBe(200);
      });

      it.each([
        ['name', { name: '另一个名字' }],
        ['phone', { phone: '+8613800000002' }],
        ['idNumber', { idNumber: ID_OK }],
        ['locale', { locale: 'en' }],
      ])('409 LEDGER.CONFLICT naming %s when the id comes again with another value, changing nothing', async (field, over) => {
        const before = await rowCounts(t);
        const shown = (await get('/api/v1/borrowers/B0')).body;
        const res = await post('/api/v1/borrowers', borrowerBody('B0', over));
        const body = expectError(res, 409, 'LEDGER.CONFLICT');
        expect(fieldsOf(body)).toEqual([field]);
        expect(await rowCounts(t)).toEqual(before);
        expect((await get('/api/v1/borrowers/B0')).body).toBe(shown);
      });

      it.each([
        ['phone', 'a phone without +', { phone: '13800000000' }],
        ['phone', 'a phone with spaces', { phone: '+86 138 0000 0001' }],
        ['phone', 'a mainland mobile with too few digits', { phone: '+86138000000' }],
        ['phone', 'a phone as a JSON number', { phone: 8613800000001 }],
        ['idNumber', 'an ID number whose check digit is wrong', { idNumber: ID_BAD_CHECK }],
        ['idNumber', 'an ID number with a birth date that does not exist', { idNumber: '110105194902301234' }],
        ['locale', 'a locale other than zh-CN or en', { locale: 'fr' }],
        ['name', 'a missing name', { name: undefined }],
        ['email', 'an email without @', { email: 'not-an-email' }],
        ['timezone', 'an unknown time zone', { timezone: 'Mars/Olympus_Mons' }],
        ['id', 'an empty id', { id: '' }],
      ])('400 naming %s for %s, and no row changes', async (field, _what, over) => {
        const before = await rowCounts(t);
        const res = await post('/api/v1/borrowers', borrowerBody('BX', over));
        const body = expectError(res, 400);
        expect(fieldsOf(body)).toContain(field);
        expect(await rowCounts(t)).toEqual(before);
        expect((await get('/api/v1/borrowers/BX')).statusCode).toBe(404);
      });

      it('400 naming the unknown field of a strict body', async () => {
        const before = await rowCounts(t);
        const res = await post('/api/v1/borrowers', borrowerBody('BX', { nickname: '小张' }));
        const body = expectError(res, 400, 'REQUEST.INVALID');
        expect(await rowCounts(t)).toEqual(before);
        expect(fieldsOf(body)).toEqual(['nickname']);
      });

      it('an unknown field is refused with a 400 that at least mentions it', async () => {
        const res = await post('/api/v1/borrowers', borrowerBody('BX', { nickname: '小张' }));
        const body = expectError(res, 400, 'REQUEST.INVALID');
        expect(body.message).toContain('nickname');
        expect((await get('/api/v1/borrowers/BX')).statusCode).toBe(404);
      });

      it('a NUL character in a text field is a 400 naming the field, not a 500', async () => {
        const before = await rowCounts(t);
        const res = await post('/api/v1/borrowers', borrowerBody('BN', { name: 'a\u0000b' }));
        const body = expectError(res, 400);
        expect(fieldsOf(body)).toContain('name');
        expect(await rowCounts(t)).toEqual(before);
      });

      it('an id with surrounding spaces is either stored trimmed (201) or refused (400 and no row), never a 404', async () => {
        const before = await rowCounts(t);
        const res = await post('/api/v1/borrowers', borrowerBody(' BW1 '));
        if (res.statusCode === 201) {
          expect(res.json().id).toBe('BW1');
        } else {
          expectError(res, 400);
          expect(await rowCounts(t)).toEqual(before);
        }
      });
    });

    describe('POST /api/v1/loans', () => {
      it('creates a loan with its installments (201) showing money as two-decimal strings; the same body again is 200 and changes nothing', async () => {
        const body = loanBody('L1', 'B1', ['2026-01-15', '2026-02-15', '2026-03-15'], {
          principal: '3000',
          annualRate: '0.18',
          installments: [inst(1, '2026-01-15'), inst(2, '2026-02-15', { fee: '5.5' }), inst(3, '2026-03-15', { interest: '0.01' })],
        });
        const first = await post('/api/v1/loans', body);
        expect(first.statusCode, first.body).toBe(201);
        const l = first.json();
        expect(l).toMatchObject({ id: 'L1', borrowerId: 'B1', productId: 'default', principal: '3000.00', disbursedOn: '2025-12-15', currency: 'CNY' });
        expect(Number(l.annualRate)).toBe(0.18);
        expect(l.delinquency).toBeNull(); // no daily run yet: there is no business date
        expect(l.schedule).toEqual([
          { seq: 1, dueOn: '2026-01-15', principal: '1000.00', interest: '60.00', fee: '0.00', paidPrincipal: '0.00', paidInterest: '0.00', paidFee: '0.00' },
          { seq: 2, dueOn: '2026-02-15', principal: '1000.00', interest: '60.00', fee: '5.50', paidPrincipal: '0.00', paidInterest: '0.00', paidFee: '0.00' },
          { seq: 3, dueOn: '2026-03-15', principal: '1000.00', interest: '0.01', fee: '0.00', paidPrincipal: '0.00', paidInterest: '0.00', paidFee: '0.00' },
        ]);
        expect(l.payments).toEqual([]);

        const before = await rowCounts(t);
        const again = await post('/api/v1/loans', body);
        expect(again.statusCode).toBe(200);
        expect(again.json()).toEqual(l);
        expect(await rowCounts(t)).toEqual(before);

        // The borrower now lists the loan.
        const b = (await get('/api/v1/borrowers/B1')).json();
        expect(b.loans.map((x: Json) => x.id)).toEqual(['L1']);
        expect(b.loans[0].principal).toBe('3000.00');
      });

      it.each([
        ['principal', { principal: '3001' }],
        ['borrowerId', { borrowerId: 'B2' }],
        ['disbursedOn', { disbursedOn: '2025-12-16' }],
        ['annualRate', { annualRate: '0.24' }],
        ['currency', { currency: 'USD' }],
      ])('409 LEDGER.CONFLICT naming %s when the loan id comes again with another value', async (field, over) => {
        const before = await rowCounts(t);
        const res = await post('/api/v1/loans', loanBody('L0', 'B0', ['2026-01-15', '2026-02-15'], over));
        expect(fieldsOf(expectError(res, 409, 'LEDGER.CONFLICT'))).toEqual([field]);
        expect(await rowCounts(t)).toEqual(before);
      });

      it('409 naming the installment field when an installment comes again with another value', async () => {
        const before = await rowCounts(t);
        const body = loanBody('L0', 'B0', ['2026-01-15', '2026-02-15']);
        (body.installments as Body[])[1] = inst(2, '2026-02-15', { interest: '61' });
        const res = await post('/api/v1/loans', body);
        expect(fieldsOf(expectError(res, 409, 'LEDGER.CONFLICT'))).toEqual(['installments.1.interest']);
        expect(await rowCounts(t)).toEqual(before);
      });

      const bad = (over: Body) => loanBody('LX', 'B0', ['2026-01-15', '2026-02-15'], over);
      const badInst = (k: number, over: Body) => {
        const body = bad({});
        (body.installments as Body[])[k] = { ...(body.installments as Body[])[k], ...over };
        return body;
      };
      it.each([
        ['disbursedOn', 'a date that does not exist', bad({ disbursedOn: '2026-02-30' })],
        ['disbursedOn', 'a date in another form', bad({ disbursedOn: '15/12/2025' })],
        ['principal', 'a negative amount', bad({ principal: '-1' })],
        ['principal', 'three decimals', bad({ principal: '1.234' })],
        ['principal', 'letters', bad({ principal: 'abc' })],
        ['principal', 'a JSON number instead of a string', bad({ principal: 3000 })],
        ['principal', 'zero', bad({ principal: '0' })],
        ['annualRate', 'a percentage', bad({ annualRate: '18%' })],
        ['annualRate', 'a rate of 1800%', bad({ annualRate: '18' })],
        ['currency', 'a lower-case currency', bad({ currency: 'cny' })],
        ['borrowerId', 'an unknown borrower', bad({ borrowerId: 'NOBODY' })],
        ['installments', 'no installments', bad({ installments: [] })],
        ['installments.1.dueOn', 'an installment due on a date that does not exist', badInst(1, { dueOn: '2026-02-30' })],
        ['installments.1.principal', 'a negative installment amount', badInst(1, { principal: '-5' })],
        ['installments.0.interest', 'an installment amount with three decimals', badInst(0, { interest: '1.234' })],
        ['installments.0.fee', 'an installment amount as a JSON number', badInst(0, { fee: 0 })],
        ['installments.0.seq', 'a sequence number of 0', badInst(0, { seq: 0 })],
        ['installments.1.dueOn', 'the same seq twice with different values', badInst(1, { seq: 1, dueOn: '2026-01-16' })],
      ])('400 naming %s for %s; neither the loan nor any installment is stored', async (field, _what, body) => {
        const before = await rowCounts(t);
        const res = await post('/api/v1/loans', body);
        expect(fieldsOf(expectError(res, 400))).toContain(field);
        expect(await rowCounts(t)).toEqual(before);
        expectError(await get('/api/v1/loans/LX'), 404, 'LOAN.NOT_FOUND');
      });
    });

    describe('POST /api/v1/payments', () => {
      it('records a payment (201, the loan in the answer), then the same body again is 200 and changes nothing', async () => {
        const body = paymentBody('P1', 'L0', '2026-01-10T10:00:00+08:00', '100.5');
        const first = await post('/api/v1/payments', body);
        expect(first.statusCode, first.body).toBe(201);
        const l = first.json();
        expect(l.id).toBe('L0');
        expect(l.payments).toEqual([{ id: 'P1', paidAt: '2026-01-10T02:00:00.000Z', paidOn: '2026-01-10', amount: '100.50', counted: false }]);
        const before = await rowCounts(t);
        const again = await post('/api/v1/payments', body);
        expect(again.statusCode).toBe(200);
        expect(again.json()).toEqual(l);
        expect(await rowCounts(t)).toEqual(before);
        // The same instant written in another offset is the same payment.
        expect((await post('/api/v1/payments', { ...body, paidAt: '2026-01-10T02:00:00Z' })).statusCode).toBe(200);
        expect(await rowCounts(t)).toEqual(before);
      });

      it.each([
        ['amount', { amount: '100.51' }],
        ['paidAt', { paidAt: '2026-01-10T10:00:01+08:00' }],
        ['loanId', { loanId: 'L1' }],
      ])('409 LEDGER.CONFLICT naming %s when the payment id comes again with another value', async (field, over) => {
        const before = await rowCounts(t);
        const res = await post('/api/v1/payments', { ...paymentBody('P1', 'L0', '2026-01-10T10:00:00+08:00', '100.5'), ...over });
        expect(fieldsOf(expectError(res, 409, 'LEDGER.CONFLICT'))).toEqual([field]);
        expect(await rowCounts(t)).toEqual(before);
      });

      const bad = (over: Body) => ({ ...paymentBody('PX', 'L0', '2026-01-20T10:00:00+08:00', '10'), ...over });
      it.each([
        ['loanId', 'a payment for an unknown loan', bad({ loanId: 'NO-SUCH-LOAN' })],
        ['amount', 'a negative amount', bad({ amount: '-1' })],
        ['amount', 'three decimals', bad({ amount: '1.234' })],
        ['amount', 'letters', bad({ amount: 'abc' })],
        ['amount', 'a JSON number instead of a string', bad({ amount: 100 })],
        ['amount', 'zero', bad({ amount: '0' })],
        ['paidAt', 'an instant on a date that does not exist', bad({ paidAt: '2026-02-30T10:00:00+08:00' })],
        ['paidAt', 'an instant without an offset', bad({ paidAt: '2026-01-20T10:00:00' })],
        ['paidAt', 'a bare date', bad({ paidAt: '2026-01-20' })],
        ['id', 'a missing id', bad({ id: undefined })],
      ])('400 naming %s for %s, and no row changes', async (field, _what, body) => {
        const before = await rowCounts(t);
        const res = await post('/api/v1/payments', body);
        expect(fieldsOf(expectError(res, 400))).toContain(field);
        expect(await rowCounts(t)).toEqual(before);
      });
    });

    describe('reading and errors', () => {
      it('GET /api/v1/borrowers/:id shows the borrower; unknown ids are 404 BORROWER.NOT_FOUND / LOAN.NOT_FOUND with the error envelope', async () => {
        const b = await get('/api/v1/borrowers/B0');
        expect(b.statusCode).toBe(200);
        expect(b.json()).toMatchObject({ id: 'B0', locale: 'zh-CN', loans: [{ id: 'L0', borrowerId: 'B0', principal: '2000.00' }] });
        const nb = expectError(await get('/api/v1/borrowers/NOBODY'), 404, 'BORROWER.NOT_FOUND');
        expect(nb.details).toEqual([]);
        expectError(await get('/api/v1/loans/NO-SUCH-LOAN'), 404, 'LOAN.NOT_FOUND');
        // Ids are case-sensitive, as the lender's files give them.
        expectError(await get('/api/v1/borrowers/b0'), 404, 'BORROWER.NOT_FOUND');
      });

      it('each response carries its own request id', async () => {
        const a = expectError(await get('/api/v1/loans/NOPE'), 404);
        const b = expectError(await get('/api/v1/loans/NOPE'), 404);
        expect(a.requestId).not.toBe(b.requestId);
      });

      it.each<[string, InjectOptions, number]>([
        ['malformed JSON', { method: 'POST', url: '/api/v1/borrowers', payload: '{"id":', headers: { 'content-type': 'application/json' } }, 400],
        ['an empty JSON body', { method: 'POST', url: '/api/v1/loans', payload: '', headers: { 'content-type': 'application/json' } }, 400],
        ['a JSON array', { method: 'POST', url: '/api/v1/payments', payload: '[]', headers: { 'content-type': 'application/json' } }, 400],
        ['a JSON null', { method: 'POST', url: '/api/v1/payments', payload: 'null', headers: { 'content-type': 'application/json' } }, 400],
        ['plain text', { method: 'POST', url: '/api/v1/borrowers', payload: 'hello', headers: { 'content-type': 'text/plain' } }, 400],
        ['an unsupported media type', { method: 'POST', url: '/api/v1/borrowers', payload: '<x/>', headers: { 'content-type': 'application/xml' } }, 415],
        ['a body over the limit', { method: 'POST', url: '/api/v1/borrowers', payload: JSON.stringify({ id: 'B', name: 'x'.repeat(1_100_000) }), headers: { 'content-type': 'application/json' } }, 413],
        ['an id over 64 characters', { method: 'GET', url: `/api/v1/loans/${'L'.repeat(65)}` }, 400],
        ['an unknown route', { method: 'GET', url: '/api/v1/nothing-here' }, 404],
        ['a method the route does not have', { method: 'DELETE', url: '/api/v1/borrowers/B0' }, 404],
      ])('%s is a %i with the error envelope', async (_what, opts, status) => {
        const before = await rowCounts(t);
        expectError(await send(opts), status);
        expect(await rowCounts(t)).toEqual(before);
      });

      it('random bodies on the three POST routes are answered below 500, without a stack trace', async () => {
        const printable = fc.string({ unit: 'grapheme', maxLength: 30 });
        const value = fc.oneof(printable, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(printable, { maxLength: 2 }), fc.object({ maxDepth: 1 }));
        const targets: [string, Body][] = [
          ['/api/v1/borrowers', borrowerBody('BF', { idNumber: ID_OK, email: 'f@example.cn', timezone: 'Asia/Shanghai', address: '地址' })],
          ['/api/v1/loans', loanBody('LF', 'B0', ['2026-01-15', '2026-02-15'])],
          ['/api/v1/payments', paymentBody('PF', 'L0', '2026-01-20T10:00:00+08:00', '10')],
        ];
        for (const [url, valid] of targets) {
          await fc.assert(
            fc.asyncProperty(
              // Mutate a valid body: replace, drop or add a field, or send something else entirely.
              fc.oneof(
                fc.record({ key: fc.constantFrom(...Object.keys(valid)), v: value }).map(({ key, v }) => ({ ...valid, [key]: v })),
                fc.constantFrom(...Object.keys(valid)).map((key) => Object.fromEntries(Object.entries(valid).filter(([k]) => k !== key))),
                fc.record({ key: printable, v: value }).map(({ key, v }) => ({ ...valid, [key]: v })),
                fc.jsonValue({ maxDepth: 2 }),
              ),
              async (body) => {
                const res = await send({ method: 'POST', url, payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
                expect(res.statusCode, `${url} ${JSON.stringify(body)} → ${res.body}`).toBeLessThan(500);
                if (res.statusCode >= 400) expectError(res, res.statusCode);
              },
            ),
            { numRuns: 40, seed: 20260220 },
          );
        }
      });

      // PGlite runs one transaction at a time, so the race exists on PostgreSQL only.
      it('concurrent retries of the same POST all succeed: exactly one 201, the rest 200, one row', async () => {
        const burst = async (url: string, body: Body) => {
          const res = await Promise.all(Array.from({ length: 8 }, () => post(url, body)));
          return res.map((r) => r.statusCode);
        };
        const statuses = [
          ...(await burst('/api/v1/borrowers', borrowerBody('BC1'))),
          ...(await burst('/api/v1/loans', loanBody('LC1', 'B0', ['2026-01-15']))),
          ...(await burst('/api/v1/payments', paymentBody('PC1', 'L0', '2026-01-11T10:00:00+08:00', '1'))),
        ];
        const r = await t.db.query<{ n: number }>(
          `SELECT ((SELECT count(*) FROM borrowers WHERE external_id = 'BC1') + (SELECT count(*) FROM loans WHERE external_id = 'LC1')
                   + (SELECT count(*) FROM payments WHERE external_id = 'PC1'))::int AS n`,
        );
        expect(r.rows[0]!.n).toBe(3);
        expect(statuses.filter((s) => s === 201)).toHaveLength(3);
        expect(statuses.every((s) => s === 200 || s === 201), String(statuses)).toBe(true);
      });
    });
  });

  describe('delinquency as of the business date', () => {
    let t: TestDb;
    let app: FastifyInstance;
    const { get, post } = api(() => app);
    const casesOf = async (borrowerId: string) => {
      const items: Json[] = (await get('/api/v1/cases?limit=500')).json().items;
      return items.filter((c) => c.borrowerId === borrowerId);
    };

    beforeAll(async () => {
      t = await openTestDb(backend);
      app = await buildApp(t.deps);
      await signInAsAdmin(app, t);
      for (const id of ['A1', 'A2', 'A3', 'A4']) expect((await post('/api/v1/borrowers', borrowerBody(id))).statusCode).toBe(201);
      // A1: three installments of 1000 + 60 + a fee of 10.
      const l1 = loanBody('LA1', 'A1', [], {
        principal: '3000',
        installments: ['2026-01-15', '2026-02-15', '2026-03-15'].map((d, k) => inst(k + 1, d, { fee: '10' })),
      });
      expect((await post('/api/v1/loans', l1)).statusCode).toBe(201);
      // A2: one installment, 10 days overdue on the business date.
      expect((await post('/api/v1/loans', loanBody('LA2', 'A2', ['2026-02-10']))).statusCode).toBe(201);
      // A3: not yet due.
      expect((await post('/api/v1/loans', loanBody('LA3', 'A3', ['2026-03-15']))).statusCode).toBe(201);
      // A4: due on the business date itself, which is not overdue.
      expect((await post('/api/v1/loans', loanBody('LA4', 'A4', ['2026-02-20']))).statusCode).toBe(201);
      await runDaily(t.deps, '2026-02-20');
    });
    afterAll(async () => {
      await app?.close();
      await t?.close();
    });

    it('GET /api/v1/loans/:id shows dpd, bucket and the overdue split as of the business date', async () => {
      const l = (await get('/api/v1/loans/LA1')).json();
      expect(l.delinquency).toEqual({
        asOf: '2026-02-20',
        dpd: 36,
        bucket: 'M2',
        overdueSince: '2026-01-15',
        overduePrincipal: '2000.00',
        overdueInterest: '120.00',
        overdueFee: '20.00',
        totalOverdue: '2140.00',
        credit: '0.00',
        // The next installment falls due (2026-03-15) before dpd leaves M2 (61 days, 2026-03-17).
        nextChangeOn: '2026-03-16',
      });
      expect((await get('/api/v1/loans/LA2')).json().delinquency).toMatchObject({ dpd: 10, bucket: 'M1', totalOverdue: '1060.00' });
      expect((await get('/api/v1/loans/LA3')).json().delinquency).toMatchObject({ dpd: 0, bucket: 'M0', overdueSince: null, totalOverdue: '0.00' });
      expect((await get('/api/v1/loans/LA4')).json().delinquency).toMatchObject({ dpd: 0, bucket: 'M0', totalOverdue: '0.00' });
      // The borrower view shows the same summary.
      expect((await get('/api/v1/borrowers/A1')).json().loans[0].delinquency).toEqual(l.delinquency);
    });

    it('GET / shows the portfolio by bucket after the daily run', async () => {
      const res = await get('/');
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('Clement');
      expect(res.body).toContain('2026-02-20');
      const rows = [...res.body.matchAll(/<tr><td>([^<]+)<\/td><td>(\d+)<\/td><td>([\d.]+)<\/td><\/tr>/g)].map((m) => [m[1], m[2], m[3]]);
      expect(rows).toEqual([
        ['M0', '2', '0.00'],
        ['M1', '1', '1060.00'],
        ['M2', '1', '2140.00'],
      ]);
    });

    it('the daily run opened a case for each borrower with an overdue loan', async () => {
      expect(await casesOf('A1')).toMatchObject([{ status: 'open', bucket: 'M2', dpd: 36, totalOverdue: '2140.00', openedOn: '2026-02-20', closedOn: null }]);
      expect(await casesOf('A2')).toMatchObject([{ status: 'open', bucket: 'M1', dpd: 10, totalOverdue: '1060.00' }]);
      expect(await casesOf('A3')).toEqual([]);
      expect(await casesOf('A4')).toEqual([]);
    });

    it('a payment dated on or before the business date re-ages its loan at once: fee, interest, principal of the oldest installment first', async () => {
      // 1075 = all of installment 1 (1070) and 5 of installment 2's fee.
      const res = await post('/api/v1/payments', paymentBody('PA1', 'LA1', '2026-02-19T23:30:00+08:00', '1075'));
      expect(res.statusCode, res.body).toBe(201);
      const l = res.json();
      expect(l.schedule.map((s: Json) => [s.paidFee, s.paidInterest, s.paidPrincipal])).toEqual([
        ['10.00', '60.00', '1000.00'],
        ['5.00', '0.00', '0.00'],
        ['0.00', '0.00', '0.00'],
      ]);
      expect(l.payments).toEqual([{ id: 'PA1', paidAt: '2026-02-19T15:30:00.000Z', paidOn: '2026-02-19', amount: '1075.00', counted: true }]);
      expect(l.delinquency).toMatchObject({
        asOf: '2026-02-20',
        dpd: 5,
        bucket: 'M1',
        overdueSince: '2026-02-15',
        overduePrincipal: '1000.00',
        overdueInterest: '60.00',
        overdueFee: '5.00',
        totalOverdue: '1065.00',
      });
      // A GET agrees, and the case follows at once.
      expect((await get('/api/v1/loans/LA1')).json().delinquency).toEqual(l.delinquency);
      expect(await casesOf('A1')).toMatchObject([{ status: 'open', bucket: 'M1', dpd: 5, totalOverdue: '1065.00' }]);
    });

    it('a payment dated after the business date (in the lender\'s time zone) waits for the daily run of its date', async () => {
      // 16:30 UTC on the 20th is 00:30 on the 21st in Shanghai: after the business date.
      const res = await post('/api/v1/payments', paymentBody('PA2', 'LA1', '2026-02-20T16:30:00Z', '1065'));
      expect(res.statusCode, res.body).toBe(201);
      const l = res.json();
      expect(l.payments.find((p: Json) => p.id === 'PA2')).toEqual({ id: 'PA2', paidAt: '2026-02-20T16:30:00.000Z', paidOn: '2026-02-21', amount: '1065.00', counted: false });
      expect(l.delinquency).toMatchObject({ asOf: '2026-02-20', dpd: 5, bucket: 'M1', totalOverdue: '1065.00' });
      expect(l.schedule[1]).toMatchObject({ paidFee: '5.00', paidInterest: '0.00', paidPrincipal: '0.00' });
      expect(await casesOf('A1')).toMatchObject([{ status: 'open', bucket: 'M1', totalOverdue: '1065.00' }]);
    });

    it('a payment of everything overdue dated on the business date closes the case in the same request', async () => {
      const res = await post('/api/v1/payments', paymentBody('PA3', 'LA2', '2026-02-20T23:59:59+08:00', '1060'));
      expect(res.statusCode).toBe(201);
      expect(res.json().delinquency).toMatchObject({ dpd: 0, bucket: 'M0', totalOverdue: '0.00' });
      expect(await casesOf('A2')).toMatchObject([{ status: 'closed', closedOn: '2026-02-20', totalOverdue: '1060.00' }]);
    });

    it('money paid beyond the schedule is kept as credit, never dropped', async () => {
      const res = await post('/api/v1/payments', paymentBody('PA4', 'LA3', '2026-02-18T10:00:00+08:00', '2000'));
      expect(res.statusCode).toBe(201);
      const l = res.json();
      expect(l.delinquency).toMatchObject({ dpd: 0, bucket: 'M0', credit: '940.00', totalOverdue: '0.00' });
      expect(l.schedule[0]).toMatchObject({ paidFee: '0.00', paidInterest: '60.00', paidPrincipal: '1000.00' });
    });

    it('the daily run of the later payment\'s date counts it and closes the case', async () => {
      await runDaily(t.deps, '2026-02-21');
      const l = (await get('/api/v1/loans/LA1')).json();
      expect(l.payments.map((p: Json) => p.counted)).toEqual([true, true]);
      expect(l.delinquency).toMatchObject({ asOf: '2026-02-21', dpd: 0, bucket: 'M0', overdueSince: null, totalOverdue: '0.00' });
      expect(l.schedule[1]).toMatchObject({ paidFee: '10.00', paidInterest: '60.00', paidPrincipal: '1000.00' });
      expect(await casesOf('A1')).toMatchObject([{ status: 'closed', closedOn: '2026-02-21' }]);
      // LA4 fell due on the 20th and is now a day overdue: a new case.
      expect((await get('/api/v1/loans/LA4')).json().delinquency).toMatchObject({ dpd: 1, bucket: 'M1', totalOverdue: '1060.00' });
      expect(await casesOf('A4')).toMatchObject([{ status: 'open', bucket: 'M1', dpd: 1, openedOn: '2026-02-21' }]);
    });

    it('a skipped stretch of days ages by the calendar: dpd grows and the bucket moves without payments', async () => {
      await runDaily(t.deps, '2026-03-25');
      // LA4: due 2026-02-20 → 33 days; A1's installment 3 (due 2026-03-15) is now 10 days overdue.
      expect((await get('/api/v1/loans/LA4')).json().delinquency).toMatchObject({ dpd: 33, bucket: 'M2' });
      expect((await get('/api/v1/loans/LA1')).json().delinquency).toMatchObject({ dpd: 10, bucket: 'M1', overdueSince: '2026-03-15', totalOverdue: '1070.00' });
      expect(await casesOf('A4')).toMatchObject([{ status: 'open', bucket: 'M2', dpd: 33 }]);
      // A1's closed case stays closed and a new one opens.
      expect((await casesOf('A1')).map((c) => [c.status, c.bucket])).toEqual([
        ['closed', 'M1'],
        ['open', 'M1'],
      ]);
    });
  });

  describe('GET /api/v1/cases', () => {
    let t: TestDb;
    let app: FastifyInstance;
    const { get } = api(() => app);
    const AS_OF = '2026-06-30';
    // dpd of each borrower's only loan on AS_OF, and the bucket it falls in; ≤ 0 opens no case.
    const PORTFOLIO: [number, string][] = [
      [1, 'M1'], [30, 'M1'], [31, 'M2'], [45, 'M2'], [60, 'M2'], [61, 'M3'], [90, 'M3'],
      [91, 'M4'], [121, 'M5'], [151, 'M6'], [180, 'M6'], [181, 'M6+'], [400, 'M6+'], [0, 'M0'], [-10, 'M0'],
    ];
    const overdue = PORTFOLIO.filter(([dpd]) => dpd > 0);

    beforeAll(async () => {
      t = await openTestDb(backend);
      app = await buildApp(t.deps);
      await signInAsAdmin(app, t);
      await load(t.deps, 'borrowers', PORTFOLIO.map((_, k) => borrower(k + 1)));
      await load(t.deps, 'loans', PORTFOLIO.map((_, k) => loan(k + 1, k + 1, { disbursed_on: '2024-01-01', principal: '1000' })));
      await load(t.deps, 'installments', PORTFOLIO.map(([dpd], k) => installment(k + 1, 1, addDays(AS_OF, -dpd))));
      await runDaily(t.deps, AS_OF);
    });
    afterAll(async () => {
      await app?.close();
      await t?.close();
    });

    const walk = async (query: string, limit: number) => {
      const seen: Json[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await get(`/api/v1/cases?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(res.statusCode, res.body).toBe(200);
        const page = res.json();
        expect(page.items.length).toBeLessThanOrEqual(limit);
        seen.push(...page.items);
        cursor = page.nextCursor;
        pages++;
        expect(pages).toBeLessThan(50);
      } while (cursor !== null);
      return { seen, pages };
    };

    it('items carry id, borrowerId, status, bucket, dpd and totalOverdue as the contract says', async () => {
      const page = (await get('/api/v1/cases?limit=500')).json();
      expect(page.nextCursor).toBeNull();
      expect(page.items).toHaveLength(overdue.length);
      const byBorrower = new Map(page.items.map((c: Json) => [c.borrowerId, c]));
      overdue.forEach(([dpd, bucket]) => {
        const k = PORTFOLIO.findIndex(([d]) => d === dpd) + 1;
        expect(byBorrower.get(`B${k}`), `B${k}`).toMatchObject({ status: 'open', bucket, dpd, totalOverdue: '1060.00', openedOn: AS_OF, closedOn: null });
      });
      for (const c of page.items) {
        expect(typeof c.id === 'number' || typeof c.id === 'string').toBe(true);
        expect(c.totalOverdue).toMatch(/^\d+\.\d{2}$/);
      }
    });

    it('every borrowerId is one that GET /api/v1/borrowers/:id accepts', async () => {
      const page = (await get('/api/v1/cases?limit=500')).json();
      for (const c of page.items) {
        const b = await get(`/api/v1/borrowers/${encodeURIComponent(c.borrowerId)}`);
        expect(b.statusCode).toBe(200);
        expect(b.json().loans[0].delinquency).toMatchObject({ bucket: c.bucket, dpd: c.dpd });
      }
    });

    it.each([1, 4, 5, 13, 50])('pages of %i walk every case exactly once and end with nextCursor null', async (limit) => {
      const { seen, pages } = await walk('', limit);
      expect(seen).toHaveLength(overdue.length);
      expect(new Set(seen.map((c) => c.id)).size).toBe(overdue.length);
      expect(pages).toBe(Math.max(1, Math.ceil(overdue.length / limit)));
    });

    it('filters by bucket and status, and pages through a filtered list', async () => {
      for (const bucket of ['M1', 'M2', 'M3', 'M6', 'M6+']) {
        const { seen } = await walk(`&status=open&bucket=${encodeURIComponent(bucket)}`, 2);
        expect(seen.map((c) => c.bucket), bucket).toEqual(overdue.filter(([, b]) => b === bucket).map(() => bucket));
      }
      expect((await get('/api/v1/cases?bucket=M0')).json()).toEqual({ items: [], nextCursor: null });
      expect((await get('/api/v1/cases?status=closed')).json()).toEqual({ items: [], nextCursor: null });
      expect((await get('/api/v1/cases?bucket=NOPE')).json()).toEqual({ items: [], nextCursor: null });
    });

    it('a case closes when the borrower pays everything overdue and the next daily run runs', async () => {
      // A payment dated after the business date: nothing changes until the run of its date.
      await load(t.deps, 'payments', [{ payment_id: 'PX1', loan_id: 'L1', paid_at: '2026-07-01T09:00:00+08:00', amount: '1060' }]);
      expect((await get('/api/v1/cases?status=closed')).json().items).toEqual([]);
      await runDaily(t.deps, '2026-07-01');
      const closed = (await get('/api/v1/cases?status=closed')).json().items;
      expect(closed).toMatchObject([{ borrowerId: 'B1', status: 'closed', closedOn: '2026-07-01' }]);
      const open = await walk('&status=open', 3);
      expect(open.seen.map((c) => c.borrowerId)).not.toContain('B1');
      // The loan due on the old business date is now overdue: its borrower has a case.
      expect(open.seen.length).toBe(overdue.length - 1 + 1);
      expect((await walk('', 4)).seen).toHaveLength(overdue.length + 1);
    });

    it.each([
      ['cursor', 'cursor=not-a-cursor!'],
      ['cursor', `cursor=${Buffer.from('-1').toString('base64url')}`],
      ['cursor', `cursor=${Buffer.from('abc').toString('base64url')}`],
      ['limit', 'limit=0'],
      ['limit', 'limit=501'],
      ['limit', 'limit=abc'],
      ['limit', 'limit=2.5'],
      ['status', 'status=pending'],
      ['status', 'status=open&status=closed'],
    ])('400 naming %s for ?%s', async (field, query) => {
      const body = expectError(await get(`/api/v1/cases?${query}`), 400);
      expect(fieldsOf(body)).toContain(field);
    });

    it('400 naming an unknown query key', async () => {
      const body = expectError(await get('/api/v1/cases?colour=red'), 400, 'REQUEST.INVALID');
      expect(fieldsOf(body)).toEqual(['colour']);
    });

    it('an unknown query key is refused with a 400 that mentions it', async () => {
      const body = expectError(await get('/api/v1/cases?colour=red'), 400, 'REQUEST.INVALID');
      expect(body.message).toContain('colour');
    });
  });
});
