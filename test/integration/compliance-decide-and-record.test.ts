// Decide and record against the real database, on PGlite and on PostgreSQL: the history comes
// from stored attempts, every decision is stored, and concurrent requests never share the last slot.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDb, type TestDb } from '../support/test-db.js';
import { borrower, load } from '../support/ledger-factory.js';
import type { Deps } from '../../src/deps.js';
import { AppError } from '../../src/services/errors.js';
import { PRESETS } from '../../src/domain/compliance/index.js';
import {
  decideAndRecord,
  recordOutcome,
  type DecideAndRecordInput,
  type RecordedDecision,
} from '../../src/services/compliance/decide-and-record.service.js';

const DAY = '2026-03-02';
const at = (hhmm: string, day = DAY) => `${day}T${hhmm}:00+08:00`;
const codes = (r: RecordedDecision) => r.decision.reasons.map((x) => x.code);

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected the call to be refused');
}

describe.each(BACKENDS)('decideAndRecord (%s)', (backend) => {
  let t: TestDb;
  let deps: Deps;
  let next = 1;
  /** A fresh borrower per test, so tests share nothing but the database. */
  const fresh = async (over: Record<string, string> = {}) => {
    const n = next++;
    await load(deps, 'borrowers', [borrower(n, over)]);
    return `B${n}`;
  };
  const call = (borrowerId: string, when: string, number: string, over: Partial<DecideAndRecordInput> = {}) =>
    decideAndRecord(deps, { borrowerId, at: when, channel: 'call', number, ...over });
  /** An attempt that happened, with its outcome recorded. */
  const happened = async (borrowerId: string, when: string, number: string, outcome: 'no_answer' | 'conversation' | 'busy') => {
    const r = await call(borrowerId, when, number);
    expect(r.decision.allowed).toBe(true);
    await recordOutcome(deps, r.attemptId!, outcome);
    return r;
  };
  const attemptsOf = async (borrowerId: string) =>
    (
      await t.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM contact_attempts a JOIN borrowers b ON b.id = a.borrower_id WHERE b.external_id = $1',
        [borrowerId],
      )
    ).rows[0]!.n;

  beforeAll(async () => {
    t = await openTestDb(backend);
    deps = t.deps;
  });
  afterAll(() => t.close());

  it('stores an allowed decision with its pending attempt, and a refusal with no attempt', async () => {
    const b = await fresh();
    const ok = await call(b, at('10:00'), '+8613800000001');
    expect(ok).toMatchObject({ replayed: false, policyVersion: PRESETS.cn.version, decision: { allowed: true, reasons: [], nextAllowedAt: null } });
    expect(ok.attemptId).toEqual(expect.any(Number));

    const late = await call(b, at('22:00'), '+8613800000001');
    expect(late.decision).toMatchObject({ allowed: false, nextAllowedAt: '2026-03-03T08:00:00+08:00' });
    expect(codes(late)).toEqual(['OUTSIDE_HOURS']);
    expect(late.attemptId).toBeNull();

    const rows = await t.db.query<{ allowed: boolean; attempt_id: number | null; reasons: unknown; next_allowed_at: string | null; policy_version: string; request: any }>(
      'SELECT allowed, attempt_id, reasons, next_allowed_at, policy_version, request FROM contact_decisions WHERE id = ANY($1::int[]) ORDER BY id',
      [[ok.decisionId, late.decisionId]],
    );
    expect(rows.rows.map((r) => [r.allowed, r.attempt_id])).toEqual([[true, ok.attemptId], [false, null]]);
    expect(rows.rows[1]!.reasons).toEqual(late.decision.reasons);
    expect(new Date(rows.rows[1]!.next_allowed_at!).getTime()).toBe(Date.parse('2026-03-03T08:00:00+08:00'));
    expect(rows.rows[1]!.policy_version).toBe(PRESETS.cn.version);
    // The stored request is what was decided: time zone from the borrower, history from the database.
    expect(rows.rows[1]!.request).toMatchObject({ channel: 'call', borrower: { timezone: 'Asia/Shanghai' }, history: [{ channel: 'call', outcome: 'conversation' }] });

    const attempt = await t.db.query<{ outcome: string | null; number: string; number_key: string; party: string; purpose: string }>(
      'SELECT outcome, number, number_key, party, purpose FROM contact_attempts WHERE id = $1',
      [ok.attemptId],
    );
    // The number is sealed, and counted by its blind index: never in clear in the database.
    const row = attempt.rows[0]!;
    expect({ ...row, number: t.deps.vault.decrypt(row.number) }).toEqual({
      outcome: null,
      number: '+8613800000001',
      number_key: t.deps.vault.index('+8613800000001'),
      party: 'borrower',
      purpose: 'collection',
    });
    expect(await attemptsOf(b)).toBe(1);
  });

  it('reads the history from stored attempts, not from the caller: the 7th call to a number in a day is refused', async () => {
    const b = await fresh();
    // Yesterday's calls are outside the local day and do not count.
    for (const hh of ['20', '21']) await happened(b, at(`${hh}:00`, '2026-03-01'), '+8613800000002', 'no_answer');
    for (let i = 0; i < 6; i++) await happened(b, at(`09:0${i}`), '+86 138-0000-0002', 'no_answer');
    const r = await call(b, at('10:00'), '+8613800000002');
    expect(codes(r)).toEqual(['DAILY_ATTEMPT_LIMIT']);
    expect(r.decision.nextAllowedAt).toBe('2026-03-03T08:00:00+08:00');
    // Another number of the same borrower still has room.
    expect((await call(b, at('10:01'), '+8613800000003')).decision.allowed).toBe(true);
  });

  it('counts a pending call as a conversation until its outcome is known', async () => {
    const b = await fresh();
    const pending = [];
    for (let i = 1; i <= 3; i++) pending.push(await call(b, at(`11:0${i}`), `+861380000010${i}`));
    const fourth = await call(b, at('11:10'), '+8613800000109');
    expect(codes(fourth)).toEqual(['DAILY_CONVERSATION_LIMIT']);
    await recordOutcome(deps, pending[0]!.attemptId!, 'no_answer');
    expect((await call(b, at('11:11'), '+8613800000109')).decision.allowed).toBe(true);
  });

  it('counts other borrowers’ calls to the same number toward its daily attempts, and nothing else', async () => {
    const [a, b] = [await fresh(), await fresh()];
    const shared = '+8613800000200';
    for (let i = 0; i < 3; i++) await happened(a, at(`09:0${i}`), shared, 'conversation');
    for (let i = 3; i < 6; i++) await happened(b, at(`09:0${i}`), shared, 'no_answer');
    const r = await call(b, at('10:00'), shared);
    // b had no conversation today: a's three do not count toward b's conversations.
    expect(codes(r)).toEqual(['DAILY_ATTEMPT_LIMIT']);
    expect((await call(b, at('10:01'), '+8613800000201')).decision.allowed).toBe(true);
  });

  it('still counts attempts stored after a back-dated request', async () => {
    const b = await fresh();
    for (let i = 0; i < 6; i++) await happened(b, at(`15:0${i}`), '+8613800000300', 'no_answer');
    expect(codes(await call(b, at('09:00'), '+8613800000300'))).toEqual(['DAILY_ATTEMPT_LIMIT']);
  });

  it('looks back as far as the policy needs (us: a conversation starts a 7-day wait)', async () => {
    const us: Deps = { ...deps, config: { ...deps.config, policy: 'us' } };
    const b = await fresh({ timezone: 'America/New_York' });
    const first = await decideAndRecord(us, { borrowerId: b, at: '2026-03-02T10:00:00-05:00', channel: 'call', number: '+12125550100' });
    expect(first.policyVersion).toBe(PRESETS.us.version);
    await recordOutcome(us, first.attemptId!, 'conversation');
    const r = await decideAndRecord(us, { borrowerId: b, at: '2026-03-08T10:00:00-05:00', channel: 'call', number: '+12125550100' });
    expect(codes(r)).toEqual(['RECENT_CONVERSATION']);
    expect(r.decision.nextAllowedAt).toBe('2026-03-09T08:00:00-04:00');
    const later = await decideAndRecord(us, { borrowerId: b, at: '2026-03-09T10:00:00-04:00', channel: 'call', number: '+12125550100' });
    expect(later.decision.allowed).toBe(true);
  });

  it('takes flags and opt-outs from the input for now, and stores the refusal', async () => {
    const b = await fresh();
    const r = await decideAndRecord(deps, { borrowerId: b, at: at('10:00'), channel: 'sms', content: '您好', borrower: { flags: ['vulnerable'], optOuts: ['sms'] } });
    expect(codes(r)).toEqual(['CHANNEL_OPTED_OUT', 'VULNERABLE_PAUSE']);
    expect(r.attemptId).toBeNull();
    expect(await attemptsOf(b)).toBe(0);
  });

  describe('concurrency: room for exactly one more', () => {
    // Every pooled PostgreSQL connection open before the race, so the transactions truly overlap
    // instead of trickling in as connections are made.
    beforeEach(async () => {
      if (backend === 'postgres') await Promise.all(Array.from({ length: 20 }, () => t.db.query('SELECT pg_sleep(0.05)')));
    });

    it('50 concurrent calls to a number with 5 of its 6 daily attempts used: one passes, 49 are refused', async () => {
      const b = await fresh();
      const number = '+8613800000400';
      for (let i = 0; i < 5; i++) await happened(b, at(`09:0${i}`), number, 'no_answer');
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => call(b, at('10:00'), number, { idempotencyKey: `${backend}-race-${i}` })));
      const allowed = results.filter((r) => r.decision.allowed);
      expect(allowed).toHaveLength(1);
      const refused = results.filter((r) => !r.decision.allowed);
      expect(refused).toHaveLength(49);
      for (const r of refused) expect(codes(r)).toEqual(['DAILY_ATTEMPT_LIMIT']);
      expect(await attemptsOf(b)).toBe(6);
      const decisions = await t.db.query<{ allowed: boolean; n: number }>(
        `SELECT d.allowed, count(*)::int AS n FROM contact_decisions d JOIN borrowers b ON b.id = d.borrower_id
         WHERE b.external_id = $1 AND d.at = $2::timestamptz GROUP BY d.allowed ORDER BY d.allowed`,
        [b, at('10:00')],
      );
      expect(decisions.rows).toEqual([{ allowed: false, n: 49 }, { allowed: true, n: 1 }]);
    });

    it('50 concurrent calls to 50 numbers with 2 of 3 daily conversations used: one passes, 49 are refused', async () => {
      const b = await fresh();
      await happened(b, at('09:00'), '+8613800000500', 'conversation');
      await happened(b, at('09:10'), '+8613800000501', 'conversation');
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => call(b, at('10:00'), `+86139000005${String(i).padStart(2, '0')}`)),
      );
      expect(results.filter((r) => r.decision.allowed)).toHaveLength(1);
      const refused = results.filter((r) => !r.decision.allowed);
      expect(refused).toHaveLength(49);
      for (const r of refused) expect(codes(r)).toEqual(['DAILY_CONVERSATION_LIMIT']);
      expect(await attemptsOf(b)).toBe(3);
    });

    it('two borrowers sharing a number cannot both take its last attempt', async () => {
      const [a, b] = [await fresh(), await fresh()];
      const shared = '+8613800000600';
      for (let i = 0; i < 5; i++) await happened(i % 2 ? a : b, at(`09:0${i}`), shared, 'no_answer');
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => call(i % 2 ? a : b, at('10:00'), shared)));
      expect(results.filter((r) => r.decision.allowed)).toHaveLength(1);
    });
  });

  describe('idempotency', () => {
    it('a retry with the same key returns the first answer and records nothing more', async () => {
      const b = await fresh();
      const first = await call(b, at('21:59'), '+8613800000700', { idempotencyKey: `${backend}-k1` });
      const again = await call(b, at('21:59'), '+8613800000700', { idempotencyKey: `${backend}-k1` });
      expect(again).toEqual({ ...first, replayed: true });
      expect(await attemptsOf(b)).toBe(1);

      const refused = await call(b, at('22:30'), '+8613800000700', { idempotencyKey: `${backend}-k2` });
      // A retry is answered with the first answer even when its clock would now say otherwise.
      const retried = await call(b, at('23:00'), '+8613800000700', { idempotencyKey: `${backend}-k2` });
      expect(retried).toEqual({ ...refused, replayed: true });
      expect(retried.decision.nextAllowedAt).toBe('2026-03-03T08:00:00+08:00');
    });

    it('concurrent retries with one key decide once', async () => {
      const b = await fresh();
      const results = await Promise.all(Array.from({ length: 10 }, () => call(b, at('10:00'), '+8613800000701', { idempotencyKey: `${backend}-k3` })));
      expect(new Set(results.map((r) => r.decisionId)).size).toBe(1);
      expect(results.filter((r) => !r.replayed)).toHaveLength(1);
      expect(await attemptsOf(b)).toBe(1);
    });

    it('refuses a key reused for another contact', async () => {
      const b = await fresh();
      await call(b, at('10:00'), '+8613800000702', { idempotencyKey: `${backend}-k4` });
      const err = await rejection(call(b, at('10:00'), '+8613800000703', { idempotencyKey: `${backend}-k4` }));
      expect([err.kind, err.code, err.details[0]?.field]).toEqual(['conflict', 'CONTACT.IDEMPOTENCY_KEY_REUSED', 'idempotencyKey']);
      const other = await fresh();
      const err2 = await rejection(call(other, at('10:00'), '+8613800000702', { idempotencyKey: `${backend}-k4` }));
      expect(err2.code).toBe('CONTACT.IDEMPOTENCY_KEY_REUSED');
    });
  });

  describe('recordOutcome', () => {
    it('records once; the same outcome again is a no-op, another is refused', async () => {
      const b = await fresh();
      const r = await call(b, at('10:00'), '+8613800000800');
      expect(await recordOutcome(deps, r.attemptId!, 'voicemail')).toEqual({ attemptId: r.attemptId, outcome: 'voicemail' });
      expect(await recordOutcome(deps, r.attemptId!, 'voicemail')).toEqual({ attemptId: r.attemptId, outcome: 'voicemail' });
      const err = await rejection(recordOutcome(deps, r.attemptId!, 'conversation'));
      expect([err.kind, err.code]).toEqual(['conflict', 'CONTACT.OUTCOME_ALREADY_RECORDED']);
      const row = await t.db.query<{ outcome: string; outcome_at: string | null }>('SELECT outcome, outcome_at FROM contact_attempts WHERE id = $1', [r.attemptId]);
      expect(row.rows[0]!.outcome).toBe('voicemail');
      expect(row.rows[0]!.outcome_at).not.toBeNull();
    });

    it('names an unknown attempt and an unknown outcome', async () => {
      expect((await rejection(recordOutcome(deps, 987654, 'busy'))).code).toBe('CONTACT.ATTEMPT_NOT_FOUND');
      const err = await rejection(recordOutcome(deps, 1, 'hung_up' as never));
      expect([err.code, err.details[0]?.field]).toEqual(['REQUEST.INVALID', 'outcome']);
    });
  });

  describe('bad input', () => {
    it('an unknown borrower is not found', async () => {
      const err = await rejection(call('NOBODY', at('10:00'), '+8613800000900'));
      expect([err.kind, err.code]).toEqual(['not_found', 'BORROWER.NOT_FOUND']);
    });

    it('an invalid request names its field and stores nothing', async () => {
      const b = await fresh();
      const err = await rejection(decideAndRecord(deps, { borrowerId: b, at: '2026-03-02T10:00:00', channel: 'call' }));
      expect([err.kind, err.code, err.details[0]?.field]).toEqual(['validation', 'REQUEST.INVALID', 'at']);
      const err2 = await rejection(decideAndRecord(deps, { borrowerId: b, at: at('10:00'), channel: 'call', borrower: { flags: ['bankrupt' as never] } }));
      expect(err2.details[0]?.field).toBe('borrower.flags.0');
      const n = await t.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM contact_decisions d JOIN borrowers b ON b.id = d.borrower_id WHERE b.external_id = $1',
        [b],
      );
      expect(n.rows[0]!.n).toBe(0);
    });

    it('a case of another borrower is refused', async () => {
      const b = await fresh();
      const err = await rejection(call(b, at('10:00'), '+8613800000901', { caseId: 424242 }));
      expect([err.code, err.details[0]?.field]).toEqual(['REQUEST.INVALID', 'caseId']);
    });
  });

  it('takes the clock when the caller gives no time', async () => {
    const b = await fresh();
    const r = await decideAndRecord(deps, { borrowerId: b, channel: 'letter' }, { now: () => new Date('2026-03-02T02:00:00Z') });
    expect(r.at).toBe('2026-03-02T02:00:00.000Z');
    expect(r.decision.allowed).toBe(true);
  });
});
