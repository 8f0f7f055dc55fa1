// Validation of ledger rows as they arrive from a CSV file or a JSON body: each field is checked
// and converted (amounts to fen, instants to UTC), and a bad field is named with its problem.
import { DateTime, IANAZone } from 'luxon';
import { isValidIsoDate } from '../dates.js';
import { parseYuan, type Fen } from '../money.js';
import { validateChineseIdNumber, validateE164 } from '../identity/index.js';

export type RowResult<T> = { ok: true; value: T } | { ok: false; column: string; reason: string };

export const RELATIONS = ['guarantor', 'spouse', 'parent', 'relative', 'friend', 'colleague', 'emergency_contact'] as const;
export const LOCALES = ['zh-CN', 'en'] as const;

export interface BorrowerRow {
  borrowerId: string;
  name: string;
  idNumber: string | null;
  phone: string;
  email: string | null;
  timezone: string;
  locale: string;
  address: string | null;
}
export interface ContactRow {
  contactId: string;
  borrowerId: string;
  relation: string;
  name: string;
  phone: string;
}
export interface LoanRow {
  loanId: string;
  borrowerId: string;
  productId: string;
  principal: Fen;
  /** Exact decimal text, normalized ("0.18" → "0.18000000"). */
  annualRate: string;
  disbursedOn: string;
  currency: string;
}
export interface InstallmentRow {
  loanId: string;
  seq: number;
  dueOn: string;
  principal: Fen;
  interest: Fen;
  fee: Fen;
}
export interface PaymentRow {
  paymentId: string;
  loanId: string;
  /** UTC ISO instant. */
  paidAt: string;
  amount: Fen;
}

export const LEDGER_COLUMNS = {
  borrowers: { required: ['borrower_id', 'name', 'id_number', 'phone', 'email', 'timezone', 'locale'], optional: ['address'] },
  contacts: { required: ['contact_id', 'borrower_id', 'relation', 'name', 'phone'], optional: [] },
  loans: { required: ['loan_id', 'borrower_id', 'product_id', 'principal', 'annual_rate', 'disbursed_on', 'currency'], optional: [] },
  installments: { required: ['loan_id', 'seq', 'due_on', 'principal', 'interest', 'fee'], optional: [] },
  payments: { required: ['payment_id', 'loan_id', 'paid_at', 'amount'], optional: [] },
} as const;
export type LedgerKind = keyof typeof LEDGER_COLUMNS;
export const LEDGER_KINDS = Object.keys(LEDGER_COLUMNS) as LedgerKind[];

type Raw = Readonly<Record<string, string | undefined>>;

class FieldError {
  constructor(
    readonly column: string,
    readonly reason: string,
  ) {}
}

function text(raw: Raw, column: string): string {
  const v = (raw[column] ?? '').trim();
  // PostgreSQL cannot store NUL, and no field of these files has a use for control characters
  // (a line break inside an address is allowed).
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v)) throw new FieldError(column, 'contains control characters');
  return v;
}

function required(raw: Raw, column: string, max = 200): string {
  const v = text(raw, column);
  if (v === '') throw new FieldError(column, 'is required');
  if (v.length > max) throw new FieldError(column, `is longer than ${max} characters`);
  return v;
}

function id(raw: Raw, column: string): string {
  const v = required(raw, column, 64);
  if (/[\u0000-\u001f]/.test(v)) throw new FieldError(column, 'contains control characters');
  return v;
}

function optional(raw: Raw, column: string, max = 500): string | null {
  const v = text(raw, column);
  if (v.length > max) throw new FieldError(column, `is longer than ${max} characters`);
  return v === '' ? null : v;
}

function phone(raw: Raw, column: string): string {
  const v = required(raw, column);
  const r = validateE164(v);
  if (!r.ok) throw new FieldError(column, r.reason);
  return v;
}

function amount(raw: Raw, column: string, { positive = false } = {}): Fen {
  const r = parseYuan(required(raw, column));
  if (!r.ok) throw new FieldError(column, r.reason);
  if (positive && r.value === 0) throw new FieldError(column, 'must be greater than 0');
  return r.value;
}

function isoDate(raw: Raw, column: string): string {
  const v = required(raw, column);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new FieldError(column, `"${v}" is not a date in the form YYYY-MM-DD`);
  if (!isValidIsoDate(v)) throw new FieldError(column, `${v} is not a date that exists`);
  return v;
}

// Hours 00-23, minutes and seconds 00-59, and an offset within the ±14:00 that time zones use.
const INSTANT =
  /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-](0\d|1[0-4]):?[0-5]\d)$/;

function instant(raw: Raw, column: string): string {
  const v = required(raw, column);
  if (!INSTANT.test(v)) throw new FieldError(column, `"${v}" is not an ISO-8601 instant with an offset or Z`);
  const dt = DateTime.fromISO(v, { setZone: true });
  if (!dt.isValid) throw new FieldError(column, `${v} is not an instant that exists`);
  // Luxon rolls over impossible dates in some versions; the date part must survive unchanged.
  if (!isValidIsoDate(v.slice(0, 10))) throw new FieldError(column, `${v.slice(0, 10)} is not a date that exists`);
  return dt.toUTC().toISO()!;
}

function catching<T>(fn: () => T): RowResult<T> {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    if (err instanceof FieldError) return { ok: false, column: err.column, reason: err.reason };
    throw err;
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateBorrower(raw: Raw, lenderTimezone: string): RowResult<BorrowerRow> {
  return catching(() => {
    const idNumber = optional(raw, 'id_number', 18);
    if (idNumber !== null) {
      const r = validateChineseIdNumber(idNumber);
      if (!r.ok) throw new FieldError('id_number', r.reason);
    }
    const email = optional(raw, 'email', 254);
    // Personal values are never echoed in errors: they would reach logs and responses.
    if (email !== null && !EMAIL.test(email)) throw new FieldError('email', 'is not an email address');
    const tz = optional(raw, 'timezone', 64) ?? lenderTimezone;
    if (!IANAZone.isValidZone(tz)) throw new FieldError('timezone', `"${tz}" is not an IANA time zone such as Asia/Shanghai`);
    const locale = required(raw, 'locale');
    if (!(LOCALES as readonly string[]).includes(locale)) throw new FieldError('locale', `must be zh-CN or en, not "${locale}"`);
    return {
      borrowerId: id(raw, 'borrower_id'),
      name: required(raw, 'name', 100),
      idNumber: idNumber?.toUpperCase() ?? null,
      phone: phone(raw, 'phone'),
      email,
      timezone: tz,
      locale,
      address: optional(raw, 'address'),
    };
  });
}

export function validateContact(raw: Raw): RowResult<ContactRow> {
  return catching(() => {
    const relation = required(raw, 'relation');
    if (!(RELATIONS as readonly string[]).includes(relation)) {
      throw new FieldError('relation', `must be one of ${RELATIONS.join(', ')}, not "${relation}"`);
    }
    return {
      contactId: id(raw, 'contact_id'),
      borrowerId: id(raw, 'borrower_id'),
      relation,
      name: required(raw, 'name', 100),
      phone: phone(raw, 'phone'),
    };
  });
}

const RATE = /^(\d{1,3})(?:\.(\d{1,8}))?$/;

export function validateLoan(raw: Raw): RowResult<LoanRow> {
  return catching(() => {
    const rate = required(raw, 'annual_rate');
    const m = RATE.exec(rate);
    if (!m) throw new FieldError('annual_rate', `"${rate}" is not a fraction such as 0.18 (for 18%)`);
    if (Number(m[1]) >= 10) throw new FieldError('annual_rate', `${rate} is too high: give a fraction, 0.18 means 18%`);
    const currency = required(raw, 'currency');
    if (!/^[A-Z]{3}$/.test(currency)) throw new FieldError('currency', `"${currency}" is not an ISO 4217 code such as CNY`);
    return {
      loanId: id(raw, 'loan_id'),
      borrowerId: id(raw, 'borrower_id'),
      productId: id(raw, 'product_id'),
      principal: amount(raw, 'principal', { positive: true }),
      annualRate: `${Number(m[1])}.${(m[2] ?? '').padEnd(8, '0')}`,
      disbursedOn: isoDate(raw, 'disbursed_on'),
      currency,
    };
  });
}

export function validateInstallment(raw: Raw): RowResult<InstallmentRow> {
  return catching(() => {
    const seqText = required(raw, 'seq');
    if (!/^\d{1,4}$/.test(seqText) || Number(seqText) < 1) throw new FieldError('seq', `"${seqText}" is not a positive whole number`);
    return {
      loanId: id(raw, 'loan_id'),
      seq: Number(seqText),
      dueOn: isoDate(raw, 'due_on'),
      principal: amount(raw, 'principal'),
      interest: amount(raw, 'interest'),
      fee: amount(raw, 'fee'),
    };
  });
}

export function validatePayment(raw: Raw): RowResult<PaymentRow> {
  return catching(() => ({
    paymentId: id(raw, 'payment_id'),
    loanId: id(raw, 'loan_id'),
    paidAt: instant(raw, 'paid_at'),
    amount: amount(raw, 'amount', { positive: true }),
  }));
}

/** The local date of an instant in a zone: the date a payment counts from. */
export function localDate(instantIso: string, zone: string): string {
  return DateTime.fromISO(instantIso, { zone }).toISODate()!;
}
