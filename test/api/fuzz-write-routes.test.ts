// Malformed input thrown at every write route (issue 4, "must show"): whatever arrives — a random
// JSON value, a valid body with one field broken, a body that is not JSON at all, another content
// type, a path parameter with `%`, NUL or 100 000 characters — the answer is a 4xx with the error
// envelope {code, message, requestId, details}, never a 5xx, never a stack trace, and no row of
// the database changes.
//
// The routes come from `app.routeCatalog` (every POST, PUT, PATCH and DELETE the app registers),
// so a new write route is fuzzed without touching this file: it gets random bodies, bodies built
// from the field names its OpenAPI schema declares, fuzzed path parameters, and the CSRF check.
// The routes known today also get a valid example body mutated one field at a time.
//
// Each property runs per route with fc.check, and the failures are collected, so one broken
// route does not hide another; every failure names the route, the request and the answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { ZodType } from 'zod';
import { buildApp } from '../../src/api/app.js';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE, type RouteEntry } from '../../src/api/plugins/auth.js';
import { contactRequestSchema } from '../../src/services/compliance/contact-request.schema.js';
import { textItemSchema } from '../../src/services/compliance/check.service.js';
import { COMPLIANCE_SAMPLE } from '../../src/domain/compliance/request.fixture.js';
import { PERMISSIONS } from '../../src/domain/access/permissions.js';
import { BACKENDS, openTestDb, type TestDb } from '../support/test-db.js';
import { borrower, installment, load, loan } from '../support/ledger-factory.js';
import { bearerFor, createUser, sessionHeaders, type Headers, type TestUser } from '../support/auth.js';

const SEED = 20260404;
/** Random requests per backend, shared out over the write routes (the mutated examples come on top). */
const RANDOM_REQUESTS = 150;
/** Mutations of each known route's valid example. */
const MUTATIONS_PER_ROUTE = 40;
/** Fuzzed path parameters per route with parameters, for each of the two URL forms (encoded, raw). */
const PARAMS_PER_ROUTE = 20;
/** Requests per write route with a session cookie and no valid CSRF token. */
const CSRF_PER_ROUTE = 5;

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Write routes that exist today; the catalog must hold at least these (it may hold more). */
const KNOWN_WRITE_ROUTES = [
  'POST /api/v1/borrowers',
  'POST /api/v1/loans',
  'POST /api/v1/payments',
  'POST /api/v1/borrowers/:id/reveal',
  'POST /api/v1/compliance/decide',
  'POST /api/v1/screen',
  'POST /api/v1/wellbeing',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/logout',
  'POST /api/v1/auth/tokens',
  'DELETE /api/v1/auth/tokens/:name',
];

/** A server-side stack trace or source location. */
const STACK = /at .*\.ts:\d+|\n\s+at \S|\.(?:ts|js|mjs|cjs):\d+:\d+|node_modules\//;

// ------------------------------------------------------------------ what changes, and what may

/**
 * Tables and columns a refused request may legitimately change, left out of the row snapshot:
 * - audit_events: every API request is recorded, refused ones included ("one event per request").
 * - sessions.last_seen_at: every request carrying a session cookie slides its idle timeout, even
 *   one refused afterwards for a missing CSRF token.
 * - api_tokens.last_used_at: every bearer request stamps its token (at most once a minute).
 * - users.failed_logins, users.locked_until: a well-formed login with a wrong password (say, one
 *   with a NUL in it) is a legitimate 401 that must count towards the lockout.
 */
const SKIPPED_TABLES = new Set(['audit_events']);
const VOLATILE_COLUMNS: Record<string, readonly string[]> = {
  sessions: ['last_seen_at'],
  api_tokens: ['last_used_at'],
  users: ['failed_logins', 'locked_until'],
};
/**
 * An idempotent write (Idempotency-Key) that passes the schema but is refused by the service keeps
 * its 4xx answer so that a retry gets the same answer: that row is the refusal, not a change. Any
 * other row (a success, or a claim never settled) counts.
 */
const ROW_FILTER: Record<string, string> = {
  idempotency_keys: 'WHERE status IS NULL OR status NOT BETWEEN 400 AND 499',
};
/** The tables the issue names; the snapshot covers every table of the schema, these included. */
const KEY_TABLES = [
  'borrowers', 'loans', 'installments', 'payments', 'payment_allocations', 'cases', 'contact_attempts',
  'contact_decisions', 'users', 'api_tokens', 'sessions', 'idempotency_keys',
];

type Snapshot = Record<string, { rows: number; md5: string }>;

/** The SELECT of each table's snapshot, built once per database (the schema does not change during a run). */
const snapshotQueries = new WeakMap<TestDb, [string, string][]>();

async function snapshot(t: TestDb): Promise<Snapshot> {
  if (!snapshotQueries.has(t)) snapshotQueries.set(t, await snapshotSql(t));
  const out: Snapshot = {};
  for (const [table, sql] of snapshotQueries.get(t)!) out[table] = (await t.db.query<{ rows: number; md5: string }>(sql)).rows[0]!;
  return out;
}

async function snapshotSql(t: TestDb): Promise<[string, string][]> {
  const tables = (
    await t.db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    )
  ).rows.map((r) => r.table_name);
  const out: [string, string][] = [];
  for (const table of tables) {
    if (SKIPPED_TABLES.has(table)) continue;
    const columns = (
      await t.db.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
        [table],
      )
    ).rows
      .map((r) => r.column_name)
      .filter((c) => !(VOLATILE_COLUMNS[table] ?? []).includes(c));
    const row = `ROW(${columns.map((c) => `"${c}"`).join(', ')})::text`;
    out.push([
      table,
      `SELECT count(*)::int AS rows, coalesce(md5(string_agg(r, E'\\n' ORDER BY r)), '') AS md5
       FROM (SELECT ${row} AS r FROM "${table}" ${ROW_FILTER[table] ?? ''}) s`,
    ]);
  }
  return out;
}

// ------------------------------------------------------------------ malformed values

const CONTROL = [...'\u0001\u0002\u0007\u0008\u000b\u000c\u000e\u001b\u001f\u007f'];
const short = fc.string({ maxLength: 8 });
/** A string with a NUL somewhere: PostgreSQL cannot store it. */
const withNul = fc.tuple(short, short).map(([a, b]) => `${a}\u0000${b}`);
/** A string with a control character inside it (trimming cannot remove it), which no field of the ledger accepts. */
const withControl = fc.tuple(short, fc.constantFrom(...CONTROL), short).map(([a, c, b]) => `${a}x${c}x${b}`);
/** Longer than `max` characters: plain, unicode (astral), or far beyond (up to 300 000). */
const longer = (max: number) =>
  fc.oneof(
    fc.integer({ min: max + 1, max: max + 50 }).map((n) => 'x'.repeat(n)),
    fc.integer({ min: max + 1, max: max + 50 }).map((n) => '中'.repeat(n)),
    fc.integer({ min: 1000, max: 300_000 }).map((n) => `${'𝔁'.repeat(Math.max(max + 1, n / 2))}`),
  );
/** Arrays and objects nested far deeper than any body has a use for. */
const deeplyNested = fc.integer({ min: 50, max: 3000 }).chain((depth) =>
  fc.constantFrom<(d: number) => unknown>(
    (d) => Array.from({ length: d }).reduce<unknown>((inner) => [inner], 'deep'),
    (d) => Array.from({ length: d }).reduce<unknown>((inner) => ({ a: inner }), 1),
  ).map((make) => make(depth)),
);
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
/** Any JSON value but a string (null excluded: it is valid for the nullable fields). */
const notAString = fc.oneof(
  fc.integer(),
  finite,
  fc.boolean(),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  deeplyNested,
);
const notAStringOrNull = fc.oneof(notAString, fc.constant(null));
/** Unknown keys, including the ones a prototype-pollution attempt uses. */
const unknownKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'isAdmin', 'ID', ''), fc.string({ maxLength: 12 }));

/** A required text field of the ledger (`max` characters after trimming). */
const badLedgerText = (max: number) =>
  fc.oneof(notAStringOrNull, fc.constantFrom('', '   '), longer(max), withNul, withControl);
/** An optional ledger field: null and absence are fine, anything else malformed is not. */
const badOptionalLedgerText = (max: number, semantic: readonly string[]) =>
  semantic.length > 0 ? fc.oneof(notAString, longer(max), withNul, withControl, fc.constantFrom(...semantic)) : fc.oneof(notAString, longer(max), withNul, withControl);
/** Money: a string of yuan with at most two decimals; a number is the classic mistake. */
const badMoney = fc.oneof(
  fc.oneof(fc.integer({ min: 1, max: 1e6 }), finite),
  fc.constantFrom('', '-1', '-0.01', '1.234', '1,060.00', '¥100', '100 元', '1e3', 'NaN', 'Infinity', '0x10', '99999999999999.99', '100.0.0', '.5', '１００'),
  withNul,
  fc.constant(null),
);
const badDate = fc.oneof(
  fc.constantFrom('2026-02-30', '2026-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '0000-00-00', '2026/01/15', '20260115', '15-01-2026', '2026-1-5', '2026-01-15T00:00:00Z', ''),
  fc.integer(),
  withNul,
  fc.constant(null),
);
const badInstant = fc.oneof(
  fc.constantFrom(
    '2026-02-30T10:00:00+08:00',
    '2026-01-20T10:00:00',
    '2026-01-20',
    '2026-01-20T25:00:00Z',
    '2026-01-20T10:61:00Z',
    '2026-01-20T10:00:00+25:00',
    'yesterday',
    'now',
    '',
    `2026-01-20T10:00:00.${'0'.repeat(40)}Z`,
  ),
  fc.integer({ min: 0, max: 2e12 }),
  withNul,
  fc.constant(null),
);

// ------------------------------------------------------------------ valid examples, mutated

type Path = readonly (string | number)[];
interface Mutation {
  path: Path;
  bad: fc.Arbitrary<unknown>;
}
interface Example {
  /** Path parameters for a request that would otherwise succeed (or find nothing, for DELETE). */
  params?: Record<string, string>;
  /** A body the route accepts as it stands; each mutation breaks one field of it. */
  body: Record<string, unknown>;
  /** Fields whose absence alone makes the body invalid. */
  required: readonly string[];
  mutations: readonly Mutation[];
}

function setAt(value: unknown, path: Path, v: unknown): unknown {
  if (path.length === 0) return v;
  const [head, ...rest] = path;
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  // defineProperty, so that a key such as __proto__ becomes an ordinary own key of the body.
  Object.defineProperty(copy, head!, { value: setAt(copy[head!], rest, v), enumerable: true, writable: true, configurable: true });
  return copy;
}

const ID_OK = '11010519491231002X';
const field = (path: string | Path, bad: fc.Arbitrary<unknown>): Mutation => ({ path: typeof path === 'string' ? [path] : path, bad });

/** Built per app, because some examples name users and tokens created in beforeAll. */
function examples(ctx: { loginUser: TestUser; tokenName: string }): Record<string, Example> {
  const inst = (seq: number, dueOn: string) => ({ seq, dueOn, principal: '1000.00', interest: '60.00', fee: '0.00' });
  return {
    'POST /api/v1/borrowers': {
      body: { id: 'B-FUZZ', name: '张三', idNumber: ID_OK, phone: '+8613800000099', email: 'z@example.cn', timezone: 'Asia/Shanghai', locale: 'zh-CN', address: '北京市海淀区' },
      required: ['id', 'name', 'phone', 'locale'],
      mutations: [
        field('id', badLedgerText(64)),
        field('name', badLedgerText(100)),
        field('idNumber', badOptionalLedgerText(18, ['110105194912310021', '12345', 'ABCDEFGHIJKLMNOPQR'])),
        field('phone', fc.oneof(badLedgerText(20), fc.constantFrom('not a phone', '12345', '+86-138', '+0000000000'))),
        field('email', badOptionalLedgerText(254, ['not-an-email', 'a@b', '@example.cn', 'a b@example.cn'])),
        field('timezone', badOptionalLedgerText(64, ['Mars/Olympus_Mons', 'UTC+8', 'Asia/Shang hai'])),
        field('locale', fc.oneof(notAStringOrNull, fc.constantFrom('', 'fr', 'zh', 'ZH-cn', 'zh_CN', 'en-US'), withNul)),
        field('address', badOptionalLedgerText(500, [])),
      ],
    },
    'POST /api/v1/loans': {
      body: {
        id: 'L-FUZZ',
        borrowerId: 'B1',
        productId: 'default',
        principal: '2000.00',
        annualRate: '0.18',
        disbursedOn: '2025-12-15',
        currency: 'CNY',
        installments: [inst(1, '2026-01-15'), inst(2, '2026-02-15')],
      },
      required: ['id', 'borrowerId', 'productId', 'principal', 'annualRate', 'disbursedOn', 'currency', 'installments'],
      mutations: [
        field('id', badLedgerText(64)),
        field('borrowerId', fc.oneof(badLedgerText(64), fc.constantFrom('NO-SUCH-BORROWER', 'b1'))),
        // An unknown product id is not an error: the loan is aged by the default product.
        field('productId', badLedgerText(64)),
        field('principal', fc.oneof(badMoney, fc.constantFrom('0', '0.00'))),
        field('annualRate', fc.oneof(notAStringOrNull, fc.constantFrom('', '18%', '10', '-0.1', '0.123456789', '1e-1', '.18', '0,18'), fc.double({ min: 0, max: 1, noNaN: true }), withNul)),
        field('disbursedOn', badDate),
        field('currency', fc.oneof(notAStringOrNull, fc.constantFrom('', 'cny', 'CN', 'CNYY', '元', 'C N'), withNul)),
        field('installments', fc.oneof(notAStringOrNull.filter((v) => !Array.isArray(v)), fc.constantFrom([], [null], [{}], ['x']), fc.integer({ min: 601, max: 700 }).map((n) => Array.from({ length: n }, (_, k) => inst(k + 1, '2026-01-15'))))),
        field(['installments', 0, 'seq'], fc.oneof(fc.constantFrom(0, -1, 1.5, '1', 10_000, null, 1e300), fc.string({ maxLength: 4 }))),
        field(['installments', 1, 'dueOn'], badDate),
        field(['installments', 0, 'principal'], badMoney),
        field(['installments', 1, 'interest'], badMoney),
        field(['installments', 0, 'fee'], badMoney),
        field(['installments', 0, 'extra'], fc.jsonValue({ maxDepth: 1 })),
      ],
    },
    'POST /api/v1/payments': {
      body: { id: 'P-FUZZ', loanId: 'L1', paidAt: '2026-01-20T10:00:00+08:00', amount: '100.00' },
      required: ['id', 'loanId', 'paidAt', 'amount'],
      mutations: [
        field('id', badLedgerText(64)),
        field('loanId', fc.oneof(badLedgerText(64), fc.constantFrom('NO-SUCH-LOAN', 'l1'))),
        field('paidAt', fc.oneof(badInstant, longer(40))),
        field('amount', fc.oneof(badMoney, fc.constantFrom('0', '0.00'))),
      ],
    },
    'POST /api/v1/borrowers/:id/reveal': {
      params: { id: 'B1' },
      body: { field: 'phone', reason: 'confirming the number during a call' },
      required: ['field', 'reason'],
      mutations: [
        field('field', fc.oneof(notAStringOrNull, fc.constantFrom('', 'PHONE', 'name', 'id_number', 'password', '__proto__', 'phone '), withNul)),
        // No NUL here: the audit trail stores one as U+FFFD, so a reason with a NUL is accepted (and recorded).
        field('reason', fc.oneof(notAStringOrNull, fc.constantFrom('', 'why', '    ', ' abc ', '\t\t\t\t\tx'), longer(500))),
      ],
    },
    'POST /api/v1/auth/login': {
      body: { username: ctx.loginUser.username, password: ctx.loginUser.password },
      required: ['username', 'password'],
      mutations: [
        field('username', fc.oneof(notAStringOrNull, fc.constant(''), longer(64), withNul, withControl)),
        field('password', fc.oneof(notAStringOrNull, fc.constant(''), longer(1024), withNul)),
      ],
    },
    'POST /api/v1/auth/tokens': {
      body: { username: ctx.loginUser.username, name: 'fuzz-new-token', scopes: ['ledger.read'] },
      required: ['username', 'name', 'scopes'],
      mutations: [
        field('username', fc.oneof(notAStringOrNull, fc.constantFrom('', 'nobody-at-all'), longer(64), withNul, withControl)),
        field('name', fc.oneof(notAStringOrNull, fc.constantFrom('', 'has space', 'naïve', 'a/b', '../x', ctx.tokenName), longer(64), withNul, withControl)),
        field(
          'scopes',
          fc.oneof(
            notAStringOrNull.filter((v) => !Array.isArray(v)),
            fc.constantFrom([], ['nope'], [1], [null], ['ledger.read', 'nope'], 'ledger.read', ['users.manage'], ['LEDGER.READ']),
            fc.constant(Array.from({ length: PERMISSIONS.length + 1 }, () => 'ledger.read')),
          ),
        ),
      ],
    },
    'POST /api/v1/compliance/decide': {
      body: { ...COMPLIANCE_SAMPLE },
      required: ['at', 'channel', 'borrower'],
      mutations: [
        field('at', badInstant),
        field('channel', fc.oneof(notAStringOrNull, fc.constantFrom('', 'fax', 'CALL', 'pigeon'), withNul)),
        field('policy', fc.oneof(notAStringOrNull, fc.constantFrom('', 'fr', 'CN', 'cn-strict'))),
        field('party', fc.oneof(notAStringOrNull, fc.constantFrom('stranger', ''))),
        field('purpose', fc.oneof(notAStringOrNull, fc.constantFrom('threat', ''))),
        field('number', fc.oneof(notAString, fc.constant(''))),
        field('direction', fc.oneof(notAStringOrNull, fc.constantFrom('sideways', ''))),
        field('borrower', fc.oneof(notAStringOrNull, fc.constantFrom({}, { timezone: 'Mars/Base' }, { timezone: 'Asia/Shanghai', flags: ['nope'] }, { timezone: 'Asia/Shanghai', preferredHours: { from: '22:00', to: '08:00' } }))),
        field(['borrower', 'timezone'], fc.oneof(notAStringOrNull, fc.constantFrom('', 'UTC+8', 'Asia/Nowhere'), withNul)),
        field(['borrower', 'preferredHours'], fc.constantFrom({ from: '25:00', to: '26:00' }, { from: '9:00', to: '10:00' }, 'morning', 7)),
        field('contact', fc.oneof(fc.constantFrom('x', 1, {}, { relation: '' }, { relation: 'friend', timezone: 'Nowhere/X' }), deeplyNested)),
        field('history', fc.oneof(notAStringOrNull.filter((v) => !Array.isArray(v)), fc.constantFrom([null], [{}], ['x']))),
        field(['history', 0, 'at'], badInstant),
        field(['history', 0, 'outcome'], fc.oneof(notAStringOrNull, fc.constantFrom('', 'exploded'))),
        field('content', fc.oneof(notAString)),
      ],
    },
    'POST /api/v1/screen': {
      body: { id: 'S1', text: '请于本月底前还款', lang: 'zh' },
      required: ['text'],
      // `lang` takes anything (anything but zh or en means detect), so there is nothing to break.
      mutations: [field('text', notAStringOrNull), field('id', fc.oneof(fc.boolean(), fc.array(fc.integer(), { maxLength: 2 }), fc.constant({}), deeplyNested))],
    },
    'POST /api/v1/wellbeing': {
      body: { id: 7, text: '我最近压力很大', lang: 'zh' },
      required: ['text'],
      mutations: [field('text', notAStringOrNull), field('id', fc.oneof(fc.boolean(), fc.array(fc.integer(), { maxLength: 2 }), fc.constant({}), deeplyNested))],
    },
  };
}

/**
 * Malformed requests this fuzz has found answered wrongly, replayed on every run before the random
 * ones (fast-check `examples`), so each stays asserted whatever the seed draws.
 */
const REPRODUCTIONS: { mutations: Record<string, [Path, unknown][]>; params: Record<string, { raw: boolean; value: string }[]> } = {
  mutations: {
    // A NUL reaches the user lookup: PostgreSQL refuses it and the answer is a 500.
    'POST /api/v1/auth/login': [[['username'], '\u0000']],
    'POST /api/v1/auth/tokens': [[['username'], '\u0000']],
    // An offset of +25:00 does not exist, yet the payment is stored.
    'POST /api/v1/payments': [[['paidAt'], '2026-01-20T10:00:00+25:00']],
  },
  params: {
    // A NUL in the path parameter reaches the query: 500.
    'POST /api/v1/borrowers/:id/reveal': [{ raw: false, value: '\u0000' }, { raw: true, value: '%' }, { raw: true, value: 'P'.repeat(101) }],
    'DELETE /api/v1/auth/tokens/:name': [{ raw: false, value: '\u0000' }, { raw: true, value: '%zz' }],
  },
};

/**
 * Routes that store nothing and answer 200 for any body their schema accepts (an answer of "no
 * findings" to a text with a NUL in it is right). A body is malformed for them when the schema
 * refuses it; the fuzz only insists on a 4xx then.
 */
const PURE: Record<string, ZodType> = {
  'POST /api/v1/compliance/decide': contactRequestSchema,
  'POST /api/v1/screen': textItemSchema,
  'POST /api/v1/wellbeing': textItemSchema,
};

// ------------------------------------------------------------------ payloads

interface Payload {
  payload?: string | Buffer;
  contentType?: string;
  /** The JSON value sent, when the payload is JSON. */
  json?: unknown;
}

const asJson = (v: unknown): Payload => ({ payload: JSON.stringify(v), contentType: 'application/json', json: v });

/** Whole payloads that are not a JSON object of the route's fields, or not JSON, or not JSON's content type. */
const RAW_PAYLOADS: Payload[] = [
  { payload: '', contentType: 'application/json' },
  { payload: undefined, contentType: undefined },
  { payload: '{', contentType: 'application/json' },
  { payload: '{"id":', contentType: 'application/json' },
  { payload: "{'id': 'B1'}", contentType: 'application/json' },
  { payload: 'NaN', contentType: 'application/json' },
  { payload: '1e999', contentType: 'application/json' },
  { payload: '\ufeff{}', contentType: 'application/json' },
  { payload: '\u0000', contentType: 'application/json' },
  { payload: '{"__proto__":{"isAdmin":true}}', contentType: 'application/json' },
  { payload: '{"constructor":{"prototype":{"isAdmin":true}}}', contentType: 'application/json' },
  { payload: '{"id":"B1","id":{"$ne":null}}', contentType: 'application/json' },
  { payload: Buffer.from([0xff, 0xfe, 0xfd, 0x7b, 0x7d]), contentType: 'application/json' },
  { payload: JSON.stringify({ id: 'B-HUGE', name: 'x'.repeat(1_100_000) }), contentType: 'application/json' },
  { payload: '{}', contentType: 'application/json; charset=utf-16' },
  { payload: '{}', contentType: 'APPLICATION/JSON' },
  { payload: '{}', contentType: 'application/vnd.api+json' },
  { payload: 'id=B1&name=x', contentType: 'application/x-www-form-urlencoded' },
  { payload: '--x\r\nContent-Disposition: form-data; name="id"\r\n\r\nB1\r\n--x--\r\n', contentType: 'multipart/form-data; boundary=x' },
  { payload: '<borrower id="B1"/>', contentType: 'application/xml' },
  { payload: 'hello', contentType: 'text/plain' },
  { payload: '{"id":"B1"}', contentType: 'text/plain' },
  { payload: Buffer.from([0, 1, 2, 3]), contentType: 'application/octet-stream' },
];

const CONTENT_TYPES = ['application/json', 'text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'application/octet-stream', 'text/html', 'image/png'];

/** Random payloads for a route whose body schema declares `fields` (none for a route without a body). */
function randomPayload(fields: readonly string[]): fc.Arbitrary<Payload> {
  const key = fields.length > 0 ? fc.oneof(fc.constantFrom(...fields), unknownKey) : unknownKey;
  const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), notAStringOrNull, withNul, withControl, longer(200), badMoney, badDate);
  return fc.oneof(
    // Any JSON value at all.
    { arbitrary: fc.jsonValue({ maxDepth: 4 }).map(asJson), weight: 3 },
    // An object of the route's own fields with values of any type, and unknown keys.
    { arbitrary: fc.dictionary(key, value, { minKeys: 1, maxKeys: 6 }).map(asJson), weight: 4 },
    // Nested far deeper than any body.
    { arbitrary: deeplyNested.map(asJson), weight: 1 },
    // Text declared as JSON that mostly is not.
    { arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((s) => ({ payload: s, contentType: 'application/json' })), weight: 2 },
    // Bytes that are not even UTF-8.
    { arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => ({ payload: Buffer.from(b), contentType: 'application/json' })), weight: 1 },
    // A JSON body under another content type, or none.
    {
      arbitrary: fc.record({ v: fc.jsonValue({ maxDepth: 2 }), ct: fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: undefined }) }).map(({ v, ct }) => ({ payload: JSON.stringify(v), contentType: ct })),
      weight: 2,
    },
    { arbitrary: fc.constantFrom(...RAW_PAYLOADS), weight: 3 },
  );
}

// ------------------------------------------------------------------ path parameters

/** Percent-encodes the UTF-8 bytes of `s` (lone surrogates become U+FFFD, as any client would send). */
const encode = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');

const paramValue = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('%', '%%', '%zz', '%00', '%E4', '%ff', '%2e%2e', '%2F', '..', '.', 'a/b', '?x=1', '#frag', ' ', '\u0000', 'a\u0000b', '\u202e', '__proto__', 'constructor', '中文名', '😀'),
  withNul,
  fc.integer({ min: 65, max: 100_000 }).map((n) => 'P'.repeat(n)),
  fc.string({ unit: 'grapheme', minLength: 65, maxLength: 300 }),
);

const paramNames = (url: string) => [...url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
function fillUrl(url: string, params: Record<string, string>, raw: boolean): string {
  return url.replace(/:(\w+)/g, (_, name: string) => {
    const v = params[name] ?? 'fuzz-param';
    return raw ? v : encode(v);
  });
}

// ------------------------------------------------------------------ the oracle

interface Expectation {
  /** A 2xx is right too (a pure route given a body its schema accepts, or a body the route ignores). */
  success?: boolean;
  /** Exactly this status and code. */
  exact?: { status: number; code: string };
}

const show = (v: unknown, max = 300) => {
  let s: string;
  if (Buffer.isBuffer(v)) s = `<bytes ${v.toString('hex')}>`;
  else {
    try {
      s = JSON.stringify(v) ?? String(v);
    } catch {
      s = '<unserialisable>';
    }
  }
  return s.length > max ? `${s.slice(0, max)}… (${s.length} characters)` : s;
};

/** Throws, naming the request and the answer, unless the answer is what a malformed request deserves. */
function judge(what: string, res: LightMyRequestResponse, expected: Expectation): void {
  const where = `${what}\n  → ${res.statusCode} ${show(res.body)}`;
  if (STACK.test(res.body)) throw new Error(`answer shows a stack trace or source location: ${where}`);
  if (res.statusCode >= 200 && res.statusCode < 300 && expected.success && !expected.exact) return;
  if (res.statusCode < 400 || res.statusCode > 499) throw new Error(`expected a 4xx: ${where}`);
  let body: any;
  try {
    body = res.json();
  } catch {
    throw new Error(`a 4xx whose body is not JSON: ${where}`);
  }
  const envelope =
    body !== null &&
    typeof body === 'object' &&
    typeof body.code === 'string' &&
    typeof body.message === 'string' &&
    typeof body.requestId === 'string' &&
    body.requestId.length > 0 &&
    Array.isArray(body.details) &&
    Object.keys(body).every((k) => ['code', 'message', 'requestId', 'details'].includes(k));
  if (!envelope) throw new Error(`a 4xx without the error envelope {code, message, requestId, details}: ${where}`);
  if (expected.exact && (res.statusCode !== expected.exact.status || body.code !== expected.exact.code)) {
    throw new Error(`expected ${expected.exact.status} ${expected.exact.code}: ${where}`);
  }
}

// ------------------------------------------------------------------ the suite

describe.each(BACKENDS)('fuzzing the write routes (%s)', (backend) => {
  let t: TestDb;
  let app: FastifyInstance;
  let bearer: Headers;
  let session: { cookie: string; csrfCookie: string | undefined };
  let writeRoutes: RouteEntry[];
  let bodyFields: Map<string, string[] | null>;
  let known: Record<string, Example>;
  let start: Snapshot;
  const failures: string[] = [];
  let loginAddress = 0;

  const key = (r: RouteEntry) => `${r.method} ${r.url}`;

  async function send(route: RouteEntry, url: string, p: Payload, headers: Headers): Promise<LightMyRequestResponse> {
    const opts: InjectOptions = {
      method: route.method as InjectOptions['method'],
      url,
      headers: { ...headers, ...(p.contentType === undefined ? {} : { 'content-type': p.contentType }) },
      ...(p.payload === undefined ? {} : { payload: p.payload }),
      // Login is limited per address: each attempt comes from an address of its own.
      ...(route.public ? { remoteAddress: `10.${(++loginAddress >> 16) & 255}.${(loginAddress >> 8) & 255}.${loginAddress & 255}` } : {}),
    };
    return app.inject(opts);
  }

  /** What a well-formed-for-its-route body may get; otherwise a 4xx. */
  function expectationFor(route: RouteEntry, p: Payload, paramsValid: boolean): Expectation {
    const pure = PURE[key(route)];
    const parsedJson = p.contentType === 'application/json' && p.json !== undefined;
    if (pure && paramsValid && parsedJson && pure.safeParse(p.json).success) return { success: true };
    // A route with no body and no parameters (sign out) ignores the body: a bearer sign-out is a 204
    // whatever it carries. It must still refuse what cannot be parsed, and change nothing.
    if (bodyFields.get(key(route)) === null && paramNames(route.url).length === 0) return { success: true };
    return {};
  }

  /** Runs one property per route, collecting failures instead of stopping at the first route. */
  async function perRoute<T>(
    label: string,
    routes: RouteEntry[],
    arb: (r: RouteEntry) => fc.Arbitrary<T>,
    numRuns: (r: RouteEntry) => number,
    check: (r: RouteEntry, v: T) => Promise<void>,
    examples: (r: RouteEntry) => T[] = () => [],
  ) {
    const found: string[] = [];
    for (const route of routes) {
      const before = await snapshot(t);
      const details = await fc.check(
        fc.asyncProperty(arb(route), (v) => check(route, v)),
        { numRuns: numRuns(route), seed: SEED, examples: examples(route).map((v): [T] => [v]) },
      );
      if (details.failed) {
        const err = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
        found.push(`[${label}] ${key(route)} (seed ${details.seed}, path ${details.counterexamplePath}, after ${details.numShrinks} shrinks):\n  ${err}`);
      }
      await app.auditSettled();
      const after = await snapshot(t);
      const changed = Object.keys({ ...before, ...after }).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
      if (changed.length > 0) found.push(`[${label}] ${key(route)} changed rows of ${changed.join(', ')}: ${show(changed.map((k) => [k, before[k], after[k]]), 2000)}`);
    }
    failures.push(...found);
    return found;
  }

  beforeAll(async () => {
    t = await openTestDb(backend);
    app = await buildApp(t.deps);
    await app.ready();
    // A little ledger for the examples to point at: borrower B1 with loan L1.
    await load(t.deps, 'borrowers', [borrower(1)]);
    await load(t.deps, 'loans', [loan(1, 1)]);
    await load(t.deps, 'installments', [installment(1, 1, '2026-01-15'), installment(1, 2, '2026-02-15'), installment(1, 3, '2026-03-15')]);

    // Every permission there is: admin (ledger.write, users.manage), supervisor and compliance (pii.reveal).
    const everything = await createUser(t.deps, { roles: ['admin', 'supervisor', 'compliance'] });
    bearer = await bearerFor(t.deps, everything);
    const s = await sessionHeaders(app, t.deps, everything);
    const cookies = s.cookie!.split('; ');
    session = {
      cookie: cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`))!,
      csrfCookie: cookies.find((c) => c.startsWith(`${CSRF_COOKIE}=`)),
    };
    const loginUser = await createUser(t.deps, { roles: ['agent'] });
    const tokenName = 'fuzz-existing-token';
    await app.inject({ method: 'POST', url: '/api/v1/auth/tokens', headers: bearer, payload: { username: loginUser.username, name: tokenName, scopes: ['ledger.read'] } });
    known = examples({ loginUser, tokenName });

    writeRoutes = app.routeCatalog.filter((r) => WRITE_METHODS.has(r.method));
    // The fields each write route's body declares, from the OpenAPI document; null for no body.
    const spec = app.swagger() as unknown as { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: { properties?: object } }> } }>> };
    bodyFields = new Map(
      writeRoutes.map((r) => {
        const op = spec.paths[r.url.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()];
        const schema = op?.requestBody?.content?.['application/json']?.schema;
        return [key(r), op?.requestBody ? Object.keys(schema?.properties ?? {}) : null];
      }),
    );

    // Each example is valid as it stands: post a copy under other ids, and expect success. So a
    // mutation is one broken field away from a body the route takes.
    const sanity: [string, unknown][] = [
      ['POST /api/v1/borrowers', { ...known['POST /api/v1/borrowers']!.body, id: 'B-SANE' }],
      ['POST /api/v1/loans', { ...known['POST /api/v1/loans']!.body, id: 'L-SANE' }],
      ['POST /api/v1/payments', { ...known['POST /api/v1/payments']!.body, id: 'P-SANE' }],
      ['POST /api/v1/borrowers/:id/reveal', known['POST /api/v1/borrowers/:id/reveal']!.body],
      ['POST /api/v1/auth/login', known['POST /api/v1/auth/login']!.body],
      ['POST /api/v1/auth/tokens', { ...known['POST /api/v1/auth/tokens']!.body, name: 'fuzz-sane-token' }],
      ['POST /api/v1/compliance/decide', known['POST /api/v1/compliance/decide']!.body],
      ['POST /api/v1/screen', known['POST /api/v1/screen']!.body],
      ['POST /api/v1/wellbeing', known['POST /api/v1/wellbeing']!.body],
    ];
    for (const [k, body] of sanity) {
      const route = writeRoutes.find((r) => key(r) === k)!;
      const res = await send(route, fillUrl(route.url, known[k]!.params ?? {}, false), asJson(body), route.public ? {} : bearer);
      expect(res.statusCode, `the example of ${k} must be valid: ${res.body}`).toBeLessThan(300);
    }
    await app.auditSettled();
    start = await snapshot(t);
  });

  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('finds the write routes in app.routeCatalog: the known ones and any new one', () => {
    const found = writeRoutes.map(key);
    expect(found.length).toBeGreaterThan(0);
    expect(found).toEqual(expect.arrayContaining(KNOWN_WRITE_ROUTES));
    // Every key table is in the snapshot (the snapshot takes every table of the schema).
    expect(Object.keys(start)).toEqual(expect.arrayContaining(KEY_TABLES));
    // A known route whose body the example no longer matches would fuzz nothing useful.
    for (const [k, ex] of Object.entries(known)) {
      const fields = bodyFields.get(k);
      expect(fields, `${k} declares a body`).not.toBeNull();
      expect(fields).toEqual(expect.arrayContaining(Object.keys(ex.body)));
    }
  });

  it('answers a valid example with one field broken (wrong type, money as a number, impossible date, NUL, too long, unknown key, missing) with a 4xx', async () => {
    const routes = writeRoutes.filter((r) => known[key(r)]);
    const found = await perRoute(
      'mutated example',
      routes,
      (route) => {
        const ex = known[key(route)]!;
        const broken = fc.oneof(
          { arbitrary: fc.oneof(...ex.mutations.map((m) => m.bad.map((v) => ({ what: `${m.path.join('.')} = ${show(v, 120)}`, body: setAt(ex.body, m.path, v) })))), weight: 6 },
          { arbitrary: fc.constantFrom(...ex.required).map((k) => ({ what: `without ${k}`, body: Object.fromEntries(Object.entries(ex.body).filter(([f]) => f !== k)) })), weight: 1 },
          {
            arbitrary: fc
              .tuple(unknownKey.filter((k) => !(k in ex.body)), fc.jsonValue({ maxDepth: 2 }))
              .map(([k, v]) => ({ what: `unknown key ${JSON.stringify(k)} = ${show(v, 120)}`, body: setAt(ex.body, [k], v) })),
            weight: 1,
          },
        );
        return broken;
      },
      () => MUTATIONS_PER_ROUTE,
      async (route, { what, body }) => {
        const ex = known[key(route)]!;
        const p = asJson(body);
        const url = fillUrl(route.url, ex.params ?? {}, false);
        const res = await send(route, url, p, route.public ? {} : bearer);
        judge(`${route.method} ${url} with ${what}\n  body ${show(p.payload, 400)}`, res, expectationFor(route, p, true));
      },
      (route) =>
        (REPRODUCTIONS.mutations[key(route)] ?? []).map(([path, v]) => ({ what: `${path.join('.')} = ${show(v)}`, body: setAt(known[key(route)]!.body, path, v) })),
    );
    expect(found, found.join('\n\n')).toEqual([]);
  });

  it(`answers ${RANDOM_REQUESTS} random bodies, payloads and content types over all the write routes with a 4xx`, async () => {
    const perRouteRuns = Math.max(5, Math.ceil(RANDOM_REQUESTS / writeRoutes.length));
    const found = await perRoute(
      'random body',
      writeRoutes,
      (route) =>
        fc.record({
          p: randomPayload(bodyFields.get(key(route)) ?? []),
          // Some requests to the idempotent writes carry an Idempotency-Key, itself fuzzed.
          idem: fc.option(fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 220 }), { freq: 3 }),
        }),
      () => perRouteRuns,
      async (route, { p, idem }) => {
        const params = known[key(route)]?.params ?? {};
        const url = fillUrl(route.url, params, false);
        const headers = { ...(route.public ? {} : bearer), ...(idem === null ? {} : { 'idempotency-key': idem }) };
        const res = await send(route, url, p, headers);
        judge(`${route.method} ${url} content-type ${show(p.contentType)}${idem === null ? '' : ` idempotency-key ${show(idem, 40)}`}\n  body ${show(p.payload, 400)}`, res, expectationFor(route, p, true));
      },
    );
    expect(found, found.join('\n\n')).toEqual([]);
  });

  it.each([
    { form: 'percent-encoded in', raw: false },
    { form: 'raw (possibly malformed) in', raw: true },
  ])('answers fuzzed path parameters ($form the URL: %, NUL, unicode, 100 000 characters) with a 4xx', async ({ raw }) => {
    const routes = writeRoutes.filter((r) => paramNames(r.url).length > 0);
    expect(routes.map(key)).toEqual(expect.arrayContaining(['POST /api/v1/borrowers/:id/reveal', 'DELETE /api/v1/auth/tokens/:name']));
    const found = await perRoute(
      raw ? 'raw path parameter' : 'encoded path parameter',
      routes,
      (route) => fc.tuple(...paramNames(route.url).map(() => paramValue)),
      () => PARAMS_PER_ROUTE,
      async (route, values) => {
        const params = Object.fromEntries(paramNames(route.url).map((n, i) => [n, values[i]!]));
        const ex = known[key(route)];
        const p = ex ? asJson(ex.body) : bodyFields.get(key(route)) === null ? {} : asJson({});
        const url = fillUrl(route.url, params, raw);
        const res = await send(route, url, p, route.public ? {} : bearer);
        judge(`${route.method} ${show(url, 200)} (raw ${raw}, params ${show(params, 200)})\n  body ${show(p.payload, 200)}`, res, {});
      },
      (route) => (paramNames(route.url).length === 1 ? (REPRODUCTIONS.params[key(route)] ?? []).filter((r) => r.raw === raw).map((r) => [r.value]) : []),
    );
    expect(found, found.join('\n\n')).toEqual([]);
  });

  it('refuses a write with a session cookie and no valid CSRF token with 403 AUTH.CSRF, whatever the body', async () => {
    // Sign-in is public: no session, so no CSRF check; it is fuzzed above.
    const routes = writeRoutes.filter((r) => !r.public);
    const found = await perRoute(
      'session without CSRF',
      routes,
      (route) =>
        fc.record({
          p: fc.oneof(randomPayload(bodyFields.get(key(route)) ?? []), fc.constant(known[key(route)] ? asJson(known[key(route)]!.body) : asJson({}))),
          csrf: fc.constantFrom('none', 'cookie only', 'cookie and a wrong header', 'header without its cookie'),
          wrong: fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 60 }),
        }),
      () => CSRF_PER_ROUTE,
      async (route, { p, csrf, wrong }) => {
        const cookie = csrf === 'cookie only' || csrf === 'cookie and a wrong header' ? [session.cookie, session.csrfCookie].filter(Boolean).join('; ') : session.cookie;
        const headers: Headers = { cookie, ...(csrf === 'cookie and a wrong header' || csrf === 'header without its cookie' ? { [CSRF_HEADER]: wrong } : {}) };
        const url = fillUrl(route.url, known[key(route)]?.params ?? {}, false);
        const res = await send(route, url, p, headers);
        judge(`${route.method} ${url} with a session cookie, CSRF: ${csrf}\n  body ${show(p.payload, 200)}`, res, { exact: { status: 403, code: 'AUTH.CSRF' } });
      },
    );
    expect(found, found.join('\n\n')).toEqual([]);
  });

  it('changed no row over the whole run (audit events, session and token stamps, login counters aside)', async () => {
    await app.auditSettled();
    expect(await snapshot(t)).toEqual(start);
    // The run did happen, and was audited: one event per request at least.
    const audited = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events');
    expect(audited.rows[0]!.n).toBeGreaterThan(RANDOM_REQUESTS);
    if (failures.length > 0) console.warn(`${failures.length} fuzz failure(s) on ${backend}:\n\n${failures.join('\n\n')}`);
  });
});
