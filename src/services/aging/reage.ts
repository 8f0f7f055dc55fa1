import type { Database } from '../../db/client.js';
import { delinquencyRepository } from '../../db/repositories/delinquency.repository.js';
import { ledgerRepository } from '../../db/repositories/ledger.repository.js';

const delinquency = delinquencyRepository();
const ledger = ledgerRepository();

/**
 * Re-ages loans at once, as of the business date, after their schedule or payments changed.
 * Before the first daily run there is no business date and nothing to keep current.
 */
export async function reageLoans(tx: Database, loanIds: readonly number[]): Promise<void> {
  if (loanIds.length === 0) return;
  const businessDate = await ledger.businessDate(tx);
  if (businessDate === null) return;
  const target = { kind: 'loans', loanIds } as const;
  await delinquency.ageAndStore(tx, businessDate, target);
  await delinquency.refreshCases(tx, businessDate, target);
}
