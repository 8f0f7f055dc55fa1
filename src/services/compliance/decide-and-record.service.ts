// Decide and record, atomically (COMPLIANCE.md: "the database part only supplies the history and
// makes decide-and-record atomic"). In one transaction: lock the borrower's contact state, read
// the history the policy needs from stored attempts, decide with the pure gate, store the
// decision and, when allowed, the attempt. Two agents dialling the same borrower take turns at
// the lock, so the second one sees the first one's attempt and can never take the same last slot.
import { DbError, type Database } from '../../db/client.js';
import { contactAttemptsRepository, type StoredAttempt, type StoredDecision } from '../../db/repositories/contact-attempts.repository.js';
import {
  OUTCOMES,
  decide,
  type Channel,
  type ContactRequest,
  type Decision,
  type Direction,
  type Flag,
  type HistoryItem,
  type HoursOfDay,
  type Outcome,
  type Party,
  type Policy,
  type Purpose,
  type Reason,
  type Weekday,
} from '../../domain/compliance/index.js';
import { formatInstant, parseInstant, zoneNamed } from '../../domain/compliance/time.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../errors.js';
import { parseContactRequest } from './contact-request.schema.js';
import { lenderPolicy } from './lender-policy.js';

const repo = contactAttemptsRepository();

const CALL_CHANNELS: ReadonlySet<string> = new Set(['call', 'voice_robot']);
const DAY_MS = 86_400_000;

export interface DecideAndRecordInput {
  /** The lender's borrower id (`external_id`). */
  borrowerId: string;
  /** An internal case id of this borrower, when the contact belongs to a case. */
  caseId?: number | null;
  /** A retry with the same key returns the first answer instead of deciding again. */
  idempotencyKey?: string | null;
  /** The gate's clock; default: the server's clock, read once the borrower is locked. */
  at?: string;
  channel: Channel;
  party?: Party;
  purpose?: Purpose;
  direction?: Direction;
  number?: string | null;
  contact?: { relation: string; refused?: boolean; timezone?: string } | null;
  content?: string | null;
  /** Until borrower flags and preferences are stored (a later issue), the caller passes them; the time zone comes from the borrower. */
  borrower?: {
    flags?: Flag[];
    optOuts?: Channel[];
    preferredHours?: HoursOfDay | null;
    quietDays?: Weekday[];
    alsoTimezones?: string[];
  };
}

export interface RecordedDecision {
  decisionId: number;
  /** The attempt the decision allowed (pending until its outcome is recorded); null when refused. */
  attemptId: number | null;
  decision: Decision;
  policyVersion: string;
  /** The request's `at`. */
  at: string;
  /** True when this is the stored answer to an earlier call with the same idempotency key. */
  replayed: boolean;
}

export interface ServiceClock {
  now?: () => Date;
}

/** What per-number limits are counted by. Separators people type are not part of a number. */
export function numberKey(number: string | null | undefined): string | null {
  if (number == null) return null;
  const key = number.replace(/[\s\-().]/g, '');
  return key === '' ? null : key;
}

/**
 * The number as stored and compared: its keyed blind index, so attempts and decisions can be
 * counted per number without a phone number in clear anywhere in the database.
 */
function numberIndex(deps: Pick<Deps, 'vault'>, number: string | null | undefined): string | null {
  const key = numberKey(number);
  return key === null ? null : deps.vault.index(key);
}

/**
 * How far back the policy looks: Reg F's 7 consecutive local days, or the lender's longer
 * conversation wait, plus two days for the distance between an instant and the start of its
 * local day in any zone.
 */
export function lookBackDays(policy: Policy): number {
  return Math.max(7, policy.limits.conversationWaitDays ?? 0) + 2;
}

/**
 * A stored attempt as the gate's history. A pending call counts as a conversation until its
 * outcome is known: it may well be one, and counting it otherwise would let a second agent take
 * the day's last conversation while the first is still talking. Another borrower's call to the
 * same number is given an outcome that counts only toward the per-number attempt limit
 * (GB/T 45251: every attempt to the number counts), never toward this borrower's conversations
 * or calls to the person.
 */
export function historyItem(a: StoredAttempt): HistoryItem {
  if (!a.own) {
    return { at: a.at, channel: a.channel as Channel, party: 'third_party', number: a.number_key, direction: 'outbound', outcome: 'failed' };
  }
  const pending: Outcome = CALL_CHANNELS.has(a.channel) ? 'conversation' : 'delivered';
  return {
    at: a.at,
    channel: a.channel as Channel,
    party: a.party as Party,
    number: a.number_key,
    direction: a.direction as Direction,
    outcome: (a.outcome as Outcome | null) ?? pending,
  };
}

function invalid(field: string, message: string): AppError {
  return new AppError('validation', 'REQUEST.INVALID', message, [{ field, message }]);
}

function replay(deps: Deps, stored: StoredDecision, input: DecideAndRecordInput, borrowerId: number): RecordedDecision {
  const request = stored.request as ContactRequest;
  const same =
    stored.borrower_id === borrowerId &&
    request.channel === input.channel &&
    request.party === (input.party ?? 'borrower') &&
    request.purpose === (input.purpose ?? 'collection') &&
    (request.number ?? null) === numberIndex(deps, input.number);
  if (!same) {
    throw new AppError(
      'conflict',
      'CONTACT.IDEMPOTENCY_KEY_REUSED',
      'this idempotency key was used for a different contact request',
      [{ field: 'idempotencyKey', message: 'already used for a different contact request' }],
    );
  }
  const next = stored.next_allowed_at === null ? null : parseInstant(stored.next_allowed_at);
  return {
    decisionId: stored.id,
    attemptId: stored.attempt_id,
    decision: {
      allowed: stored.allowed,
      reasons: stored.reasons as Reason[],
      // The gate writes nextAllowedAt in the borrower's zone; the database keeps the instant.
      nextAllowedAt: next === null ? null : formatInstant(next, zoneNamed(request.borrower.timezone)),
    },
    policyVersion: stored.policy_version,
    at: request.at,
    replayed: true,
  };
}

function isUniqueViolation(err: unknown, column: string): boolean {
  return err instanceof DbError && err.code === '23505' && (err.constraint ?? err.message).includes(column);
}

/** Decides a contact request against the stored history and records the decision, in one transaction. */
export async function decideAndRecord(deps: Deps, input: DecideAndRecordInput, clock: ServiceClock = {}): Promise<RecordedDecision> {
  const key = input.idempotencyKey ?? null;
  if (key !== null && (key.length === 0 || key.length > 200)) throw invalid('idempotencyKey', 'idempotencyKey must be 1-200 characters');
  if (input.caseId != null && !Number.isInteger(input.caseId)) throw invalid('caseId', 'caseId must be a whole number');
  const policy = lenderPolicy(deps.config.policy);
  try {
    return await deps.db.transaction((tx) => decideLocked(deps, tx, policy, input, key, clock));
  } catch (err) {
    // Two borrowers' requests racing with one key: the loser is told, nothing is written twice.
    if (isUniqueViolation(err, 'idempotency_key')) {
      throw new AppError('conflict', 'CONTACT.IDEMPOTENCY_KEY_REUSED', 'this idempotency key was used for a different contact request', [
        { field: 'idempotencyKey', message: 'already used for a different contact request' },
      ]);
    }
    throw err;
  }
}

async function decideLocked(
  deps: Deps,
  tx: Database,
  policy: Policy,
  input: DecideAndRecordInput,
  key: string | null,
  clock: ServiceClock,
): Promise<RecordedDecision> {
  const borrower = await repo.findBorrower(tx, input.borrowerId, input.caseId ?? null);
  if (!borrower) throw new AppError('not_found', 'BORROWER.NOT_FOUND', `no borrower ${input.borrowerId}`);
  if (input.caseId != null && borrower.case_id === null) {
    throw invalid('caseId', `caseId ${input.caseId} is not a case of borrower ${input.borrowerId}`);
  }
  await repo.lockBorrower(tx, borrower.id);

  if (key !== null) {
    const stored = await repo.findDecisionByKey(tx, key);
    if (stored) return replay(deps, stored, input, borrower.id);
  }

  const at = input.at ?? (clock.now ?? (() => new Date()))().toISOString();
  const parsed = parseContactRequest({
    at,
    channel: input.channel,
    party: input.party,
    purpose: input.purpose,
    number: numberIndex(deps, input.number),
    direction: input.direction,
    borrower: { ...input.borrower, timezone: borrower.timezone },
    contact: input.contact,
    content: input.content,
  });
  if (!parsed.ok) throw invalid(parsed.error.field, parsed.error.message);
  const request = parsed.request;
  const atMs = parseInstant(request.at)!;

  // GB/T 45251 counts attempts per number, whoever the number belongs to: lock the number too.
  const nk = request.number ?? null;
  const perNumber =
    nk !== null && request.direction === 'outbound' && CALL_CHANNELS.has(request.channel) && policy.limits.dailyAttemptsPerNumber !== null;
  if (perNumber) await repo.lockNumber(tx, nk);

  const stored = await repo.history(tx, {
    borrowerId: borrower.id,
    since: new Date(atMs - lookBackDays(policy) * DAY_MS).toISOString(),
    until: request.at,
    numberKey: perNumber ? nk : null,
  });
  const decided: ContactRequest = { ...request, history: stored.map(historyItem) };
  const decision = decide(decided, policy);

  const ids = await repo.insertDecision(tx, {
    borrowerId: borrower.id,
    caseId: borrower.case_id,
    allowed: decision.allowed,
    reasons: decision.reasons,
    nextAllowedAt: decision.nextAllowedAt,
    policyVersion: policy.version,
    // The stored request keeps what the decision rests on; the text sent is sealed like other personal data.
    request: { ...decided, content: decided.content == null ? null : deps.vault.encrypt(decided.content) },
    at: request.at,
    idempotencyKey: key,
    attempt: {
      channel: request.channel,
      party: request.party,
      purpose: request.purpose,
      direction: request.direction,
      number: input.number == null ? null : deps.vault.encrypt(input.number),
      numberKey: nk,
      contactRelation: request.contact?.relation ?? null,
    },
  });
  return { ...ids, decision, policyVersion: policy.version, at: request.at, replayed: false };
}

export interface RecordedOutcome {
  attemptId: number;
  outcome: Outcome;
}

/**
 * Records what came of an allowed attempt, once. Recording the same outcome again is a no-op (a
 * retried webhook); a different one is refused, since earlier decisions were taken on the first.
 */
export async function recordOutcome(deps: Deps, attemptId: number, outcome: Outcome, clock: ServiceClock = {}): Promise<RecordedOutcome> {
  if (!(OUTCOMES as readonly string[]).includes(outcome)) {
    throw invalid('outcome', `outcome must be one of ${OUTCOMES.join(', ')}`);
  }
  return deps.db.transaction(async (tx) => {
    const attempt = await repo.findAttempt(tx, attemptId);
    if (!attempt) throw new AppError('not_found', 'CONTACT.ATTEMPT_NOT_FOUND', `no contact attempt ${attemptId}`);
    // The borrower's lock orders this change with the decisions that count it.
    await repo.lockBorrower(tx, attempt.borrower_id);
    const at = (clock.now ?? (() => new Date()))().toISOString();
    if (await repo.setOutcome(tx, attemptId, outcome, at)) return { attemptId, outcome };
    const now = await repo.findAttempt(tx, attemptId);
    if (now?.outcome === outcome) return { attemptId, outcome };
    throw new AppError('conflict', 'CONTACT.OUTCOME_ALREADY_RECORDED', `contact attempt ${attemptId} already has the outcome ${now?.outcome}`, [
      { field: 'outcome', message: `already recorded as ${now?.outcome}` },
    ]);
  });
}
