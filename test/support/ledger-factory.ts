// Builds small ledgers through the real import path, from rows keyed by the CSV column names.
import type { Deps } from '../../src/deps.js';
import type { LedgerKind } from '../../src/domain/ledger/rows.js';
import { importRows } from '../../src/services/ledger/import.service.js';

type Raw = Record<string, string>;

export function borrower(n: number, over: Partial<Raw> = {}): Raw {
  return {
    borrower_id: `B${n}`,
    name: `借款人${n}`,
    id_number: '',
    phone: `+86138${String(n).padStart(8, '0')}`,
    email: '',
    timezone: '',
    locale: 'zh-CN',
    address: '',
    ...over,
  };
}

export function loan(n: number, borrowerN: number, over: Partial<Raw> = {}): Raw {
  return {
    loan_id: `L${n}`,
    borrower_id: `B${borrowerN}`,
    product_id: 'default',
    principal: '3000',
    annual_rate: '0.18',
    disbursed_on: '2025-12-15',
    currency: 'CNY',
    ...over,
  };
}

export function installment(loanN: number, seq: number, dueOn: string, over: Partial<Raw> = {}): Raw {
  return { loan_id: `L${loanN}`, seq: String(seq), due_on: dueOn, principal: '1000', interest: '60', fee: '0', ...over };
}

export function payment(id: string, loanN: number, paidAt: string, amount: string): Raw {
  return { payment_id: id, loan_id: `L${loanN}`, paid_at: paidAt, amount };
}

export async function load(deps: Deps, kind: LedgerKind, rows: Raw[]) {
  return deps.db.transaction((tx) => importRows(tx, deps, kind, rows, (c) => c));
}
