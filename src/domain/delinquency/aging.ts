import type { Fen } from '../money.js';
import { addDays, daysBetween, minDate, type IsoDate } from '../dates.js';
import { inPaymentOrder, installmentTotal, paidByInstallment, type ScheduledInstallment } from './allocation.js';
import { bucketFor, type ProductRules } from './product.js';

export interface Delinquency {
  /** Due date of the oldest installment unpaid as of the date; null when nothing is overdue. */
  overdueSince: IsoDate | null;
  dpd: number;
  bucket: string;
  overduePrincipal: Fen;
  overdueInterest: Fen;
  overdueFee: Fen;
  totalOverdue: Fen;
  /**
   * The first date after `asOf` on which this loan's delinquency changes if no payment arrives:
   * an unpaid installment falls due, or dpd crosses into the next bucket. null: never.
   */
  nextChangeOn: IsoDate | null;
  credit: Fen;
}

/**
 * A loan's delinquency as of `asOf`, given the total of its payments that count for that date
 * (paid on or before it in the lender's zone). An installment due on `asOf` itself is not overdue.
 */
export function ageLoan(
  schedule: readonly ScheduledInstallment[],
  totalPaid: Fen,
  asOf: IsoDate,
  product: ProductRules,
): Delinquency {
  const ordered = inPaymentOrder(schedule);
  const { parts, credit } = paidByInstallment(ordered, totalPaid);
  const paid = new Map(parts.map((p) => [p.seq, p]));

  let overdueSince: IsoDate | null = null;
  let nextDue: IsoDate | null = null;
  let overduePrincipal = 0;
  let overdueInterest = 0;
  let overdueFee = 0;
  for (const inst of ordered) {
    const p = paid.get(inst.seq);
    const unpaidFee = inst.fee - (p?.fee ?? 0);
    const unpaidInterest = inst.interest - (p?.interest ?? 0);
    const unpaidPrincipal = inst.principal - (p?.principal ?? 0);
    if (unpaidFee + unpaidInterest + unpaidPrincipal === 0) continue;
    if (inst.dueOn < asOf) {
      overdueSince ??= inst.dueOn;
      overdueFee += unpaidFee;
      overdueInterest += unpaidInterest;
      overduePrincipal += unpaidPrincipal;
    } else {
      nextDue ??= inst.dueOn;
    }
  }

  const dpd = overdueSince === null ? 0 : Math.max(0, daysBetween(overdueSince, asOf) - product.graceDays);
  const bucket = bucketFor(dpd, product.buckets);
  // The day dpd first exceeds this bucket's upper bound.
  const boundary =
    overdueSince === null || bucket.maxDpd === null ? null : addDays(overdueSince, product.graceDays + bucket.maxDpd + 1);
  const nextChangeOn = minDate(nextDue === null ? null : addDays(nextDue, 1), boundary);

  return {
    overdueSince,
    dpd,
    bucket: bucket.code,
    overduePrincipal,
    overdueInterest,
    overdueFee,
    totalOverdue: overduePrincipal + overdueInterest + overdueFee,
    nextChangeOn,
    credit,
  };
}

/** dpd on a later date from the stored overdue-since date, without re-aging. */
export function dpdOn(overdueSince: IsoDate | null, asOf: IsoDate, graceDays: number): number {
  return overdueSince === null ? 0 : Math.max(0, daysBetween(overdueSince, asOf) - graceDays);
}

export function scheduleTotal(schedule: readonly ScheduledInstallment[]): Fen {
  let s = 0;
  for (const i of schedule) s += installmentTotal(i);
  return s;
}
