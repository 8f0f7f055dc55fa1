// npm run bench -- gate [--clients 16] [--seconds 5]: the compliance gate's throughput.
// 1. Pure decisions per second over a realistic mix (three presets, history, content, flags; a
//    good share refused).
// 2. Decide-and-record per second with N concurrent clients on PostgreSQL (DATABASE_URL): a fresh
//    database, a few thousand borrowers through the ledger import, clients dialling a hot set of
//    borrowers and some shared numbers all through one local day, outcomes recorded as calls end.
//    Afterwards SQL checks that no number and no borrower went past the policy's daily limits.
// The first line is the headline: {"bench":"gate","pure_per_s",…,"record_per_s",…,"clients",…,"overshoots":0}.
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { openPostgres } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { createLogger, type Deps } from '../../src/deps.js';
import { loadConfig } from '../../src/config/config.js';
import { decide, PRESETS, type Channel, type ContactRequest, type Outcome, type Policy } from '../../src/domain/compliance/index.js';
import { parseContactRequest } from '../../src/services/compliance/contact-request.schema.js';
import { decideAndRecord, recordOutcome } from '../../src/services/compliance/decide-and-record.service.js';
import { importRows } from '../../src/services/ledger/import.service.js';
import { chance, intBetween, mulberry32, pick, type Rng } from '../../src/services/demo/prng.js';
import { createVault, newMasterKey } from '../../src/services/privacy/vault.js';

const BORROWERS = 3000;
/** The local day every recorded contact falls on, so the daily limits bite. */
const DAY = '2026-03-02';
const TZ_OFFSET = '+08:00';

const iso = (ms: number, offset = TZ_OFFSET) => {
  const [h, m] = offset.slice(1).split(':').map(Number);
  const sign = offset.startsWith('-') ? -1 : 1;
  const local = new Date(ms + sign * (h! * 60 + m!) * 60_000).toISOString().slice(0, 19);
  return `${local}${offset}`;
};

// ------------------------------------------------------------------ pure

const ZONES = [
  { preset: 'cn', timezone: 'Asia/Shanghai', offset: '+08:00', number: () => '+86138' },
  { preset: 'us', timezone: 'America/New_York', offset: '-05:00', number: () => '+1212555' },
  { preset: 'uk', timezone: 'Europe/London', offset: '+00:00', number: () => '+44207946' },
] as const;
const CONTENTS = [
  '您好，您的账单已逾期3天，请尽快还款。回复TD退订',
  '逾期将影响您的征信记录，您可以申请分期还款。',
  '你这个老赖，再不还钱就去你单位闹',
  'Your payment is overdue. Reply STOP to opt out.',
  'Pay today or we will have you arrested.',
  'Please call us back at your convenience.',
];
const OUTCOMES: Outcome[] = ['conversation', 'no_answer', 'no_answer', 'busy', 'voicemail'];

/** A seeded mix of requests, parsed once (as the API and CLI would) so the loop times the gate alone. */
export function requestMix(n: number, rng: Rng): ContactRequest[] {
  const out: ContactRequest[] = [];
  for (let i = 0; i < n; i++) {
    const z = pick(rng, ZONES);
    const number = `${z.number()}${String(intBetween(rng, 0, 9999)).padStart(4, '0')}${z.preset === 'cn' ? String(intBetween(rng, 1000, 9999)) : ''}`;
    const base = Date.parse(`${DAY}T00:00:00${z.offset}`);
    const at = base + intBetween(rng, 6 * 60, 23 * 60) * 60_000; // 06:00-23:00 local: some outside the hours
    const channel: Channel = chance(rng, 0.7) ? pick(rng, ['call', 'call', 'voice_robot'] as const) : pick(rng, ['sms', 'email', 'letter'] as const);
    const history = [];
    const past = chance(rng, 0.6) ? intBetween(rng, 1, 9) : 0;
    for (let k = 0; k < past; k++) {
      history.push({
        at: iso(at - intBetween(rng, 5, 8 * 24 * 60) * 60_000, z.offset),
        channel: chance(rng, 0.8) ? 'call' : 'sms',
        party: 'borrower',
        number: chance(rng, 0.7) ? number : null,
        direction: chance(rng, 0.9) ? 'outbound' : 'inbound',
        outcome: pick(rng, OUTCOMES),
      });
    }
    const thirdParty = chance(rng, 0.05);
    const json = {
      policy: z.preset,
      at: iso(at, z.offset),
      channel,
      party: thirdParty ? 'third_party' : 'borrower',
      purpose: thirdParty ? 'locate' : pick(rng, ['collection', 'collection', 'collection', 'reminder', 'callback'] as const),
      number: channel === 'call' || channel === 'voice_robot' ? number : null,
      borrower: {
        timezone: z.timezone,
        flags: chance(rng, 0.08) ? [pick(rng, ['cease', 'dispute', 'vulnerable', 'unreachable', 'represented'] as const)] : [],
        optOuts: chance(rng, 0.05) ? ['sms'] : [],
        preferredHours: chance(rng, 0.1) ? { from: '09:00', to: '18:00' } : null,
      },
      contact: thirdParty ? { relation: 'emergency_contact', refused: false } : null,
      history,
      content: channel === 'sms' || channel === 'email' ? pick(rng, CONTENTS) : null,
    };
    const parsed = parseContactRequest(json);
    if (!parsed.ok) throw new Error(`bench mix: ${parsed.error.message}`);
    out.push(parsed.request);
  }
  return out;
}

function benchPure(seconds: number): { perSecond: number; decisions: number; refusedShare: number } {
  const requests = requestMix(2000, mulberry32(7));
  const policyOf = (r: ContactRequest): Policy => PRESETS[r.policy ?? 'cn'];
  let refused = 0;
  for (const r of requests) if (!decide(r, policyOf(r)).allowed) refused++;
  // Warm-up, then as many rounds over the mix as fit in the time.
  for (let i = 0; i < 3; i++) for (const r of requests) decide(r, policyOf(r));
  const deadline = performance.now() + seconds * 1000;
  const start = performance.now();
  let n = 0;
  while (performance.now() < deadline) {
    for (const r of requests) decide(r, policyOf(r));
    n += requests.length;
  }
  const elapsed = (performance.now() - start) / 1000;
  return { perSecond: Math.round(n / elapsed), decisions: n, refusedShare: +(refused / requests.length).toFixed(3) };
}

// ------------------------------------------------------------------ decide and record

interface RecordStats {
  perSecond: number;
  decisions: number;
  allowed: number;
  refusedBy: Record<string, number>;
  outcomesRecorded: number;
  overshoots: number;
  overshootDetail: { numberDays: number; conversationDays: number };
}

async function benchRecord(url: string, clients: number, seconds: number): Promise<RecordStats> {
  const name = `clement_bench_gate_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const benchUrl = new URL(url);
  benchUrl.pathname = `/${name}`;
  const db = openPostgres(benchUrl.toString(), clients + 4);
  try {
    await migrate(db);
    const config = { ...loadConfig({ CLEMENT_POLICY: 'cn', CLEMENT_TIMEZONE: 'Asia/Shanghai' }), databaseUrl: benchUrl.toString() };
    const deps: Deps = { db, config, log: createLogger('silent'), vault: createVault([newMasterKey()]) };
    const policy = PRESETS.cn;

    const rows = Array.from({ length: BORROWERS }, (_, i) => ({
      borrower_id: `GB${i}`,
      name: `借款人${i}`,
      id_number: '',
      phone: `+86138${String(i).padStart(8, '0')}`,
      email: '',
      timezone: 'Asia/Shanghai',
      locale: 'zh-CN',
      address: '',
    }));
    await db.transaction((tx) => importRows(tx, deps, 'borrowers', rows, (c) => c));
    await db.exec('ANALYZE');

    // A day's work list: most contacts go to a hot twentieth of the portfolio, so limits bite and
    // clients contend for the same borrowers; a few numbers are shared by several borrowers.
    const hot = Math.floor(BORROWERS / 20);
    const dayStart = Date.parse(`${DAY}T08:00:00${TZ_OFFSET}`);
    const dayLength = 14 * 3600_000; // 08:00-22:00
    let seq = 0;
    const refusedBy: Record<string, number> = {};
    let decisions = 0;
    let allowed = 0;
    let outcomes = 0;

    const client = async (k: number, deadline: number) => {
      const rng = mulberry32(1000 + k);
      while (performance.now() < deadline) {
        const b = chance(rng, 0.8) ? intBetween(rng, 0, hot - 1) : intBetween(rng, 0, BORROWERS - 1);
        const shared = chance(rng, 0.15);
        const number = shared ? `+86139${String(b % 50).padStart(8, '0')}` : `+86138${String(b).padStart(8, '0')}`;
        const channel: Channel = chance(rng, 0.85) ? 'call' : 'sms';
        // The clock moves through the day as the run goes on, with a little jitter between clients.
        const at = iso(dayStart + ((seq++ * 4000 + intBetween(rng, 0, 3000)) % dayLength));
        const r = await decideAndRecord(deps, {
          borrowerId: `GB${b}`,
          at,
          channel,
          number: channel === 'call' ? number : null,
          content: channel === 'sms' ? '您好，您的账单已逾期，请尽快还款。回复TD退订' : null,
        });
        decisions++;
        if (r.decision.allowed) {
          allowed++;
          if (channel === 'call' && chance(rng, 0.7)) {
            await recordOutcome(deps, r.attemptId!, pick(rng, OUTCOMES));
            outcomes++;
          }
        } else {
          for (const reason of r.decision.reasons) refusedBy[reason.code] = (refusedBy[reason.code] ?? 0) + 1;
        }
      }
    };

    // Every pooled connection open before the clock starts.
    await Promise.all(Array.from({ length: clients }, () => db.query('SELECT 1')));
    const start = performance.now();
    const deadline = start + seconds * 1000;
    await Promise.all(Array.from({ length: clients }, (_, k) => client(k, deadline)));
    const elapsed = (performance.now() - start) / 1000;

    // The policy's daily limits, checked on what was stored. A pending call counts as a
    // conversation for the gate; here only calls recorded as conversations are counted, which is
    // what the rule limits.
    const numberDays = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (
         SELECT a.number_key, (a.at AT TIME ZONE b.timezone)::date
         FROM contact_attempts a JOIN borrowers b ON b.id = a.borrower_id
         WHERE a.direction = 'outbound' AND a.channel IN ('call', 'voice_robot') AND a.number_key IS NOT NULL
         GROUP BY 1, 2 HAVING count(*) > $1) over_limit`,
      [policy.limits.dailyAttemptsPerNumber],
    );
    const conversationDays = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (
         SELECT a.borrower_id, (a.at AT TIME ZONE b.timezone)::date
         FROM contact_attempts a JOIN borrowers b ON b.id = a.borrower_id
         WHERE a.direction = 'outbound' AND a.party = 'borrower' AND a.channel IN ('call', 'voice_robot') AND a.outcome = 'conversation'
         GROUP BY 1, 2 HAVING count(*) > $1) over_limit`,
      [policy.limits.dailyConversations],
    );
    const overshootDetail = { numberDays: numberDays.rows[0]!.n, conversationDays: conversationDays.rows[0]!.n };
    return {
      perSecond: Math.round(decisions / elapsed),
      decisions,
      allowed,
      refusedBy,
      outcomesRecorded: outcomes,
      overshoots: overshootDetail.numberDays + overshootDetail.conversationDays,
      overshootDetail,
    };
  } finally {
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

export async function benchGate(args: { clients?: number; seconds?: number }): Promise<void> {
  const clients = args.clients ?? 16;
  const seconds = args.seconds ?? 5;
  const pure = benchPure(seconds);
  const url = process.env.DATABASE_URL;
  const record = url ? await benchRecord(url, clients, seconds) : null;
  process.stdout.write(
    `${JSON.stringify({
      bench: 'gate',
      pure_per_s: pure.perSecond,
      record_per_s: record?.perSecond ?? null,
      clients,
      overshoots: record?.overshoots ?? null,
    })}\n`,
  );
  process.stdout.write(`${JSON.stringify({ pure: { decisions: pure.decisions, refused_share: pure.refusedShare, seconds } })}\n`);
  if (record) {
    process.stdout.write(
      `${JSON.stringify({
        record: {
          borrowers: BORROWERS,
          decisions: record.decisions,
          allowed: record.allowed,
          refused_by: record.refusedBy,
          outcomes_recorded: record.outcomesRecorded,
          overshoot_detail: record.overshootDetail,
          seconds,
        },
      })}\n`,
    );
  } else {
    process.stdout.write(`${JSON.stringify({ note: 'decide-and-record skipped: it runs on PostgreSQL, set DATABASE_URL' })}\n`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchGate({});
}
