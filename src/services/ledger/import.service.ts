// Bringing ledger rows in, from a CSV file (streamed) or from JSON. All of a file or nothing:
// one transaction; the first bad row rejects the file, naming file, line, column and reason.
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse';
import type { Database } from '../../db/client.js';
import { LEDGER_SPECS, ledgerRepository, type LedgerSpec } from '../../db/repositories/ledger.repository.js';
import {
  LEDGER_COLUMNS,
  localDate,
  validateBorrower,
  validateContact,
  validateInstallment,
  validateLoan,
  validatePayment,
  type LedgerKind,
  type RowResult,
} from '../../domain/ledger/rows.js';
import type { Deps } from '../../deps.js';
import type { Vault } from '../privacy/vault.js';
import { AppError } from '../errors.js';
import { reageLoans } from '../aging/reage.js';
import { auditedTransaction, type AuditScope } from '../audit/audit.service.js';

const BATCH = 2000;
const ledger = ledgerRepository();

export interface ImportResult {
  kind: LedgerKind;
  rows: number;
  created: number;
  unchanged: number;
  warnings: string[];
}

type Raw = Record<string, string | undefined>;

/** Validates one raw row and returns the values to stage, in the spec's column order. */
function rowValidator(kind: LedgerKind, timezone: string, vault: Vault): (raw: Raw) => RowResult<unknown[]> {
  const map = <T>(r: RowResult<T>, f: (v: T) => unknown[]): RowResult<unknown[]> => (r.ok ? { ok: true, value: f(r.value) } : r);
  // Personal data is sealed before it is staged, so it never reaches the database in clear.
  const sealed = (v: string | null) => (v === null ? [null, null] : [vault.encrypt(v), vault.index(v)]);
  switch (kind) {
    case 'borrowers':
      return (raw) =>
        map(validateBorrower(raw, timezone), (v) => [
          v.borrowerId,
          v.name,
          ...sealed(v.idNumber),
          ...sealed(v.phone),
          ...sealed(v.email === null ? null : v.email.toLowerCase()),
          v.timezone,
          v.locale,
          ...sealed(v.address),
        ]);
    case 'contacts':
      return (raw) => map(validateContact(raw), (v) => [v.contactId, v.borrowerId, v.relation, v.name, ...sealed(v.phone)]);
    case 'loans':
      return (raw) =>
        map(validateLoan(raw), (v) => [v.loanId, v.borrowerId, v.productId, v.principal, v.annualRate, v.disbursedOn, v.currency]);
    case 'installments':
      return (raw) => map(validateInstallment(raw), (v) => [v.loanId, v.seq, v.dueOn, v.principal, v.interest, v.fee]);
    case 'payments':
      return (raw) => map(validatePayment(raw), (v) => [v.paymentId, v.loanId, v.paidAt, localDate(v.paidAt, timezone), v.amount]);
  }
}

/** Receives raw rows one by one, stages them in batches, and finishes the import. */
class Importer {
  private lines: number[] = [];
  private columns: unknown[][];
  private count = 0;
  private readonly validate: (raw: Raw) => RowResult<unknown[]>;
  readonly spec: LedgerSpec;

  constructor(
    private readonly tx: Database,
    private readonly deps: Deps,
    readonly kind: LedgerKind,
    private readonly where: (line: number | null, column: string) => { file?: string; line?: number; field: string },
  ) {
    this.spec = LEDGER_SPECS[kind];
    this.columns = this.spec.columns.map(() => []);
    this.validate = rowValidator(kind, deps.config.timezone, deps.vault);
  }

  async start(): Promise<void> {
    await ledger.createStage(this.tx, this.spec);
  }

  async add(raw: Raw, line: number): Promise<void> {
    const r = this.validate(raw);
    if (!r.ok) throw this.error(line, r.column, r.reason);
    this.lines.push(line);
    r.value.forEach((v, i) => this.columns[i]!.push(v));
    this.count++;
    if (this.lines.length >= BATCH) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.lines.length === 0) return;
    await ledger.stageRows(this.tx, this.spec, this.lines, this.columns);
    this.lines = [];
    this.columns = this.spec.columns.map(() => []);
  }

  error(line: number | null, column: string, reason: string, conflict = false): AppError {
    const at = this.where(line, column);
    const prefix = at.file ? `${at.file}${at.line ? `, line ${at.line}` : ''}, column ${column}: ` : `${at.field}: `;
    return conflict
      ? new AppError('conflict', 'LEDGER.CONFLICT', `${prefix}${reason}`, [{ ...at, message: reason }])
      : new AppError('validation', 'LEDGER.INVALID_ROW', `${prefix}${reason}`, [{ ...at, message: reason }]);
  }

  async finish(): Promise<Omit<ImportResult, 'warnings'>> {
    await this.flush();
    const problem = await ledger.firstProblem(this.tx, this.spec);
    if (problem) throw this.error(problem.line, problem.column, problem.reason, problem.kind === 'conflict');
    const affectedLoans = this.kind === 'installments' || this.kind === 'payments' ? await ledger.stagedLoanIds(this.tx) : [];
    const ids = await ledger.insertNew(this.tx, this.spec);
    // A concurrent writer may have stored the same id meanwhile (the insert skipped it): it must
    // carry the same values, or this is a conflict like any other.
    if (ids.length < this.count) {
      const late = await ledger.firstProblem(this.tx, this.spec);
      if (late) throw this.error(late.line, late.column, late.reason, late.kind === 'conflict');
    }
    if (this.kind === 'payments') await ledger.allocatePayments(this.tx, ids);
    // New installments change their loan's schedule; new payments dated on or before the
    // business date count at once. Later-dated payments wait for the daily run of their date.
    if (this.kind === 'loans') await reageLoans(this.tx, ids);
    if (this.kind === 'installments' && ids.length > 0) await reageLoans(this.tx, [...new Set(ids)]);
    if (this.kind === 'payments' && ids.length > 0) await reageLoans(this.tx, affectedLoans);
    return { kind: this.kind, rows: this.count, created: ids.length, unchanged: this.count - ids.length };
  }
}

/** Imports a CSV file. Unknown columns are ignored with a warning; a missing column is an error on line 1. */
export async function importCsvFile(deps: Deps, kind: LedgerKind, path: string, audit?: AuditScope): Promise<ImportResult> {
  const file = basename(path);
  const warnings: string[] = [];
  // With a scope, the command's one audit event (the row keys as count, first and last) commits with the rows.
  return auditedTransaction(deps.db, audit, async (tx) => {
    const importer = new Importer(tx, deps, kind, (line, column) => ({ file, ...(line ? { line } : {}), field: column }));
    await importer.start();
    const { required, optional } = LEDGER_COLUMNS[kind];
    const known = new Set<string>([...required, ...optional]);
    const parser = createReadStream(path).pipe(
      parse({
        bom: true,
        columns: (header: string[]) => {
          const names = header.map((h) => h.trim());
          for (const col of required) {
            if (!names.includes(col)) throw importer.error(1, col, 'the column is missing from the header');
          }
          for (const n of names) if (!known.has(n)) warnings.push(`${file}: column ${n} is not used and was ignored`);
          return names;
        },
        info: true,
        raw: true,
        skip_empty_lines: true,
      }),
    );
    try {
      // info.lines is the line the record ends on, except that csv-parse counts a CRLF inside a
      // quoted field as two lines; the physical line a record starts on corrects for both.
      let crlfInsideQuotes = 0;
      for await (const { record, info, raw } of parser as AsyncIterable<{ record: Raw; info: { lines: number }; raw: string }>) {
        const body = raw.replace(/\r?\n$/, '');
        crlfInsideQuotes += (body.match(/\r\n/g) ?? []).length;
        const spans = (body.match(/\n/g) ?? []).length;
        await importer.add(record, info.lines - crlfInsideQuotes - spans);
        audit?.touch(kind, [importer.spec.key.map((k) => (record[k] ?? '').trim()).join('#')]);
      }
    } catch (err: any) {
      if (err instanceof AppError) throw err;
      if (err?.code === 'ENOENT') throw new AppError('not_found', 'IMPORT.FILE_NOT_FOUND', `${path}: no such file`);
      if (typeof err?.code === 'string' && err.code.startsWith('CSV_')) {
        const line = err.lines ?? err.info?.lines ?? null;
        throw importer.error(line, err.column ?? '(row)', `not valid CSV: ${err.message}`);
      }
      throw err;
    }
    const result = await importer.finish();
    audit?.note('import', { kind, rows: result.rows, created: result.created, unchanged: result.unchanged });
    return { ...result, warnings };
  });
}

/** Imports rows given as objects keyed by the CSV column names (the JSON API). */
export async function importRows(
  tx: Database,
  deps: Deps,
  kind: LedgerKind,
  rows: readonly Raw[],
  fieldName: (column: string, index: number) => string,
): Promise<ImportResult> {
  const importer = new Importer(tx, deps, kind, (line, column) => ({ field: fieldName(column, (line ?? 1) - 1) }));
  await importer.start();
  for (const [i, raw] of rows.entries()) await importer.add(raw, i + 1);
  return { ...(await importer.finish()), warnings: [] };
}
