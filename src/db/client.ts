// One database interface over PostgreSQL (node-postgres) and embedded PGlite (in a worker thread).
// Drizzle sits on top through its pg-proxy driver, which has no transactions of its own: they
// are ours, so both backends get the same transaction semantics.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { drizzle, type PgRemoteDatabase } from 'drizzle-orm/pg-proxy';
import * as schema from './schema/index.js';

export type Orm = PgRemoteDatabase<typeof schema>;

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
  /** Several statements without parameters (migrations). */
  exec(text: string): Promise<void>;
  readonly orm: Orm;
  /** Runs fn in one transaction; inside, use the handle fn receives. Nested calls join the outer one. */
  transaction<T>(fn: (tx: Database) => Promise<T>): Promise<T>;
  readonly inTransaction: boolean;
  close(): Promise<void>;
}

export class DbError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly constraint?: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'DbError';
  }
}

type RawQuery = (text: string, params: readonly unknown[], rowMode: 'array' | 'object') => Promise<QueryResult<any>>;

function makeOrm(raw: RawQuery): Orm {
  return drizzle(
    async (text, params, method) => {
      const r = await raw(text, params, method === 'all' ? 'array' : 'object');
      return { rows: r.rows };
    },
    { schema },
  );
}

// ---------------------------------------------------------------- PostgreSQL

const pgTypes = {
  getTypeParser(oid: number, format?: string) {
    if (oid === 20) return (v: string) => Number(v); // int8: money in fen stays below 2^53
    if (oid === 1082) return (v: string) => v; // date stays YYYY-MM-DD
    if (oid === 1700) return (v: string) => v; // numeric stays exact text
    if (oid === 1184) return (v: string) => new Date(v).toISOString();
    return pg.types.getTypeParser(oid, format as any);
  },
};

function wrapPgError(err: any): never {
  if (err instanceof DbError) throw err;
  throw new DbError(err?.message ?? String(err), err?.code, err?.constraint, err?.detail);
}

export function openPostgres(url: string, poolSize = 10): Database {
  // JIT compilation costs more than it saves on Clement's statements (it added most of a second
  // to an event-driven day measured on 100,000 loans).
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types: pgTypes as any, options: '-c jit=off' });
  pool.on('error', () => {
    /* an idle client died; the pool replaces it */
  });

  const rawOn =
    (q: pg.Pool | pg.PoolClient): RawQuery =>
    async (text, params, rowMode) => {
      try {
        const r = await q.query({ text, values: params as unknown[], rowMode: rowMode === 'array' ? 'array' : undefined } as any);
        return { rows: r.rows, rowCount: r.rowCount ?? r.rows.length };
      } catch (err) {
        wrapPgError(err);
      }
    };

  const make = (raw: RawQuery, client: pg.PoolClient | null): Database => {
    const db: Database = {
      kind: 'postgres',
      inTransaction: client !== null,
      query: (text, params = []) => raw(text, params, 'object'),
      // The simple query protocol runs several statements in one call (no parameters).
      exec: async (text) => {
        await (client ?? pool).query(text).catch(wrapPgError);
      },
      orm: makeOrm(raw),
      transaction: async (fn) => {
        if (client) return fn(db);
        const c = await pool.connect();
        const tx = make(rawOn(c), c);
        try {
          await c.query('BEGIN');
          const result = await fn(tx);
          await c.query('COMMIT');
          return result;
        } catch (err) {
          await c.query('ROLLBACK').catch(() => undefined);
          throw err;
        } finally {
          c.release();
        }
      },
      close: () => pool.end(),
    };
    return db;
  };
  return make(rawOn(pool), null);
}

// ---------------------------------------------------------------- PGlite

/** A FIFO lock: PGlite has one connection, so transactions and single queries take turns. */
class TurnLock {
  private tail: Promise<void> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

export interface EmbeddedDatabase extends Database {
  /** A gzip tarball of the whole data folder, for `clement backup`. */
  dump(): Promise<Uint8Array>;
}

export async function openPglite(pgdataDir: string, load?: Uint8Array): Promise<EmbeddedDatabase> {
  const worker = new Worker(new URL('./pglite.worker.mjs', import.meta.url), { workerData: { dataDir: pgdataDir, load } });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: any) => void; reject: (e: unknown) => void }>();
  let failure: Error | null = null;

  const ready = new Promise<void>((resolve, reject) => {
    worker.once('message', (m) => (m.ready ? resolve() : reject(new Error(`PGlite could not open ${pgdataDir}: ${m.error?.message}`))));
    worker.once('error', reject);
  });
  worker.on('message', (m) => {
    if (m.id === undefined) return;
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error) p.reject(new DbError(m.error.message, m.error.code, m.error.constraint, m.error.detail));
    else p.resolve(m);
  });
  worker.on('error', (err) => {
    failure = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  });
  await ready;

  const send = (msg: Record<string, unknown>): Promise<any> => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...msg, id });
    });
  };
  const direct: RawQuery = async (text, params, rowMode) => {
    const r = await send({ op: 'query', sql: text, params, rowMode });
    return { rows: r.rows, rowCount: r.rowCount };
  };

  const lock = new TurnLock();
  // Marks the async context that holds the connection inside a transaction, so a query sent
  // through the outer handle there (which would wait for its own transaction forever) fails loudly.
  const holder = new AsyncLocalStorage<boolean>();
  const locked: RawQuery = (text, params, rowMode) => {
    if (holder.getStore()) {
      return Promise.reject(new Error('query on the outer database handle inside a transaction: use the transaction handle'));
    }
    return lock.run(() => direct(text, params, rowMode));
  };

  const make = (raw: RawQuery, inTx: boolean): EmbeddedDatabase => {
    const db: EmbeddedDatabase = {
      kind: 'pglite',
      inTransaction: inTx,
      query: (text, params = []) => raw(text, params, 'object'),
      exec: async (text) => {
        if (inTx) await send({ op: 'exec', sql: text });
        else await lock.run(() => send({ op: 'exec', sql: text }));
      },
      orm: makeOrm(raw),
      transaction: async (fn) => {
        if (inTx) return fn(db);
        if (holder.getStore()) throw new Error('nested transaction through the outer handle');
        return lock.run(() =>
          holder.run(true, async () => {
            const tx = make(direct, true);
            await direct('BEGIN', [], 'object');
            try {
              const result = await fn(tx);
              await direct('COMMIT', [], 'object');
              return result;
            } catch (err) {
              await direct('ROLLBACK', [], 'object').catch(() => undefined);
              throw err;
            }
          }),
        );
      },
      dump: async () => (await lock.run(() => send({ op: 'dump' }))).dump,
      close: async () => {
        await lock.run(() => send({ op: 'close' })).catch(() => undefined);
        await worker.terminate();
      },
    };
    return db;
  };
  return make(locked, false);
}
