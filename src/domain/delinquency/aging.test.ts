import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ageLoan } from './aging.js';
import { allocate, type ScheduledInstallment } from './allocation.js';
import { DEFAULT_PRODUCT, bucketFor, DEFAULT_BUCKETS, validateBuckets } from './product.js';
import { addDays } from '../dates.js';

// Three monthly installments of 1000 principal + 60 interest (+ 5 fee on the first).
const schedule: ScheduledInstallment[] = [
  { seq: 1, dueOn: '2026-01-15', principal: 100000, interest: 6000, fee: 500 },
  { seq: 2, dueOn: '2026-02-15', principal: 100000, interest: 6000, fee: 0 },
  { seq: 3, dueOn: '2026-03-15', principal: 100000, interest: 6000, fee: 0 },
];
const grace3 = { ...DEFAULT_PRODUCT, graceDays: 3 };

describe('ageLoan', () => {
  it.each([
    // [case, asOf, totalPaid, product, dpd, bucket, overdueSince, overdue total, next change]
    ['before the first due date', '2026-01-10', 0, DEFAULT_PRODUCT, 0, 'M0', null, 0, '2026-01-16'],
    ['due today is not overdue', '2026-01-15', 0, DEFAULT_PRODUCT, 0, 'M0', null, 0, '2026-01-16'],
    ['one day after the due date', '2026-01-16', 0, DEFAULT_PRODUCT, 1, 'M1', '2026-01-15', 106500, '2026-02-15'],
    ['30 days: still M1', '2026-02-14', 0, DEFAULT_PRODUCT, 30, 'M1', '2026-01-15', 106500, '2026-02-15'],
    ['31 days: M2, second installment due on that day', '2026-02-15', 0, DEFAULT_PRODUCT, 31, 'M2', '2026-01-15', 106500, '2026-02-16'],
    ['second installment overdue the next day', '2026-02-16', 0, DEFAULT_PRODUCT, 32, 'M2', '2026-01-15', 212500, '2026-03-16'],
    ['61 days: M3', '2026-03-17', 0, DEFAULT_PRODUCT, 61, 'M3', '2026-01-15', 318500, '2026-04-16'],
    ['all due, 181 days: M6+', '2026-07-15', 0, DEFAULT_PRODUCT, 181, 'M6+', '2026-01-15', 318500, null],
    ['180 days: M6', '2026-07-14', 0, DEFAULT_PRODUCT, 180, 'M6', '2026-01-15', 318500, '2026-07-15'],
    ['first paid in full: current', '2026-01-20', 106500, DEFAULT_PRODUCT, 0, 'M0', null, 0, '2026-02-16'],
    ['partly paid: still overdue from the first', '2026-01-20', 106499, DEFAULT_PRODUCT, 5, 'M1', '2026-01-15', 1, '2026-02-15'],
    ['early payment goes to the oldest', '2026-01-01', 50000, DEFAULT_PRODUCT, 0, 'M0', null, 0, '2026-01-16'],
    ['grace: within grace dpd 0 but amounts overdue', '2026-01-18', 0, grace3, 0, 'M0', '2026-01-15', 106500, '2026-01-19'],
    ['grace: day after grace dpd 1', '2026-01-19', 0, grace3, 1, 'M1', '2026-01-15', 106500, '2026-02-16'],
    ['paid off', '2026-04-01', 318500, DEFAULT_PRODUCT, 0, 'M0', null, 0, null],
    ['overpaid keeps credit', '2026-04-01', 320000, DEFAULT_PRODUCT, 0, 'M0', null, 0, null],
  ] as const)('%s', (_name, asOf, paid, product, dpd, bucket, since, total, next) => {
    const d = ageLoan(schedule, paid, asOf, product);
    expect(d.dpd).toBe(dpd);
    expect(d.bucket).toBe(bucket);
    expect(d.overdueSince).toBe(since);
    expect(d.totalOverdue).toBe(total);
    expect(d.nextChangeOn).toBe(next);
  });

  it('splits the overdue amount into principal, interest and fee', () => {
    // 600 fen pays the fee (500) and 100 of interest.
    const d = ageLoan(schedule, 600, '2026-01-16', DEFAULT_PRODUCT);
    expect([d.overdueFee, d.overdueInterest, d.overduePrincipal]).toEqual([0, 5900, 100000]);
  });

  it('keeps money beyond every installment as credit', () => {
    expect(ageLoan(schedule, 320000, '2026-04-01', DEFAULT_PRODUCT).credit).toBe(1500);
  });
});

describe('allocate', () => {
  it('pays fee, then interest, then principal of the oldest installment first', () => {
    expect(allocate(schedule, 0, 7000)).toEqual({
      parts: [{ seq: 1, fee: 500, interest: 6000, principal: 500 }],
      credit: 0,
    });
  });
  it('continues where earlier payments stopped and spills into the next installment', () => {
    expect(allocate(schedule, 106000, 1000)).toEqual({
      parts: [
        { seq: 1, fee: 0, interest: 0, principal: 500 },
        { seq: 2, fee: 0, interest: 500, principal: 0 },
      ],
      credit: 0,
    });
  });
  it('keeps the excess as credit', () => {
    expect(allocate(schedule, 318000, 1000).credit).toBe(500);
  });
});

describe('buckets', () => {
  it.each([
    [0, 'M0'], [1, 'M1'], [30, 'M1'], [31, 'M2'], [60, 'M2'], [61, 'M3'], [90, 'M3'], [91, 'M4'],
    [120, 'M4'], [121, 'M5'], [150, 'M5'], [151, 'M6'], [180, 'M6'], [181, 'M6+'], [5000, 'M6+'],
  ])('dpd %i → %s', (dpd, code) => {
    expect(bucketFor(dpd, DEFAULT_BUCKETS).code).toBe(code);
  });
  it('accepts the defaults and refuses gaps', () => {
    expect(validateBuckets(DEFAULT_BUCKETS)).toBeNull();
    expect(validateBuckets([{ code: 'A', minDpd: 0, maxDpd: 5 }, { code: 'B', minDpd: 7, maxDpd: null }])).toMatch(/start at dpd 6/);
  });
});

const arbSchedule = fc
  .array(
    fc.record({
      gap: fc.integer({ min: 0, max: 40 }),
      principal: fc.integer({ min: 0, max: 200000 }),
      interest: fc.integer({ min: 0, max: 20000 }),
      fee: fc.integer({ min: 0, max: 2000 }),
    }),
    { minLength: 1, maxLength: 8 },
  )
  .map((rows) => {
    let due = '2026-01-01';
    return rows.map((r, i) => {
      due = addDays(due, r.gap);
      return { seq: i + 1, dueOn: due, principal: r.principal, interest: r.interest, fee: r.fee };
    });
  });

describe('properties', () => {
  it('allocation never creates or loses money', () => {
    fc.assert(
      fc.property(arbSchedule, fc.integer({ min: 0, max: 2_000_000 }), fc.integer({ min: 0, max: 500_000 }), (s, before, amount) => {
        const a = allocate(s, before, amount);
        const allocated = a.parts.reduce((t, p) => t + p.fee + p.interest + p.principal, 0);
        expect(allocated + a.credit).toBe(amount);
      }),
    );
  });

  it('two payments allocate exactly as their sum', () => {
    fc.assert(
      fc.property(arbSchedule, fc.nat(500_000), fc.nat(500_000), (s, x, y) => {
        const first = allocate(s, 0, x);
        const second = allocate(s, x, y);
        const both = allocate(s, 0, x + y);
        const seqs = new Set([...first.parts, ...second.parts, ...both.parts].map((p) => p.seq));
        for (const seq of seqs) {
          const get = (a: typeof first) => a.parts.find((p) => p.seq === seq) ?? { fee: 0, interest: 0, principal: 0 };
          for (const c of ['fee', 'interest', 'principal'] as const) {
            expect(get(first)[c] + get(second)[c]).toBe(get(both)[c]);
          }
        }
        expect(first.credit + second.credit).toBe(both.credit);
      }),
    );
  });

  it('paying more never raises dpd', () => {
    fc.assert(
      fc.property(arbSchedule, fc.nat(1_000_000), fc.nat(100_000), fc.integer({ min: 0, max: 400 }), (s, paid, more, day) => {
        const asOf = addDays('2026-01-01', day);
        expect(ageLoan(s, paid + more, asOf, DEFAULT_PRODUCT).dpd).toBeLessThanOrEqual(ageLoan(s, paid, asOf, DEFAULT_PRODUCT).dpd);
      }),
    );
  });

  it('a day later never lowers dpd without a payment', () => {
    fc.assert(
      fc.property(arbSchedule, fc.nat(1_000_000), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 5 }), (s, paid, day, grace) => {
        const product = { ...DEFAULT_PRODUCT, graceDays: grace };
        const asOf = addDays('2026-01-01', day);
        expect(ageLoan(s, paid, addDays(asOf, 1), product).dpd).toBeGreaterThanOrEqual(ageLoan(s, paid, asOf, product).dpd);
      }),
    );
  });

  it('nothing changes before nextChangeOn, and something changes on it', () => {
    fc.assert(
      fc.property(arbSchedule, fc.nat(1_000_000), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 5 }), (s, paid, day, grace) => {
        const product = { ...DEFAULT_PRODUCT, graceDays: grace };
        const asOf = addDays('2026-01-01', day);
        const d = ageLoan(s, paid, asOf, product);
        const stored = (x: typeof d) => [x.overdueSince, x.bucket, x.totalOverdue, x.overduePrincipal, x.overdueInterest, x.overdueFee];
        const horizon = d.nextChangeOn ?? addDays(asOf, 500);
        for (let dt = addDays(asOf, 1); dt < horizon; dt = addDays(dt, 1)) {
          expect(stored(ageLoan(s, paid, dt, product))).toEqual(stored(d));
        }
        if (d.nextChangeOn) expect(stored(ageLoan(s, paid, d.nextChangeOn, product))).not.toEqual(stored(d));
      }),
      { numRuns: 200 },
    );
  });
});
