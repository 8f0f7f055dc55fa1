// The audit trail on PGlite always and on PostgreSQL when DATABASE_URL is set: one event per API
// request or command (never one per row), appended with its write or after a read; the database
// refuses to change or remove an event; changing any column of an event by hand (as a superuser
// would, with the trigger switched off) makes the chain fail at that event; concurrent appends
// never fork the chain; and `clement audit verify` says so with its exit code.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { openPglite, type Database } from '../../src/db/client.js';
import { auditEventHash, canonicalJson, GENESIS_HASH } from '../../src/domain/audit/chain.js';
import { runDaily } from '../../src/services/aging/daily-run.service.js';
import {
  appendAuditEvent,
  auditedTransaction,
  AuditScope,
  recordReveal,
  recordScope,
  verifyAuditChain,
  type NewAuditEvent,
} from '../../src/services/audit/audit.service.js';
import { addUser, issueApiToken } from '../../src/services/access/users.service.js';
import { authenticateApiToken } from '../../src/services/access/auth.service.js';
import { importCsvFile } from '../../src/services/ledger/import.service.js';
import { postBorrower } from '../../src/services/ledger/post.service.js';
import { commandLine } from '../../src/cli/command-audit.js';
import { BACKENDS, openTestDb, TEST_KEY, type TestDb } from '../support/test-db.js';
import { borrower, installment, load, loan } from '../support/ledger-factory.js';
import { migratedDataDir, runCli, tempDir } from '../support/cli.js';

interface Row {
  id: number;
  at: string;
  actor: string;
  actor_user_id: number | null;
  action: string;
  outcome: string;
  records: Record<string, any>;
  source: string;
  reason: string | null;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

async function events(db: Database, afterId = 0): Promise<Row[]> {
  return (await db.query<Row>('SELECT * FROM audit_events WHERE id > $1 ORDER BY id', [afterId])).rows;
}

async function lastId(db: Database): Promise<number> {
  return (await db.query<{ n: number }>('SELECT coalesce(max(id), 0)::int AS n FROM audit_events')).rows[0]!.n;
}

/** Runs statements as a superuser could, with the append-only trigger switched off. */
async function byHand(db: Database, ...statements: [string, unknown[]?][]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
    for (const [sql, params] of statements) await tx.query(sql, params ?? []);
    await tx.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only');
  });
}

function scope(action: string, actor = { name: 'cli:tester', userId: null as number | null }): AuditScope {
  return new AuditScope({ action, source: 'cli testhost pid 1', requestId: `cli_${action.length}`, actor: () => actor });
}

const event = (n: number, over: Partial<NewAuditEvent> = {}): NewAuditEvent => ({
  actor: `user${n}`,
  actorUserId: n,
  action: `GET /api/v1/loans/:id`,
  outcome: '200',
  records: { loans: [`L${n}`], borrowers: [`B${n}`] },
  source: '10.0.0.1',
  reason: null,
  requestId: `req_${n}`,
  ...over,
});

function csv(rows: Record<string, string>[]): string {
  const cols = Object.keys(rows[0]!);
  return [cols.join(','), ...rows.map((r) => cols.map((c) => r[c]).join(','))].join('\n') + '\n';
}

describe.each(BACKENDS)('audit trail on %s', (backend) => {
  describe('events from API requests', () => {
    let t: TestDb;
    let app: FastifyInstance;
    let token: string;
    let actor: { name: string; userId: number | null };
    const PHONE = '+8613912345678';
    const NAME = '审计测试人';
    const ID_NUMBER = '11010519491231002X';

    beforeAll(async () => {
      t = await openTestDb(backend);
      app = await buildApp(t.deps);
      await addUser(t.deps, { username: 'auditadmin', roles: ['admin'] });
      token = (await issueApiToken(t.deps, { username: 'auditadmin', name: 'itest', scopes: ['ledger.read', 'ledger.write', 'cases.read'] })).token;
      const a = (await authenticateApiToken(t.deps, token))!;
      actor = { name: a.name, userId: a.userId };
    });
    afterAll(async () => {
      await app?.close();
      await t?.close();
    });

    const call = async (method: 'GET' | 'POST', url: string, payload?: unknown, auth = true) => {
      const res = await app.inject({
        method,
        url,
        ...(payload === undefined ? {} : { payload: payload as object }),
        headers: auth ? { authorization: `Bearer ${token}` } : {},
      });
      await app.auditSettled();
      return res;
    };

    it('records one event per request: actor, method and route pattern, status, address, request id and the ids touched; no personal data', async () => {
      const before = await lastId(t.db);
      const created = await call('POST', '/api/v1/borrowers', { id: 'B1', name: NAME, phone: PHONE, idNumber: ID_NUMBER, locale: 'zh-CN' });
      expect(created.statusCode, created.body).toBe(201);
      expect((await call('GET', '/api/v1/borrowers/B1')).statusCode).toBe(200);
      const missing = await call('GET', '/api/v1/loans/NOPE');
      expect(missing.statusCode).toBe(404);
      const invalid = await call('POST', '/api/v1/borrowers', { id: 'B2', phone: PHONE, locale: 'zh-CN' });
      expect(invalid.statusCode).toBe(400);
      expect((await call('GET', '/api/v1/cases?limit=5')).statusCode).toBe(200);
      const anonymous = await call('GET', '/api/v1/borrowers/B1', undefined, false);
      expect(anonymous.statusCode).toBe(401);
      // Not audited: liveness, documentation, pages.
      expect((await call('GET', '/api/health', undefined, false)).statusCode).toBe(200);
      expect((await call('GET', '/api/docs/json', undefined, false)).statusCode).toBe(200);
      expect((await call('GET', '/', undefined, false)).statusCode).toBe(200);

      const rows = await events(t.db, before);
      expect(rows.map((r) => [r.action, r.outcome, r.records])).toEqual([
        // A write's event is written in its transaction: `ok`, committed with the row.
        ['POST /api/v1/borrowers', 'ok', { borrowers: ['B1'] }],
        ['GET /api/v1/borrowers/:id', '200', { borrowers: ['B1'] }],
        ['GET /api/v1/loans/:id', '404', { loans: ['NOPE'] }],
        // Refused by validation before the handler ran: nothing touched.
        ['POST /api/v1/borrowers', '400', {}],
        ['GET /api/v1/cases', '200', {}],
        ['GET /api/v1/borrowers/:id', '401', {}],
      ]);
      for (const r of rows.slice(0, 5)) expect([r.actor, r.actor_user_id]).toEqual([actor.name, actor.userId]);
      expect([rows[5]!.actor, rows[5]!.actor_user_id]).toEqual(['anonymous', null]);
      for (const r of rows) {
        expect(r.source).toBe('127.0.0.1');
        expect(r.request_id).toMatch(/^req_/);
        expect(r.reason).toBeNull();
      }
      expect(rows[2]!.request_id).toBe(missing.json().requestId);
      expect(rows[3]!.request_id).toBe(invalid.json().requestId);
      expect(new Set(rows.map((r) => r.request_id)).size).toBe(rows.length);
      const stored = JSON.stringify(rows);
      for (const personal of [PHONE, NAME, ID_NUMBER, PHONE.slice(3)]) expect(stored).not.toContain(personal);
      expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, events: before + rows.length });
    });

    it('concurrent requests each get one event and the chain stays whole', async () => {
      const before = await lastId(t.db);
      const responses = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          app.inject(
            i % 3 === 0
              ? { method: 'POST', url: '/api/v1/borrowers', payload: { id: `C${i}`, name: 'x', phone: '+8613800000009', locale: 'en' }, headers: { authorization: `Bearer ${token}` } }
              : { method: 'GET', url: `/api/v1/borrowers/B1`, headers: { authorization: `Bearer ${token}` } },
          ),
        ),
      );
      expect(responses.map((r) => r.statusCode).sort()).toEqual([...Array(10).fill(201), ...Array(20).fill(200)].sort());
      await app.auditSettled();
      const rows = await events(t.db, before);
      expect(rows).toHaveLength(30);
      expect(rows.filter((r) => r.action === 'POST /api/v1/borrowers').map((r) => r.records.borrowers[0]).sort()).toEqual(
        Array.from({ length: 10 }, (_, k) => `C${k * 3}`).sort(),
      );
      expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, events: before + 30 });
    });
  });

  describe('events from services and commands', () => {
    let t: TestDb;
    let dir: string;
    beforeAll(async () => {
      t = await openTestDb(backend);
      dir = await tempDir('audit-files');
    });
    afterAll(async () => t?.close());

    it('a 1,000-row import is one event, committed with the rows, naming the count and the first and last ids', async () => {
      const before = await lastId(t.db);
      const file = join(dir, 'borrowers.csv');
      await writeFile(file, csv(Array.from({ length: 1000 }, (_, i) => borrower(i + 1))));
      const s = scope('cli import borrowers borrowers.csv');
      const r = await importCsvFile(t.deps, 'borrowers', file, s);
      expect(r.created).toBe(1000);
      expect(s.recorded).toBe(true);
      const rows = await events(t.db, before);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        actor: 'cli:tester',
        action: 'cli import borrowers borrowers.csv',
        outcome: 'ok',
        source: 'cli testhost pid 1',
        records: { borrowers: { count: 1000, first: 'B1', last: 'B1000' }, import: { kind: 'borrowers', rows: 1000, created: 1000, unchanged: 0 } },
      });
      // Recording the command's scope afterwards (what withDatabase does) adds nothing.
      await recordScope(t.db, s, 'ok');
      expect(await lastId(t.db)).toBe(before + 1);
      // The personal data of the file is nowhere in the event.
      expect(JSON.stringify(rows)).not.toMatch(/\+86138|借款人/);
    });

    it('a rejected import leaves no event of its own; the command then records its refusal once', async () => {
      const before = await lastId(t.db);
      const file = join(dir, 'bad.csv');
      const rows = Array.from({ length: 600 }, (_, i) => borrower(5000 + i));
      rows[499] = { ...rows[499]!, phone: 'not-a-phone' };
      await writeFile(file, csv(rows));
      const s = scope('cli import borrowers bad.csv');
      await expect(importCsvFile(t.deps, 'borrowers', file, s)).rejects.toThrow(/line 501/);
      expect(s.recorded).toBe(false);
      expect(await lastId(t.db)).toBe(before);
      await recordScope(t.db, s, 'refused');
      const [e] = await events(t.db, before);
      expect(e).toMatchObject({ outcome: 'refused', action: 'cli import borrowers bad.csv' });
      expect(await lastId(t.db)).toBe(before + 1);
    });

    it('a refused write records no `ok` event; a write records its event before the service returns', async () => {
      const before = await lastId(t.db);
      const ok = scope('POST /api/v1/borrowers');
      expect(await postBorrower(t.deps, { id: 'W1', name: 'w', phone: '+8613800000001', locale: 'en' }, ok)).toBe(true);
      expect(ok.recorded).toBe(true);
      expect(await events(t.db, before)).toHaveLength(1);
      const conflict = scope('POST /api/v1/borrowers');
      await expect(postBorrower(t.deps, { id: 'W1', name: 'w', phone: '+8613800000002', locale: 'en' }, conflict)).rejects.toThrow(/differs/);
      expect(conflict.recorded).toBe(false);
      expect(await events(t.db, before)).toHaveLength(1);
    });

    it('an event appended in a transaction that rolls back leaves no trace and no gap', async () => {
      const before = await lastId(t.db);
      await expect(
        t.db.transaction(async (tx) => {
          await appendAuditEvent(tx, event(1));
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      expect(await lastId(t.db)).toBe(before);
      const next = await appendAuditEvent(t.db, event(2));
      expect(next.id).toBe(before + 1);
      expect((await verifyAuditChain(t.db)).ok).toBe(true);
    });

    it('the daily run is one event with its as-of date and counts', async () => {
      await load(t.deps, 'loans', [loan(1, 1)]);
      await load(t.deps, 'installments', [installment(1, 1, '2026-01-15')]);
      const before = await lastId(t.db);
      const s = scope('cli run daily --as-of 2026-02-01');
      const r = await runDaily(t.deps, '2026-02-01', { audit: s });
      const rows = await events(t.db, before);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.records).toEqual({
        run: { asOf: '2026-02-01', mode: 'full', loansAged: r.loansAged, casesOpened: r.casesOpened, casesClosed: r.casesClosed },
      });
      expect(r.casesOpened).toBe(1);
    });

    it('a reveal is recorded before the value is given: action pii.reveal, the borrower id, the field name and the reason', async () => {
      const before = await lastId(t.db);
      const s = scope('POST /api/v1/borrowers/:id/reveal', { name: 'agent1', userId: 3 });
      await recordReveal(t.db, s, { borrowerId: 'B7', field: 'phone', reason: 'borrower asked for a callback on another number' });
      const [e] = await events(t.db, before);
      expect(e).toMatchObject({
        action: 'pii.reveal',
        actor: 'agent1',
        actor_user_id: 3,
        outcome: 'ok',
        reason: 'borrower asked for a callback on another number',
        records: { borrowers: ['B7'], field: 'phone' },
      });
    });

    it('a scope keeps at most 100 ids per kind, then a count with the first and last', () => {
      const s = scope('x');
      s.touch('loans', ['L1', 'L2', 'L1']);
      s.touch('payments', Array.from({ length: 250 }, (_, i) => `P${i + 1}`));
      expect(s.records()).toEqual({ loans: ['L1', 'L2'], payments: { count: 250, first: 'P1', last: 'P250' } });
    });

    it('the command line is recorded without secret option values', () => {
      expect(commandLine(['import', 'payments', '/data/p.csv'])).toBe('cli import payments /data/p.csv');
      expect(commandLine(['user', 'add', 'bob', '--password', 'hunter2', '--token=abc'])).toBe('cli user add bob --password [hidden] --token=[hidden]');
    });

    it('strings the database cannot store are made storable before hashing, so the chain still verifies', async () => {
      await appendAuditEvent(t.db, event(3, { actor: 'a\u0000b', records: { loans: ['L\ud800x'] } }));
      expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
    });
  });

  describe('append-only by the database', () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await openTestDb(backend);
      for (let n = 1; n <= 3; n++) await appendAuditEvent(t.db, event(n));
    });
    afterAll(async () => t?.close());

    it.each([
      ['UPDATE', "UPDATE audit_events SET actor = 'mallory' WHERE id = 2"],
      ['DELETE', 'DELETE FROM audit_events WHERE id = 2'],
      ['TRUNCATE', 'TRUNCATE audit_events'],
    ])('%s is refused with a clear error and the rows are unchanged', async (op, sql) => {
      const before = await events(t.db);
      await expect(t.db.query(sql)).rejects.toThrow(`audit_events is append-only: ${op} refused`);
      expect(await events(t.db)).toEqual(before);
      expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, events: 3 });
    });
  });

  describe('the tamper test', () => {
    let t: TestDb;
    const TARGET = 3;
    beforeAll(async () => {
      t = await openTestDb(backend);
      for (let n = 1; n <= 5; n++) await appendAuditEvent(t.db, event(n, n === TARGET ? { reason: null } : { reason: n === 2 ? 'a reason' : null }));
      expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, events: 5 });
    });
    afterAll(async () => t?.close());

    it('the stored hash is SHA-256 over the canonical content and the previous hash', async () => {
      const [first, second] = await events(t.db);
      const content = (r: Row, at: string) => ({
        id: r.id,
        at,
        actor: r.actor,
        actorUserId: r.actor_user_id,
        action: r.action,
        outcome: r.outcome,
        records: r.records,
        source: r.source,
        reason: r.reason,
        requestId: r.request_id,
        prevHash: r.prev_hash,
      });
      const atText = async (id: number) =>
        (await t.db.query<{ at: string }>(`SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at FROM audit_events WHERE id = $1`, [id])).rows[0]!.at;
      expect(first!.prev_hash).toBe(GENESIS_HASH);
      expect(first!.hash).toBe(auditEventHash(content(first!, await atText(1))));
      expect(second!.prev_hash).toBe(first!.hash);
      // Key order does not matter: jsonb's order and the caller's give the same text.
      expect(canonicalJson({ b: 1, a: [{ d: null, c: 'x' }] })).toBe('{"a":[{"c":"x","d":null}],"b":1}');
    });

    // Each change is made by hand, verified to break the chain at the changed event, then undone.
    it.each([
      ['actor', "actor = 'mallory'", 'hash'],
      ['actor_user_id', 'actor_user_id = actor_user_id + 1', 'hash'],
      ['action', "action = 'GET /api/v1/cases'", 'hash'],
      ['outcome', "outcome = '403'", 'hash'],
      ['records (a value)', `records = '{"loans":["L999"],"borrowers":["B3"]}'::jsonb`, 'hash'],
      ['records (an id added)', `records = records || '{"payments":["P1"]}'::jsonb`, 'hash'],
      ['at (by one microsecond)', "at = at + interval '1 microsecond'", 'hash'],
      ['source', "source = '10.6.6.6'", 'hash'],
      ['reason', "reason = 'made up'", 'hash'],
      ['request_id', "request_id = 'req_forged'", 'hash'],
      ['prev_hash', "prev_hash = repeat('a', 64)", 'prev_hash'],
      ['hash', "hash = repeat('b', 64)", 'hash'],
    ])('changing %s makes verification fail at that event', async (_column, assignment, problem) => {
      await byHand(t.db, ['DROP TABLE IF EXISTS audit_saved'], [`CREATE TABLE audit_saved AS SELECT * FROM audit_events WHERE id = ${TARGET}`]);
      await byHand(t.db, [`UPDATE audit_events SET ${assignment} WHERE id = ${TARGET}`]);
      const r = await verifyAuditChain(t.db, { pageSize: 2 });
      expect(r).toMatchObject({ ok: false, brokenAt: TARGET, problem, events: TARGET - 1 });
      // Undone, the chain is whole again: the change, not the procedure, broke it.
      await byHand(t.db, [
        `UPDATE audit_events a SET at = s.at, actor = s.actor, actor_user_id = s.actor_user_id, action = s.action, outcome = s.outcome,
           records = s.records, source = s.source, reason = s.reason, request_id = s.request_id, prev_hash = s.prev_hash, hash = s.hash
         FROM audit_saved s WHERE a.id = s.id`,
      ]);
      expect(await verifyAuditChain(t.db, { pageSize: 2 })).toMatchObject({ ok: true, events: 5 });
    });

    it('a row rewritten with a correct hash of its own still breaks the link to the next event', async () => {
      const [row] = (await events(t.db)).filter((r) => r.id === TARGET);
      const at = (await t.db.query<{ at: string }>(`SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at FROM audit_events WHERE id = $1`, [TARGET])).rows[0]!.at;
      const forged = auditEventHash({
        id: TARGET, at, actor: 'mallory', actorUserId: row!.actor_user_id, action: row!.action, outcome: row!.outcome,
        records: row!.records, source: row!.source, reason: row!.reason, requestId: row!.request_id, prevHash: row!.prev_hash,
      });
      await byHand(t.db, ['DROP TABLE IF EXISTS audit_saved'], [`CREATE TABLE audit_saved AS SELECT * FROM audit_events WHERE id = ${TARGET}`]);
      await byHand(t.db, [`UPDATE audit_events SET actor = 'mallory', hash = $1 WHERE id = ${TARGET}`, [forged]]);
      expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, brokenAt: TARGET + 1, problem: 'prev_hash' });
      await byHand(t.db, [`UPDATE audit_events a SET actor = s.actor, hash = s.hash FROM audit_saved s WHERE a.id = s.id`]);
      expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, events: 5 });
    });

    it('deleting a middle event (session_replication_role = replica) makes verification fail at the next one', async () => {
      await byHand(t.db, ['DROP TABLE IF EXISTS audit_saved'], [`CREATE TABLE audit_saved AS SELECT * FROM audit_events WHERE id = ${TARGET}`]);
      await t.db.transaction(async (tx) => {
        await tx.query('SET LOCAL session_replication_role = replica');
        await tx.query(`DELETE FROM audit_events WHERE id = ${TARGET}`);
      });
      const r = await verifyAuditChain(t.db);
      expect(r).toMatchObject({ ok: false, brokenAt: TARGET + 1, problem: 'sequence' });
      expect(r.ok === false && r.reason).toMatch(/missing id in sequence/);
      // Inserting is what the trail allows: putting the event back makes it whole.
      await t.db.query('INSERT INTO audit_events SELECT * FROM audit_saved');
      expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, events: 5 });
    });

    it('renumbering an event makes verification fail where it was', async () => {
      await byHand(t.db, [`UPDATE audit_events SET id = 1000 WHERE id = ${TARGET}`]);
      expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, brokenAt: TARGET + 1, problem: 'sequence' });
      await byHand(t.db, [`UPDATE audit_events SET id = 0 WHERE id = 1000`]);
      expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, brokenAt: 0, problem: 'sequence' });
      await byHand(t.db, [`UPDATE audit_events SET id = ${TARGET} WHERE id = 0`]);
      expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, events: 5 });
    });
  });

  describe('concurrent appends', () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await openTestDb(backend);
    });
    afterAll(async () => t?.close());

    it('50 appends at once, each in its own transaction doing other work first, never fork the chain', async () => {
      await appendAuditEvent(t.db, event(0));
      const appended = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          t.db.transaction(async (tx) => {
            await tx.query('SELECT pg_sleep(0.01)');
            return appendAuditEvent(tx, event(i + 1));
          }),
        ),
      );
      expect(appended.map((a) => a.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
      const rows = await events(t.db);
      expect(rows).toHaveLength(51);
      expect(new Set(rows.map((r) => r.prev_hash)).size).toBe(51);
      expect(await verifyAuditChain(t.db, { pageSize: 7 })).toMatchObject({ ok: true, events: 51 });
    });

    it('50 scopes recorded at once through auditedTransaction, with writes, all land', async () => {
      const before = await lastId(t.db);
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          auditedTransaction(t.db, scope(`POST /x/${i}`).touch('borrowers', [`B${i}`]), async (tx) => {
            await tx.query('SELECT pg_sleep(0.005)');
          }),
        ),
      );
      expect(await lastId(t.db)).toBe(before + 50);
      expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, events: before + 50 });
    });
  });

  describe('clement audit verify (a child process)', () => {
    let t: TestDb;
    let dir: string;
    let env: Record<string, string>;
    beforeAll(async () => {
      dir = await migratedDataDir('audit-verify');
      if (backend === 'postgres') {
        t = await openTestDb(backend);
        env = { DATABASE_URL: t.deps.config.databaseUrl!, CLEMENT_KEY: TEST_KEY };
      } else {
        env = {};
      }
    });
    afterAll(async () => t?.close());

    /** A direct connection to the command's database, as an attacker with superuser access has. */
    async function direct<T>(fn: (db: Database) => Promise<T>): Promise<T> {
      if (backend === 'postgres') return fn(t.db);
      const db = await openPglite(join(dir, 'pgdata'));
      try {
        return await fn(db);
      } finally {
        await db.close();
      }
    }

    it('exits 0 with the number of events when whole, and 1 naming the event after it was changed by hand', async () => {
      const file = join(dir, 'borrowers.csv');
      await writeFile(file, csv([borrower(1), borrower(2), borrower(3)]));
      const imported = await runCli(['import', 'borrowers', file], { dataDir: dir, env });
      expect(imported.code, imported.stderr).toBe(0);

      const whole = await runCli(['audit', 'verify'], { dataDir: dir, env });
      expect(whole.code, whole.stderr).toBe(0);
      expect(whole.stdout).toMatch(/^audit trail whole: 1 event, last hash [0-9a-f]{64}$/m);

      const rows = await direct((db) => events(db));
      expect(rows.map((r) => [r.id, r.outcome, r.records])).toEqual([
        [1, 'ok', { borrowers: ['B1', 'B2', 'B3'], import: { kind: 'borrowers', rows: 3, created: 3, unchanged: 0 } }],
        [2, 'ok', { verify: { ok: true, events: 1 } }],
      ]);
      expect(rows[0]!.action).toBe(`cli import borrowers ${file}`);
      expect(rows[0]!.actor).toMatch(/^cli:/);
      expect(rows[0]!.source).toMatch(/^cli \S+ pid \d+$/);
      expect(rows[0]!.request_id).toMatch(/^cli_/);
      expect(rows[1]!.action).toBe('cli audit verify');

      await direct((db) => byHand(db, [`UPDATE audit_events SET records = '{"borrowers":["B1"]}'::jsonb WHERE id = 1`]));
      const broken = await runCli(['audit', 'verify'], { dataDir: dir, env });
      expect(broken.code).toBe(1);
      expect(broken.stderr).toMatch(/audit trail broken at event 1: hash mismatch/);

      // Put back, whole again; then a removed event is named by the one after it.
      await direct((db) =>
        byHand(db, [`UPDATE audit_events SET records = $1::jsonb WHERE id = 1`, [JSON.stringify(rows[0]!.records)]], ['DELETE FROM audit_events WHERE id = 2']),
      );
      const gap = await runCli(['audit', 'verify'], { dataDir: dir, env });
      expect(gap.code).toBe(1);
      expect(gap.stderr).toMatch(/audit trail broken at event 3: missing id in sequence/);
    });
  });
});
