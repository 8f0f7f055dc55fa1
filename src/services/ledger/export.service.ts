// The delinquency export as of any date: computed from the ledger, not read from stored state,
// so it equals what a full re-age as of that date would store. Streamed page by page.
import { delinquencyRepository } from '../../db/repositories/delinquency.repository.js';
import { formatYuan } from '../../domain/money.js';
import { isValidIsoDate } from '../../domain/dates.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../errors.js';

const delinquency = delinquencyRepository();
const PAGE = 5000;

export const DELINQUENCY_EXPORT_COLUMNS = [
  'loan_id',
  'dpd',
  'bucket',
  'overdue_principal',
  'overdue_interest',
  'overdue_fee',
  'total_overdue',
] as const;

export async function* exportDelinquency(deps: Deps, asOf: string): AsyncGenerator<string[]> {
  if (!isValidIsoDate(asOf)) {
    throw new AppError('validation', 'EXPORT.INVALID_DATE', `--as-of: ${asOf} is not a date in the form YYYY-MM-DD that exists`, [
      { field: 'asOf', message: 'not a valid date' },
    ]);
  }
  let after: string | null = null;
  for (;;) {
    const page = await delinquency.exportPage(deps.db, asOf, after, PAGE);
    for (const r of page) {
      yield [
        r.external_id,
        String(r.dpd),
        r.bucket,
        formatYuan(r.overdue_principal),
        formatYuan(r.overdue_interest),
        formatYuan(r.overdue_fee),
        formatYuan(r.overdue_principal + r.overdue_interest + r.overdue_fee),
      ];
    }
    if (page.length < PAGE) return;
    after = page[page.length - 1]!.external_id;
  }
}
