// npm run bench -- daily --loans N: a portfolio generated inside PostgreSQL, a full re-age, then a
// typical next day run event-driven. Prints the ratio of the two, measured in the same run.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPostgres, type Database } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { createLogger, type Deps } from '../../src/deps.js';
import { loadConfig } from '../../src/config/config.js';
import { runDaily } from '../../src/services/aging/daily-run.service.js';
import { addDays } from '../../src/domain/dates.js';
import { createVault, newMasterKey } from '../../src/services/privacy/vault.js';

const AS_OF = '2026-06-30';

export async function generateFor(outer: Database, loans: number): Promise<void> {
  // One transaction on one connection, with foreign-key triggers off: generated rows are
  // consistent by construction, and checking tens of millions of references is not what is measured.
  await outer.transaction(async (db) => {
    await db.exec('SET LOCAL synchronous_commit = off; SET LOCAL session_replication_role = replica');
    await generateRows(db, loans);
  });
  // As after any bulk load: statistics, hint bits and the visibility map, before measuring.
  await outer.exec('VACUUM ANALYZE');
}

async function generateRows(db: Database, loans: number): Promise<void> {
  const borrowers = Math.ceil(loans * 0.8);
  await db.query(
    // Aging never reads personal data: placeholders stand in for sealed values here.
    `INSERT INTO borrowers (external_id, name, phone, phone_index, timezone, locale)
     SELECT 'B' || lpad(i::text, 9, '0'), '借款人' || i, 'sealed', 'index-' || i, 'Asia/Shanghai', 'zh-CN'
     FROM generate_series(1, $1::int) i`,
    [borrowers],
  );
  // Loan i: borrower ((i-1) mod B)+1; disbursed 0-300 days before the as-of date; about 8%
  // delinquent: they stopped paying at a date 1-400 days back, so every bucket is populated.
  await db.query(
    `INSERT INTO loans (external_id, borrower_id, product_id, product_ref, principal, annual_rate, disbursed_on, currency)
     SELECT 'L' || lpad(i::text, 9, '0'), ((i - 1) % $2::int) + 1, (SELECT id FROM products WHERE external_id = 'default'), 'default',
            600000, 0.18, $3::date - ((i::int8 * 7919) % 301)::int, 'CNY'
     FROM generate_series(1, $1::int) i`,
    [loans, borrowers, AS_OF],
  );
  await db.query(
    `INSERT INTO installments (loan_id, borrower_id, seq, due_on, principal, interest, fee)
     SELECT l.id, l.borrower_id, k, (l.disbursed_on + make_interval(months => k))::date, 100000, 9000 - k * 1000, CASE WHEN k = 1 THEN 500 ELSE 0 END
     FROM loans l CROSS JOIN generate_series(1, 6) k`,
  );
  // Each paid installment is paid on its due date. Current loans pay everything due before the
  // as-of date and half of what falls due on it; delinquent loans stopped at their stop date.
  await db.query(
    `INSERT INTO payments (external_id, loan_id, borrower_id, paid_at, paid_on, amount)
     SELECT 'P' || i.id, i.loan_id, i.borrower_id, (i.due_on + time '10:00') AT TIME ZONE 'Asia/Shanghai', i.due_on,
            i.principal + i.interest + i.fee
     FROM installments i
     WHERE CASE WHEN (i.loan_id * 37) % 100 < 8
                THEN i.due_on < $1::date - (1 + (i.loan_id * 13) % 400)
                ELSE i.due_on < $1::date OR (i.due_on = $1::date AND i.loan_id % 2 = 0) END`,
    [AS_OF],
  );
  // Aging reads payments, not their allocation rows, so none are generated.
}

/** About 2% of loans pay on the measured day: the next installment early, or part of what is overdue. */
async function paymentsOnTheDay(db: Database, day: string): Promise<number> {
  const r = await db.query(
    `INSERT INTO payments (external_id, loan_id, borrower_id, paid_at, paid_on, amount)
     SELECT 'D' || l.id, l.id, l.borrower_id, ($1::date + time '12:00') AT TIME ZONE 'Asia/Shanghai', $1::date, 50000
     FROM loans l WHERE l.id % 50 = 7`,
    [day],
  );
  return r.rowCount;
}

export async function benchDaily(args: { loans: number }): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('the daily benchmark runs on PostgreSQL: set DATABASE_URL');
  const name = `clement_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const benchUrl = new URL(url);
  benchUrl.pathname = `/${name}`;
  const db = openPostgres(benchUrl.toString(), 4);
  try {
    await migrate(db);
    const deps: Deps = { db, config: { ...loadConfig({}), databaseUrl: benchUrl.toString() }, log: createLogger('silent'), vault: createVault([newMasterKey()]) };
    let t = performance.now();
    await generateFor(db, args.loans);
    const generateS = (performance.now() - t) / 1000;

    t = performance.now();
    const full = await runDaily(deps, AS_OF, { full: true });
    const fullS = (performance.now() - t) / 1000;

    const nextDay = addDays(AS_OF, 1);
    const paying = await paymentsOnTheDay(db, nextDay);
    await db.exec('ANALYZE');
    t = performance.now();
    const event = await runDaily(deps, nextDay);
    const eventS = (performance.now() - t) / 1000;

    const buckets = await db.query<{ bucket: string; n: number }>('SELECT bucket, count(*)::int AS n FROM loan_delinquency GROUP BY 1 ORDER BY 1');
    process.stdout.write(
      `${JSON.stringify({ bench: 'daily', n: args.loans, full_s: +fullS.toFixed(3), event_s: +eventS.toFixed(3), ratio: +(eventS / fullS).toFixed(4) })}\n`,
    );
    process.stdout.write(
      `${JSON.stringify({
        generate_s: +generateS.toFixed(1),
        full_loans_aged: full.loansAged,
        event_loans_aged: event.loansAged,
        paying_on_the_day: paying,
        cases_open: full.casesOpened + event.casesOpened - event.casesClosed,
        buckets: Object.fromEntries(buckets.rows.map((b) => [b.bucket, b.n])),
      })}\n`,
    );
  } finally {
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
