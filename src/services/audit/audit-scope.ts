// What one API request or CLI command did, collected while it runs and recorded as one event.
//
// Why an explicit object passed as an optional argument, not AsyncLocalStorage: the services
// that write take `audit?: AuditScope` and append inside their own transaction, so the reader of
// a service sees where its event comes from, tests build a scope and pass it, and nothing
// depends on async context surviving PGlite's worker hop or a library's callbacks. The HTTP
// plugin carries one per request as `request.audit`; the CLI's withDatabase gives one per command
// as `ctx.audit`.
//
// Memory and size are bounded whatever the work: per kind, up to SAMPLE ids are kept as a list;
// beyond that only a count and the first and last id, so a million-row import records
// `{"payments":{"count":1000000,"first":"P1","last":"P999"}}`.
import { storableText, type JsonValue } from '../../domain/audit/chain.js';

const SAMPLE = 100;
const MAX_ID_LENGTH = 200;

export interface AuditActor {
  /** A username, `token:<name>`, `cli:<os user>`, or `anonymous`. */
  name: string;
  userId: number | null;
}

export const ANONYMOUS: AuditActor = { name: 'anonymous', userId: null };

/** An event as a caller describes it; the service adds id, time and hashes. */
export interface NewAuditEvent {
  actor: string;
  actorUserId: number | null;
  action: string;
  outcome: string;
  records: { [kind: string]: JsonValue };
  source: string;
  reason?: string | null;
  requestId?: string | null;
  /** ISO instant; default: the database's clock when appended. */
  at?: string;
}

interface Touched {
  ids: string[];
  seen: Set<string>;
  count: number;
  first: string;
  last: string;
}

export class AuditScope {
  private readonly touched = new Map<string, Touched>();
  private readonly notes = new Map<string, JsonValue>();
  private _recorded = false;
  action: string;
  reason: string | null = null;

  constructor(
    private readonly init: {
      action: string;
      source: string;
      requestId: string | null;
      /** Read when the event is recorded, so an actor set after the scope was made (auth) counts. */
      actor: () => AuditActor | null;
    },
  ) {
    this.action = init.action;
  }

  /** Notes ids this request or command touched, by kind (`borrowers`, `loans`, `payments`…). */
  touch(kind: string, ids: Iterable<string | number>): this {
    let t = this.touched.get(kind);
    for (const raw of ids) {
      const id = storableText(String(raw)).slice(0, MAX_ID_LENGTH);
      if (!t) {
        t = { ids: [], seen: new Set(), count: 0, first: id, last: id };
        this.touched.set(kind, t);
      }
      t.last = id;
      if (t.seen.has(id)) continue;
      // Below the sample size ids are counted once each; beyond it a repeat counts again.
      if (t.seen.size < SAMPLE) {
        t.seen.add(id);
        t.ids.push(id);
      }
      t.count++;
    }
    return this;
  }

  /** A fact about the work that is not an id list: `note('run', {asOf, loansAged})`. No personal data. */
  note(key: string, value: JsonValue): this {
    this.notes.set(key, value);
    return this;
  }

  records(): { [kind: string]: JsonValue } {
    const out: { [kind: string]: JsonValue } = {};
    for (const [kind, t] of this.touched) {
      out[kind] = t.count <= SAMPLE && t.count === t.ids.length ? [...t.ids] : { count: t.count, first: t.first, last: t.last };
    }
    for (const [key, value] of this.notes) out[key] = value;
    return out;
  }

  /** True once this scope's event is committed. */
  get recorded(): boolean {
    return this._recorded;
  }

  markRecorded(): void {
    this._recorded = true;
  }

  event(outcome: string): NewAuditEvent {
    const actor = this.init.actor() ?? ANONYMOUS;
    return {
      actor: actor.name,
      actorUserId: actor.userId,
      action: this.action,
      outcome,
      records: this.records(),
      source: this.init.source,
      reason: this.reason,
      requestId: this.init.requestId,
    };
  }
}
