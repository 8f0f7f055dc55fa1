import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateChineseIdNumber, validateE164 } from '../../domain/identity/index.js';
import { parseYuan } from '../../domain/money.js';
import { addMonthsClamped, addYearsClamped, formatIsoDate, parseIsoDate } from './civil-date.js';
import { DEMO_COLUMNS, generateDemoPortfolio, writeDemoCsv, type DemoBundle, type DemoOptions } from './demo-portfolio.js';

const AS_OF = '2025-06-30';
const asOfDay = parseIsoDate(AS_OF)!;

function generate(opts: DemoOptions) {
  return [...generateDemoPortfolio(opts)];
}

function flatten(bundles: DemoBundle[]) {
  return {
    borrowers: bundles.map((b) => b.borrower),
    contacts: bundles.flatMap((b) => b.contacts),
    loans: bundles.flatMap((b) => b.loans),
    installments: bundles.flatMap((b) => b.installments),
    payments: bundles.flatMap((b) => b.payments),
  };
}

function fen(text: string): number {
  const parsed = parseYuan(text);
  if (!parsed.ok) throw new Error(`not an amount: ${text}`);
  return parsed.value;
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(key(row));
    if (list) list.push(row);
    else map.set(key(row), [row]);
  }
  return map;
}

// The test's own aging, independent of the generator: allocate every payment up to asOf to installments
// oldest first, fee → interest → principal; dpd counts from the due date of the oldest one left unpaid.
function bucketAt(asOf: string, installments: Record<string, string>[], payments: Record<string, string>[]): string {
  let pool = payments.filter((p) => p.paid_at.slice(0, 10) <= asOf).reduce((s, p) => s + fen(p.amount), 0);
  const ordered = [...installments].sort((a, b) => Number(a.seq) - Number(b.seq));
  for (const inst of ordered) {
    let unpaid = 0;
    for (const part of [fen(inst.fee), fen(inst.interest), fen(inst.principal)]) {
      const paid = Math.min(pool, part);
      pool -= paid;
      unpaid += part - paid;
    }
    if (unpaid === 0) continue;
    const dpd = asOfDay - parseIsoDate(inst.due_on)!;
    if (dpd <= 0) return 'M0';
    if (dpd > 180) return 'M6+';
    return `M${Math.ceil(dpd / 30)}`;
  }
  return 'M0';
}

const BUCKETS = ['M0', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M6+'];

describe('generateDemoPortfolio', () => {
  const bundles = generate({ borrowers: 2000, asOf: AS_OF, seed: 20250630 });
  const all = flatten(bundles);

  it('gives the same portfolio for the same seed, another for another seed', () => {
    const opts = { borrowers: 200, asOf: AS_OF, seed: 42 };
    expect(generate(opts)).toEqual(generate(opts));
    expect(generate({ ...opts, seed: 43 })).not.toEqual(generate(opts));
  });

  it('gives each borrower the same person whatever the portfolio size', () => {
    const small = generate({ borrowers: 50, asOf: AS_OF, seed: 42 }).map((b) => b.borrower);
    const large = generate({ borrowers: 300, asOf: AS_OF, seed: 42 }).map((b) => b.borrower);
    expect(large.slice(0, 50)).toEqual(small);
  });

  it('fills exactly the CSV columns, as strings', () => {
    for (const [file, rows] of Object.entries(all)) {
      const columns = DEMO_COLUMNS[file as keyof typeof DEMO_COLUMNS].join(',');
      const odd = rows.filter(
        (row) => Object.keys(row).join(',') !== columns || !Object.values(row).every((v) => typeof v === 'string'),
      );
      expect(odd, file).toEqual([]);
    }
  });

  it('numbers borrowers from B000001 and gives every id once', () => {
    expect(all.borrowers[0].borrower_id).toBe('B000001');
    expect(all.borrowers[1999].borrower_id).toBe('B002000');
    expect(all.loans[0].loan_id).toBe('L0000001');
    for (const [rows, key] of [
      [all.borrowers, 'borrower_id'],
      [all.contacts, 'contact_id'],
      [all.loans, 'loan_id'],
      [all.payments, 'payment_id'],
    ] as const) {
      expect(new Set(rows.map((r) => r[key])).size).toBe(rows.length);
    }
  });

  it('gives valid, unique identity numbers of people aged 20-60 on asOf', () => {
    const many = flatten(generate({ borrowers: 20_000, asOf: AS_OF, seed: 7 })).borrowers;
    const youngest = formatIsoDate(addYearsClamped(asOfDay, -20)).replaceAll('-', '');
    const oldest = formatIsoDate(addYearsClamped(asOfDay, -61) + 1).replaceAll('-', '');
    for (const b of many) {
      expect(validateChineseIdNumber(b.id_number), b.id_number).toEqual({ ok: true });
      const birth = b.id_number.slice(6, 14);
      expect(birth >= oldest && birth <= youngest, birth).toBe(true);
    }
    expect(new Set(many.map((b) => b.id_number)).size).toBe(many.length);
    expect(new Set(many.map((b) => b.id_number.slice(0, 6))).size).toBeGreaterThan(50);
  });

  it('handles an asOf of 29 February for the age range', () => {
    for (const b of flatten(generate({ borrowers: 300, asOf: '2024-02-29', seed: 3 })).borrowers) {
      expect(validateChineseIdNumber(b.id_number)).toEqual({ ok: true });
    }
  });

  it('gives unique E.164 phones in separate test ranges for borrowers and contacts', () => {
    const phones = [...all.borrowers.map((b) => b.phone), ...all.contacts.map((c) => c.phone)];
    for (const phone of phones) expect(validateE164(phone), phone).toEqual({ ok: true });
    expect(new Set(phones).size).toBe(phones.length);
    expect(all.borrowers.every((b) => /^\+86138\d{8}$/.test(b.phone))).toBe(true);
    expect(all.contacts.every((c) => /^\+86139\d{8}$/.test(c.phone))).toBe(true);
    expect(all.borrowers[0].phone).toBe('+8613800000001');
  });

  it('mixes names, emails, time zones, locales and addresses as a lender would see them', () => {
    const n = all.borrowers.length;
    const share = (pred: (b: Record<string, string>) => boolean) => all.borrowers.filter(pred).length / n;
    expect(all.borrowers.every((b) => /^\p{Script=Han}{2,4}$/u.test(b.name))).toBe(true);
    expect(share((b) => b.name.startsWith('王') || b.name.startsWith('李') || b.name.startsWith('张'))).toBeGreaterThan(0.12);
    expect(share((b) => b.email !== '')).toBeCloseTo(0.4, 1);
    expect(all.borrowers.every((b) => b.email === '' || /^user\d{6}@example\.(com|cn)$/.test(b.email))).toBe(true);
    expect(share((b) => b.timezone === 'Asia/Shanghai')).toBeGreaterThan(0.93);
    expect(new Set(all.borrowers.map((b) => b.timezone))).toEqual(
      new Set(['Asia/Shanghai', 'Asia/Urumqi', 'America/Los_Angeles', 'Europe/London']),
    );
    expect(share((b) => b.locale === 'zh-CN')).toBeGreaterThan(0.92);
    expect(share((b) => b.address !== '')).toBeCloseTo(0.7, 1);
    expect(all.borrowers.every((b) => b.address === '' || /^\p{Script=Han}+.*\d+号/u.test(b.address))).toBe(true);
  });

  it('gives 0-2 contacts with known relations, at most one spouse', () => {
    const relations = new Set(['guarantor', 'spouse', 'parent', 'relative', 'friend', 'colleague', 'emergency_contact']);
    for (const b of bundles) {
      expect(b.contacts.length).toBeLessThanOrEqual(2);
      expect(b.contacts.filter((c) => c.relation === 'spouse').length).toBeLessThanOrEqual(1);
      for (const c of b.contacts) {
        expect(relations.has(c.relation)).toBe(true);
        expect(c.borrower_id).toBe(b.borrower.borrower_id);
      }
    }
  });

  it('gives 1-3 loans each with plausible terms', () => {
    const earliest = formatIsoDate(addMonthsClamped(asOfDay, -20));
    for (const b of bundles) {
      expect(b.loans.length).toBeGreaterThanOrEqual(1);
      expect(b.loans.length).toBeLessThanOrEqual(3);
    }
    for (const loan of all.loans) {
      const principal = fen(loan.principal);
      expect(principal).toBeGreaterThanOrEqual(500_00);
      expect(principal).toBeLessThanOrEqual(50_000_00);
      expect(principal % 100_00).toBe(0);
      expect(loan.annual_rate).toMatch(/^0\.\d{2,4}$/);
      expect(Number(loan.annual_rate)).toBeLessThanOrEqual(0.24);
      expect(['P-STANDARD', 'P-GRACE3']).toContain(loan.product_id);
      expect(loan.currency).toBe('CNY');
      expect(loan.disbursed_on >= earliest && loan.disbursed_on <= AS_OF, loan.disbursed_on).toBe(true);
    }
  });

  it('schedules 3, 6 or 12 monthly installments whose principal adds up to the loan exactly', () => {
    const byLoan = groupBy(all.installments, (i) => i.loan_id);
    for (const loan of all.loans) {
      const schedule = byLoan.get(loan.loan_id)!;
      expect([3, 6, 12]).toContain(schedule.length);
      expect(schedule.reduce((s, i) => s + fen(i.principal), 0)).toBe(fen(loan.principal));
      const disbursed = parseIsoDate(loan.disbursed_on)!;
      const rateE4 = BigInt(Math.round(Number(loan.annual_rate) * 10_000));
      let remaining = BigInt(fen(loan.principal));
      schedule.forEach((inst, index) => {
        expect(inst.seq).toBe(String(index + 1));
        expect(inst.due_on).toBe(formatIsoDate(addMonthsClamped(disbursed, index + 1)));
        // remaining × rate / 12, half up, in integers.
        const expected = (remaining * rateE4 * 2n + 120_000n) / 240_000n;
        expect(BigInt(fen(inst.interest)), `${loan.loan_id} #${inst.seq}`).toBe(expected);
        if (index > 0) expect(inst.fee).toBe('0.00');
        remaining -= BigInt(fen(inst.principal));
      });
      const principals = schedule.map((i) => fen(i.principal));
      expect(new Set(principals.slice(0, -1)).size).toBeLessThanOrEqual(1);
      expect(principals.at(-1)! - principals[0]).toBeLessThan(schedule.length);
    }
    expect(all.installments.some((i) => i.fee !== '0.00')).toBe(true);
  });

  it('dates every payment on or before asOf and after disbursement, with the +08:00 offset', () => {
    const disbursedOn = new Map(all.loans.map((l) => [l.loan_id, l.disbursed_on]));
    for (const p of all.payments) {
      expect(p.paid_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
      expect(p.paid_at.slice(0, 10) <= AS_OF, p.paid_at).toBe(true);
      expect(p.paid_at.slice(0, 10) > disbursedOn.get(p.loan_id)!, p.payment_id).toBe(true);
      expect(fen(p.amount)).toBeGreaterThan(0);
    }
    expect(all.payments.some((p) => p.paid_at.slice(11, 13) === '23')).toBe(true);
    expect(all.payments.some((p) => p.paid_at.slice(11, 13) === '00')).toBe(true);
  });

  it('includes partial payments, smaller than the installment they pay towards', () => {
    const smallest = new Map<string, number>();
    for (const inst of all.installments) {
      const total = fen(inst.principal) + fen(inst.interest) + fen(inst.fee);
      smallest.set(inst.loan_id, Math.min(smallest.get(inst.loan_id) ?? Infinity, total));
    }
    const partial = all.payments.filter((p) => fen(p.amount) < smallest.get(p.loan_id)!);
    expect(partial.length / all.payments.length).toBeGreaterThan(0.02);
  });

  it('puts loans in every bucket, most of them current', () => {
    const installments = groupBy(all.installments, (i) => i.loan_id);
    const payments = groupBy(all.payments, (p) => p.loan_id);
    const counts = Object.fromEntries(BUCKETS.map((b) => [b, 0]));
    for (const loan of all.loans) {
      counts[bucketAt(AS_OF, installments.get(loan.loan_id)!, payments.get(loan.loan_id) ?? [])]++;
    }
    const n = all.loans.length;
    for (const bucket of BUCKETS) expect(counts[bucket] / n, `${bucket}: ${JSON.stringify(counts)}`).toBeGreaterThan(0.01);
    expect(counts.M0 / n).toBeGreaterThan(0.6);
    expect(counts.M0 / n).toBeLessThan(0.7);
    expect(counts.M1 / n).toBeGreaterThan(0.06);
    expect(counts.M1 / n).toBeLessThan(0.1);
  });

  it('writes paid_at in the lender time zone, daylight saving included', () => {
    const paidAt = flatten(generate({ borrowers: 300, asOf: AS_OF, seed: 5, timezone: 'Europe/London' })).payments.map(
      (p) => p.paid_at,
    );
    const winter = paidAt.filter((t) => ['12', '01', '02'].includes(t.slice(5, 7)));
    const summer = paidAt.filter((t) => ['06', '07', '08'].includes(t.slice(5, 7)));
    expect(winter.length).toBeGreaterThan(10);
    expect(summer.length).toBeGreaterThan(10);
    expect(winter.every((t) => t.endsWith('+00:00'))).toBe(true);
    expect(summer.every((t) => t.endsWith('+01:00'))).toBe(true);
  });

  it.each([
    [{ borrowers: -1, asOf: AS_OF }],
    [{ borrowers: 1.5, asOf: AS_OF }],
    [{ borrowers: 10, asOf: '2025-02-30' }],
    [{ borrowers: 10, asOf: '30/06/2025' }],
    [{ borrowers: 10, asOf: AS_OF, timezone: 'Mars/Olympus' }],
    [{ borrowers: 10, asOf: AS_OF, seed: 0.5 }],
  ])('refuses %j at the call', (opts) => {
    expect(() => generateDemoPortfolio(opts)).toThrow(RangeError);
  });
});

describe('writeDemoCsv', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clement-demo-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes five parseable CSV files with headers, matching the generator', async () => {
    const opts = { borrowers: 500, asOf: AS_OF, seed: 11 };
    const target = join(dir, 'nested', 'out');
    const { files, counts } = await writeDemoCsv(target, opts);
    const expected = flatten(generate(opts));

    for (const name of Object.keys(DEMO_COLUMNS) as (keyof typeof DEMO_COLUMNS)[]) {
      expect(files[name]).toBe(join(target, `${name}.csv`));
      const text = await readFile(files[name], 'utf8');
      expect(text).not.toContain('\r');
      expect(text.split('\n')[0]).toBe(DEMO_COLUMNS[name].join(','));
      const rows = parse(text, { columns: true }) as Record<string, string>[];
      expect(rows.length).toBe(counts[name]);
      expect(rows).toEqual(expected[name]);
    }
    expect(counts.borrowers).toBe(500);
  });

  it('writes headers even for an empty portfolio', async () => {
    const { files, counts } = await writeDemoCsv(join(dir, 'empty'), { borrowers: 0, asOf: AS_OF });
    expect(await readFile(files.payments, 'utf8')).toBe(`${DEMO_COLUMNS.payments.join(',')}\n`);
    expect(counts.payments).toBe(0);
  });

  it('refuses bad options before creating anything', async () => {
    await expect(writeDemoCsv(join(dir, 'never'), { borrowers: 1, asOf: 'soon' })).rejects.toThrow(RangeError);
    await expect(readFile(join(dir, 'never', 'borrowers.csv'))).rejects.toThrow();
  });
});
