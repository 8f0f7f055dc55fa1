import type { Fen } from '../money.js';
import type { IsoDate } from '../dates.js';

export interface ScheduledInstallment {
  seq: number;
  dueOn: IsoDate;
  principal: Fen;
  interest: Fen;
  fee: Fen;
}

export interface InstallmentPaid {
  seq: number;
  fee: Fen;
  interest: Fen;
  principal: Fen;
}

export interface Allocation {
  parts: InstallmentPaid[];
  /** Money beyond every installment, kept on the loan. */
  credit: Fen;
}

/** The oldest installment is paid first: by due date, then sequence. */
export function inPaymentOrder<T extends ScheduledInstallment>(installments: readonly T[]): T[] {
  return [...installments].sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.seq - b.seq));
}

export function installmentTotal(i: ScheduledInstallment): Fen {
  return i.principal + i.interest + i.fee;
}

/**
 * Allocates `amount` on top of `alreadyPaid` to the schedule. Within an installment the order is
 * fee, interest, principal. Because every payment fills the same line from the oldest amount
 * due, the schedule seen as one line of components lets a payment be one interval on that line:
 * the sum of any payments allocates exactly as the payments one after another.
 */
export function allocate(schedule: readonly ScheduledInstallment[], alreadyPaid: Fen, amount: Fen): Allocation {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new Error(`invalid amount ${amount}`);
  const from = alreadyPaid;
  const to = alreadyPaid + amount;
  const parts: InstallmentPaid[] = [];
  let cursor = 0;
  for (const inst of inPaymentOrder(schedule)) {
    const part: InstallmentPaid = { seq: inst.seq, fee: 0, interest: 0, principal: 0 };
    for (const component of ['fee', 'interest', 'principal'] as const) {
      const start = cursor;
      const end = cursor + inst[component];
      cursor = end;
      const covered = Math.max(0, Math.min(end, to) - Math.max(start, from));
      part[component] = covered;
    }
    if (part.fee + part.interest + part.principal > 0) parts.push(part);
  }
  const credit = Math.max(0, to - Math.max(from, cursor));
  return { parts, credit };
}

/** What each installment has received once `totalPaid` has been allocated. */
export function paidByInstallment(schedule: readonly ScheduledInstallment[], totalPaid: Fen): Allocation {
  return allocate(schedule, 0, totalPaid);
}
