// The synthetic demo portfolio: borrowers, contacts, loans, schedules and payments that look like a
// Chinese online micro-lender's book as of a date, with every delinquency bucket represented.
// Deterministic from a seed, streamed one borrower at a time so a million borrowers fit in memory.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify/sync';
import { IANAZone } from 'luxon';
import { chineseIdCheckDigit } from '../../domain/identity/index.js';
import { formatYuan, type Fen } from '../../domain/money.js';
import {
  addMonthsClamped,
  addYearsClamped,
  civil,
  formatCompactDate,
  formatIsoDate,
  pad2,
  parseIsoDate,
  type DayNumber,
} from './civil-date.js';
import {
  COMPLEXES,
  FEMALE_NAME_CHARACTERS,
  MALE_NAME_CHARACTERS,
  NEUTRAL_NAME_CHARACTERS,
  REGIONS,
  STREETS,
  SURNAMES,
  type Region,
} from './demo-reference-data.js';
import {
  chance,
  feistelPermutation,
  intBetween,
  mix32,
  mulberry32,
  pick,
  pickWeighted,
  weighted,
  type Rng,
  type Weighted,
} from './prng.js';

export const DEMO_COLUMNS = {
  borrowers: ['borrower_id', 'name', 'id_number', 'phone', 'email', 'timezone', 'locale', 'address'],
  contacts: ['contact_id', 'borrower_id', 'relation', 'name', 'phone'],
  loans: ['loan_id', 'borrower_id', 'product_id', 'principal', 'annual_rate', 'disbursed_on', 'currency'],
  installments: ['loan_id', 'seq', 'due_on', 'principal', 'interest', 'fee'],
  payments: ['payment_id', 'loan_id', 'paid_at', 'amount'],
} as const;

export type DemoFile = keyof typeof DEMO_COLUMNS;
export const DEMO_FILES = Object.keys(DEMO_COLUMNS) as DemoFile[];

export interface DemoOptions {
  borrowers: number;
  /** The portfolio date, YYYY-MM-DD: no payment is dated after it. */
  asOf: string;
  /** Default 1. The same seed and options always give the same portfolio. */
  seed?: number;
  /**
   * The lender's time zone (default `Asia/Shanghai`): `asOf`, due dates and the local time of `paid_at`
   * are read in it, `paid_at` carries its offset, and it is the time zone of almost every borrower.
   */
  timezone?: string;
}

export interface DemoBundle {
  borrower: Record<string, string>;
  contacts: Record<string, string>[];
  loans: Record<string, string>[];
  installments: Record<string, string>[];
  payments: Record<string, string>[];
}

export const DEMO_DEFAULT_SEED = 1;
export const DEMO_DEFAULT_TIMEZONE = 'Asia/Shanghai';
/** Loans are disbursed within this many months before asOf. */
export const DEMO_DISBURSEMENT_WINDOW_MONTHS = 20;

// Phones are +86138 and the 8-digit borrower number, +86139 and the 8-digit contact number (at most 2 per borrower).
const MAX_BORROWERS = 49_999_999;
const MIN_AGE = 20;
const MAX_AGE = 60;

// What a loan's payments do up to asOf. Weights are shares of loans.
type Behaviour = 'on_time' | 'early_payoff' | 'overpay' | 'M1' | 'M2' | 'M3' | 'M4' | 'M5' | 'M6' | 'M6+';
const BEHAVIOURS = weighted<Behaviour>([
  ['on_time', 55],
  ['early_payoff', 6],
  ['overpay', 4],
  ['M1', 8],
  ['M2', 5.5],
  ['M3', 4.5],
  ['M4', 4],
  ['M5', 3.5],
  ['M6', 3],
  ['M6+', 6.5],
]);
// Days past due aimed at for each delinquent behaviour (bucket ranges of DOMAIN.md).
const TARGET_DPD: Record<Exclude<Behaviour, 'on_time' | 'early_payoff' | 'overpay'>, readonly [number, number]> = {
  M1: [1, 30],
  M2: [31, 60],
  M3: [61, 90],
  M4: [91, 120],
  M5: [121, 150],
  M6: [151, 180],
  'M6+': [181, 540],
};

const SURNAME_TABLE = weighted(SURNAMES);
const TIMEZONE_MINORITIES = [
  ['Asia/Urumqi', 1.2],
  ['America/Los_Angeles', 0.7],
  ['Europe/London', 0.6],
] as const;
const ABROAD = new Set(['America/Los_Angeles', 'Europe/London']);
const RELATIONS = weighted([
  ['emergency_contact', 35],
  ['spouse', 20],
  ['parent', 20],
  ['friend', 8],
  ['relative', 7],
  ['colleague', 6],
  ['guarantor', 4],
] as const);
const CONTACT_COUNT = weighted([
  [0, 25],
  [1, 45],
  [2, 30],
] as const);
const LOAN_COUNT = weighted([
  [1, 60],
  [2, 28],
  [3, 12],
] as const);
const TERMS = weighted([
  [3, 25],
  [6, 35],
  [12, 40],
] as const);
// Annual rates as they appear in the lender's files: 0.02%-0.05% a day × 365, and round figures.
const RATES = weighted([
  ['0.0730', 10],
  ['0.1095', 15],
  ['0.12', 8],
  ['0.1460', 15],
  ['0.15', 8],
  ['0.18', 14],
  ['0.1825', 12],
  ['0.2000', 6],
  ['0.24', 6],
  ['0.2400', 6],
] as const);

type Gender = 'male' | 'female';

interface Context {
  readonly seed: number;
  readonly asOf: DayNumber;
  readonly earliestDisbursement: DayNumber;
  readonly earliestBirth: DayNumber;
  readonly birthDays: number;
  readonly identity: (index: number) => number;
  readonly timezones: Weighted<string>;
  readonly paidAt: (day: DayNumber, secondOfDay: number) => string;
  nextContact: number;
  nextLoan: number;
  nextPayment: number;
}

/**
 * One bundle per borrower, in borrower order, generated as it is consumed. Options are checked at the call.
 * Borrower n's own fields depend only on the seed and n; loan, contact and payment numbers run on across borrowers.
 */
export function generateDemoPortfolio(opts: DemoOptions): Generator<DemoBundle> {
  return bundles(createContext(opts), opts.borrowers);
}

function* bundles(ctx: Context, borrowers: number): Generator<DemoBundle> {
  for (let n = 1; n <= borrowers; n++) yield generateBorrower(ctx, n);
}

function createContext(opts: DemoOptions): Context {
  if (!Number.isSafeInteger(opts.borrowers) || opts.borrowers < 0 || opts.borrowers > MAX_BORROWERS) {
    throw new RangeError(`borrowers must be an integer from 0 to ${MAX_BORROWERS}`);
  }
  const asOf = parseIsoDate(opts.asOf);
  if (asOf === undefined) throw new RangeError('asOf must be a real date as YYYY-MM-DD');
  const seed = opts.seed ?? DEMO_DEFAULT_SEED;
  if (!Number.isSafeInteger(seed)) throw new RangeError('seed must be an integer');
  const timezone = opts.timezone ?? DEMO_DEFAULT_TIMEZONE;
  if (!IANAZone.isValidZone(timezone)) throw new RangeError(`unknown time zone ${timezone}`);

  // Age 20-60 on asOf: born after asOf − 61 years, on or before asOf − 20 years.
  const earliestBirth = addYearsClamped(asOf, -(MAX_AGE + 1)) + 1;
  const birthDays = addYearsClamped(asOf, -MIN_AGE) - earliestBirth + 1;
  // Every (birth date, region, sequence number) triple is handed out at most once, so identity numbers never collide.
  const identitySpace = birthDays * REGIONS.length * 999;
  const seed32 = mix32(seed >>> 0, Math.floor(seed / 2 ** 32));
  return {
    seed: seed32,
    asOf,
    earliestDisbursement: addMonthsClamped(asOf, -DEMO_DISBURSEMENT_WINDOW_MONTHS),
    earliestBirth,
    birthDays,
    identity: feistelPermutation(identitySpace, mix32(seed32, 0x1d)),
    timezones: weighted<string>([
      [timezone, 100 - TIMEZONE_MINORITIES.reduce((s, [, w]) => s + w, 0)],
      ...TIMEZONE_MINORITIES.filter(([tz]) => tz !== timezone),
    ]),
    paidAt: localTimestampFormatter(IANAZone.create(timezone)),
    nextContact: 1,
    nextLoan: 1,
    nextPayment: 1,
  };
}

function generateBorrower(ctx: Context, n: number): DemoBundle {
  const rng = mulberry32(mix32(ctx.seed, n));
  const borrowerId = `B${String(n).padStart(6, '0')}`;

  const p = ctx.identity(n - 1);
  const birth = ctx.earliestBirth + (p % ctx.birthDays);
  const rest = Math.floor(p / ctx.birthDays);
  const region = REGIONS[rest % REGIONS.length];
  const sequence = Math.floor(rest / REGIONS.length) + 1; // 001-999; odd for men
  const gender: Gender = sequence % 2 === 1 ? 'male' : 'female';
  const first17 = `${region.code}${formatCompactDate(birth)}${String(sequence).padStart(3, '0')}`;

  const surname = pickWeighted(rng, SURNAME_TABLE);
  const timezone = pickWeighted(rng, ctx.timezones);
  const email = chance(rng, 0.4) ? `user${String(n).padStart(6, '0')}@${chance(rng, 0.7) ? 'example.com' : 'example.cn'}` : '';
  const locale = chance(rng, ABROAD.has(timezone) ? 0.6 : 0.035) ? 'en' : 'zh-CN';
  const address = chance(rng, 0.7) ? fictitiousAddress(rng, chance(rng, 0.55) ? region : pick(rng, REGIONS)) : '';

  const borrower = {
    borrower_id: borrowerId,
    name: surname + givenName(rng, gender),
    id_number: first17 + chineseIdCheckDigit(first17),
    phone: `+86138${String(n).padStart(8, '0')}`,
    email,
    timezone,
    locale,
    address,
  };

  const contacts = generateContacts(ctx, rng, borrowerId, surname, gender);
  const bundle: DemoBundle = { borrower, contacts, loans: [], installments: [], payments: [] };
  const loanCount = pickWeighted(rng, LOAN_COUNT);
  for (let i = 0; i < loanCount; i++) generateLoan(ctx, rng, borrowerId, bundle);
  return bundle;
}

function givenName(rng: Rng, gender: Gender): string {
  const own = gender === 'male' ? MALE_NAME_CHARACTERS : FEMALE_NAME_CHARACTERS;
  const length = chance(rng, 0.3) ? 1 : 2;
  let name = '';
  for (let i = 0; i < length; i++) name += pick(rng, chance(rng, 0.2) ? NEUTRAL_NAME_CHARACTERS : own);
  return name;
}

function fictitiousAddress(rng: Rng, region: Region): string {
  const place = `${region.province}${region.city}${region.district}${pick(rng, STREETS)}${intBetween(rng, 1, 399)}号`;
  if (chance(rng, 0.25)) return place;
  const floor = intBetween(rng, 1, 28);
  return `${place}${pick(rng, COMPLEXES)}${intBetween(rng, 1, 30)}栋${intBetween(rng, 1, 4)}单元${floor}${pad2(intBetween(rng, 1, 6))}室`;
}

function generateContacts(ctx: Context, rng: Rng, borrowerId: string, surname: string, gender: Gender) {
  const contacts: Record<string, string>[] = [];
  const count = pickWeighted(rng, CONTACT_COUNT);
  let parentGender: Gender | undefined;
  let hasSpouse = false;
  while (contacts.length < count) {
    const relation = pickWeighted(rng, RELATIONS);
    if (relation === 'spouse' && hasSpouse) continue;
    let name: string;
    if (relation === 'spouse') {
      hasSpouse = true;
      name = pickWeighted(rng, SURNAME_TABLE) + givenName(rng, gender === 'male' ? 'female' : 'male');
    } else if (relation === 'parent') {
      // Children take the father's surname; mothers keep their own.
      parentGender = parentGender === undefined ? (chance(rng, 0.5) ? 'male' : 'female') : parentGender === 'male' ? 'female' : 'male';
      name = (parentGender === 'male' ? surname : pickWeighted(rng, SURNAME_TABLE)) + givenName(rng, parentGender);
    } else {
      const family = relation === 'relative' && chance(rng, 0.5);
      name = (family ? surname : pickWeighted(rng, SURNAME_TABLE)) + givenName(rng, chance(rng, 0.5) ? 'male' : 'female');
    }
    const number = ctx.nextContact++;
    contacts.push({
      contact_id: `C${String(number).padStart(7, '0')}`,
      borrower_id: borrowerId,
      relation,
      name,
      phone: `+86139${String(number).padStart(8, '0')}`,
    });
  }
  return contacts;
}

interface ScheduledInstallment {
  readonly due: DayNumber;
  readonly total: Fen;
}

function generateLoan(ctx: Context, rng: Rng, borrowerId: string, bundle: DemoBundle): void {
  const loanId = `L${String(ctx.nextLoan++).padStart(7, '0')}`;
  const term = pickWeighted(rng, TERMS);
  const principal = roundishPrincipal(rng);
  const rateText = pickWeighted(rng, RATES);
  const rate = rateInHundredthsOfPercent(rateText);
  const behaviour = pickWeighted(rng, BEHAVIOURS);
  const { disbursed, missedSeq } = disbursementDate(ctx, rng, behaviour, term);

  bundle.loans.push({
    loan_id: loanId,
    borrower_id: borrowerId,
    product_id: chance(rng, 0.85) ? 'P-STANDARD' : 'P-GRACE3',
    principal: formatYuan(principal),
    annual_rate: rateText,
    disbursed_on: formatIsoDate(disbursed),
    currency: 'CNY',
  });

  // Equal principal, the remainder on the last installment; interest on the remaining principal.
  const serviceFee = chance(rng, 0.12) ? Math.max(500, Math.round((principal * intBetween(rng, 5, 10)) / 100_000) * 100) : 0;
  const basePrincipal = Math.floor(principal / term);
  const schedule: ScheduledInstallment[] = [];
  let remaining = principal;
  for (let seq = 1; seq <= term; seq++) {
    const due = addMonthsClamped(disbursed, seq);
    const instPrincipal = seq === term ? remaining : basePrincipal;
    const interest = monthlyInterest(remaining, rate);
    const fee = seq === 1 ? serviceFee : 0;
    remaining -= instPrincipal;
    schedule.push({ due, total: instPrincipal + interest + fee });
    bundle.installments.push({
      loan_id: loanId,
      seq: String(seq),
      due_on: formatIsoDate(due),
      principal: formatYuan(instPrincipal),
      interest: formatYuan(interest),
      fee: formatYuan(fee),
    });
  }

  for (const payment of planPayments(ctx, rng, behaviour, disbursed, schedule, missedSeq)) {
    bundle.payments.push({
      payment_id: `PAY${String(ctx.nextPayment++).padStart(8, '0')}`,
      loan_id: loanId,
      paid_at: ctx.paidAt(payment.day, timeOfDay(rng)),
      amount: formatYuan(payment.amount),
    });
  }
}

/** 500-50,000 yuan, mostly small, in steps of 100, 500 or 1,000 yuan. */
function roundishPrincipal(rng: Rng): Fen {
  const u = rng();
  if (u < 0.5) return intBetween(rng, 5, 50) * 100_00;
  if (u < 0.85) return intBetween(rng, 11, 40) * 500_00;
  return intBetween(rng, 21, 50) * 1000_00;
}

/** "0.18" → 1800, "0.0730" → 730: the rate in units of 0.01%, exact. */
function rateInHundredthsOfPercent(text: string): number {
  const m = /^0\.(\d{1,4})$/.exec(text);
  if (!m) throw new Error(`bad rate ${text}`);
  return Number(m[1].padEnd(4, '0'));
}

/** remaining × rate / 12, with rate in 0.01% units, rounded half up to the fen in integer arithmetic. */
function monthlyInterest(remaining: Fen, rate: number): Fen {
  const numerator = remaining * rate; // ≤ 5,000,000 × 2,400: exact in a double
  const denominator = 10_000 * 12;
  const quotient = Math.floor(numerator / denominator);
  return 2 * (numerator - quotient * denominator) >= denominator ? quotient + 1 : quotient;
}

/**
 * Performing loans are disbursed anywhere in the window. A delinquent loan is placed so that its missed
 * installment (`missedSeq`) fell due `dpd` days before asOf, give or take the month-end clamping.
 */
function disbursementDate(
  ctx: Context,
  rng: Rng,
  behaviour: Behaviour,
  term: number,
): { disbursed: DayNumber; missedSeq?: number } {
  if (behaviour === 'on_time' || behaviour === 'overpay') {
    return { disbursed: intBetween(rng, ctx.earliestDisbursement, ctx.asOf) };
  }
  if (behaviour === 'early_payoff') return { disbursed: intBetween(rng, ctx.earliestDisbursement, ctx.asOf - 7) };
  const [lo, hi] = TARGET_DPD[behaviour];
  // Past 180 days, fewer loans the older: charge-offs and sales thin the tail.
  const dpd = behaviour === 'M6+' ? lo + Math.floor(rng() ** 1.5 * (hi - lo + 1)) : intBetween(rng, lo, hi);
  const due = ctx.asOf - dpd;
  let maxSeq = 0;
  while (maxSeq < term && addMonthsClamped(due, -(maxSeq + 1)) >= ctx.earliestDisbursement) maxSeq++;
  const missedSeq = intBetween(rng, 1, Math.max(1, maxSeq));
  return { disbursed: addMonthsClamped(due, -missedSeq), missedSeq };
}

interface PlannedPayment {
  readonly day: DayNumber;
  readonly amount: Fen;
}

function planPayments(
  ctx: Context,
  rng: Rng,
  behaviour: Behaviour,
  disbursed: DayNumber,
  schedule: readonly ScheduledInstallment[],
  missedSeq: number | undefined,
): PlannedPayment[] {
  const payments: PlannedPayment[] = [];
  const add = (day: DayNumber, amount: Fen) => {
    if (day <= ctx.asOf && amount > 0) payments.push({ day, amount });
  };
  // On or a few days before the due date; now and then a few days late, or in two parts.
  const payInstallment = (inst: ScheduledInstallment, allowLate: boolean, extra: Fen = 0) => {
    const late = allowLate && chance(rng, 0.05) ? intBetween(rng, 1, 7) : 0;
    const day = late > 0 && inst.due + late <= ctx.asOf ? inst.due + late : inst.due - (chance(rng, 0.35) ? 0 : intBetween(rng, 1, 5));
    const amount = inst.total + extra;
    if (chance(rng, 0.06) && amount >= 200) {
      const first = partOf(rng, amount, 0.3, 0.7);
      add(day - intBetween(rng, 1, 3), first);
      add(day, amount - first);
    } else {
      add(day, amount);
    }
  };

  switch (behaviour) {
    case 'on_time':
      for (const inst of schedule) payInstallment(inst, true);
      break;
    case 'overpay':
      for (const inst of schedule) {
        const roundedUp = Math.ceil((inst.total + 1) / 1000) * 1000 - inst.total; // up to the next 10 yuan
        payInstallment(inst, false, chance(rng, 0.5) ? roundedUp : intBetween(rng, 1, 500));
      }
      break;
    case 'early_payoff': {
      const last = schedule[schedule.length - 1];
      const payoff = intBetween(rng, disbursed + 3, Math.min(ctx.asOf, last.due - 1));
      let outstanding = 0;
      for (const inst of schedule) {
        if (inst.due < payoff) payInstallment(inst, false);
        else outstanding += inst.total;
      }
      add(payoff, outstanding + (chance(rng, 0.3) ? intBetween(rng, 1, 2000) : 0));
      break;
    }
    default: {
      // Pays until the missed installment, then stops; sometimes pays part of it afterwards, never all of it.
      const missed = (missedSeq ?? 1) - 1;
      for (let i = 0; i < missed; i++) payInstallment(schedule[i], true);
      const inst = schedule[missed];
      if (chance(rng, 0.4) && inst.total >= 200) {
        const part = partOf(rng, inst.total, 0.1, 0.8);
        const from = Math.min(ctx.asOf, Math.max(disbursed + 1, inst.due - 2));
        if (chance(rng, 0.25) && part >= 200) {
          const first = partOf(rng, part, 0.3, 0.7);
          add(intBetween(rng, from, ctx.asOf), first);
          add(intBetween(rng, from, ctx.asOf), part - first);
        } else {
          add(intBetween(rng, from, ctx.asOf), part);
        }
      }
    }
  }
  return payments.sort((a, b) => a.day - b.day);
}

/** A part of `amount` between the two fractions, in whole yuan, at least 1 yuan and less than the whole. */
function partOf(rng: Rng, amount: Fen, from: number, to: number): Fen {
  const raw = Math.floor((amount * (from + rng() * (to - from))) / 100) * 100;
  return Math.min(Math.max(raw, 100), amount - 1);
}

/** Seconds after local midnight: mostly daytime, some late at night, a few just after midnight. */
function timeOfDay(rng: Rng): number {
  const u = rng();
  const seconds = intBetween(rng, 0, 3599);
  if (u < 0.06) return 23 * 3600 + 30 * 60 + (seconds % 1800); // 23:30-23:59, the day's last minutes
  if (u < 0.14) return intBetween(rng, 21, 22) * 3600 + seconds;
  if (u < 0.18) return intBetween(rng, 0, 1) * 3600 + seconds;
  return intBetween(rng, 7, 20) * 3600 + seconds;
}

/** `2024-05-31T23:58:07+08:00` for a local date and time in the zone; offsets cached per day. */
function localTimestampFormatter(zone: IANAZone): (day: DayNumber, secondOfDay: number) => string {
  const offsetAt = (localMs: number) => {
    const guess = zone.offset(localMs);
    return zone.offset(localMs - guess * 60_000);
  };
  const wholeDay = new Map<DayNumber, number | null>();
  return (day, secondOfDay) => {
    const dayMs = day * 86_400_000;
    let offset = wholeDay.get(day);
    if (offset === undefined) {
      const start = offsetAt(dayMs);
      offset = start === offsetAt(dayMs + 86_399_000) ? start : null; // null: the offset changes that day
      wholeDay.set(day, offset);
    }
    const minutes = offset ?? offsetAt(dayMs + secondOfDay * 1000);
    const c = civil(day);
    const hh = Math.floor(secondOfDay / 3600);
    const mm = Math.floor((secondOfDay % 3600) / 60);
    const ss = secondOfDay % 60;
    const sign = minutes < 0 ? '-' : '+';
    const abs = Math.abs(minutes);
    return (
      `${c.year}-${pad2(c.month)}-${pad2(c.day)}T${pad2(hh)}:${pad2(mm)}:${pad2(ss)}` +
      `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`
    );
  };
}

/**
 * Streams the portfolio into borrowers.csv, contacts.csv, loans.csv, installments.csv and payments.csv in `dir`
 * (created if missing): header row, LF line ends. Rows are formatted by csv-stringify in batches (a third of the
 * cost of one stream write per row) and generation waits whenever a file is not draining, so memory stays flat.
 */
export async function writeDemoCsv(
  dir: string,
  opts: DemoOptions,
): Promise<{ files: Record<DemoFile, string>; counts: Record<string, number> }> {
  const portfolio = generateDemoPortfolio(opts); // checks the options before anything touches the disk
  await mkdir(dir, { recursive: true });

  let failure: unknown;
  const sinks = DEMO_FILES.map((name) => {
    const path = resolve(dir, `${name}.csv`);
    const columns = DEMO_COLUMNS[name];
    const out = createWriteStream(path);
    out.on('error', (error: unknown) => {
      failure ??= error;
    });
    out.write(stringifyRows([columns]));
    return { name, path, columns, out, rows: [] as string[][], count: 0 };
  });

  const flush = (sink: (typeof sinks)[number]): boolean => {
    const ok = sink.out.write(stringifyRows(sink.rows));
    sink.rows = [];
    return ok;
  };

  try {
    for (const bundle of portfolio) {
      if (failure !== undefined) throw failure;
      const waits: Promise<unknown>[] = [];
      for (const sink of sinks) {
        const records = sink.name === 'borrowers' ? [bundle.borrower] : bundle[sink.name];
        for (const record of records) sink.rows.push(sink.columns.map((column) => record[column]));
        sink.count += records.length;
        if (sink.rows.length >= CSV_BATCH_ROWS && !flush(sink)) waits.push(once(sink.out, 'drain'));
      }
      if (waits.length > 0) await Promise.all(waits);
    }
    for (const sink of sinks) {
      if (sink.rows.length > 0) flush(sink);
      sink.out.end();
    }
    await Promise.all(sinks.map((sink) => finished(sink.out)));
    if (failure !== undefined) throw failure;
  } catch (error) {
    for (const sink of sinks) sink.out.destroy();
    throw error;
  }
  return {
    files: Object.fromEntries(sinks.map((s) => [s.name, s.path])) as Record<DemoFile, string>,
    counts: Object.fromEntries(sinks.map((s) => [s.name, s.count])),
  };
}

const CSV_BATCH_ROWS = 2048;

function stringifyRows(rows: readonly (readonly string[])[]): string {
  return stringify(rows as string[][], { record_delimiter: 'unix' });
}
