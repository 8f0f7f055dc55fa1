// The daily run ages the portfolio as of a date. Event-driven by default: only loans whose
// stored next change date has come, or with payments dated since the last run, are touched.
import type { Deps } from '../../deps.js';
import { delinquencyRepository, type AgingTarget } from '../../db/repositories/delinquency.repository.js';
import { ledgerRepository } from '../../db/repositories/ledger.repository.js';
import { isValidIsoDate } from '../../domain/dates.js';
import { AppError } from '../errors.js';
import { auditedTransaction, type AuditScope } from '../audit/audit.service.js';

const delinquency = delinquencyRepository();
const ledger = ledgerRepository();

export interface DailyRunResult {
  asOf: string;
  /** What ran: `full` when asked, or when there is no earlier state to build on. */
  mode: 'event' | 'full';
  previousBusinessDate: string | null;
  loansAged: number;
  casesOpened: number;
  casesClosed: number;
}

export async function runDaily(deps: Deps, asOf: string, options: { full?: boolean; audit?: AuditScope } = {}): Promise<DailyRunResult> {
  if (!isValidIsoDate(asOf)) {
    throw new AppError('validation', 'RUN.INVALID_DATE', `--as-of: ${asOf} is not a date in the form YYYY-MM-DD that exists`, [
      { field: 'asOf', message: 'not a valid date' },
    ]);
  }
  return auditedTransaction(deps.db, options.audit, async (tx) => {
    // One daily run at a time, on PostgreSQL across processes too.
    await tx.query('SELECT pg_advisory_xact_lock($1)', [0x6461696c]);
    const previous = await ledger.businessDate(tx);
    // Stored next-change dates look forward only: going back in time, or starting from nothing,
    // needs a full re-age (which gives the same answer an event-driven run would).
    const full = options.full === true || previous === null || asOf < previous;
    let target: AgingTarget;
    if (full) {
      target = { kind: 'all' };
    } else {
      // A few percent of loans, each reached through its indexes: tell the planner that random
      // reads are cheap (SSD), or it scans whole tables for them.
      await tx.query('SET LOCAL random_page_cost = 1.1');
      await delinquency.materializeDueTargets(tx, asOf, previous);
      target = { kind: 'materialized' };
    }
    const loansAged = await delinquency.ageAndStore(tx, asOf, target);
    const cases = await delinquency.refreshCases(tx, asOf, target);
    await ledger.setBusinessDate(tx, asOf);
    await tx.query(
      `INSERT INTO daily_runs (as_of, mode, finished_at, loans_aged, cases_opened, cases_closed) VALUES ($1, $2, now(), $3, $4, $5)`,
      [asOf, full ? 'full' : 'event', loansAged, cases.opened, cases.closed],
    );
    deps.log.info({ asOf, mode: full ? 'full' : 'event', loansAged, ...cases }, 'daily run finished');
    options.audit?.note('run', { asOf, mode: full ? 'full' : 'event', loansAged, casesOpened: cases.opened, casesClosed: cases.closed });
    return {
      asOf,
      mode: full ? 'full' : 'event',
      previousBusinessDate: previous,
      loansAged,
      casesOpened: cases.opened,
      casesClosed: cases.closed,
    };
  });
}
