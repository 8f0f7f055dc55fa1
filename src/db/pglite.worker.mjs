// PGlite runs here, off the main thread: it holds its thread for the whole of each query, and
// the HTTP server must keep answering meanwhile. Plain JavaScript so the worker starts the same
// under tsx, vitest and node without a loader.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

// Same value shapes as node-postgres with Clement's parsers: int8 as number (money in fen is far
// below 2^53), dates and numerics as strings, timestamptz as ISO text.
const parsers = {
  20: (v) => Number(v),
  1082: (v) => v,
  1700: (v) => v,
  1184: (v) => new Date(v).toISOString(),
};

// A small buffer pool: the embedded database serves one lender's console and demo, and the
// whole WebAssembly heap counts against the server's resident memory.
const db = new PGlite(workerData.dataDir, {
  parsers,
  postgresqlconf: ['shared_buffers=32MB'],
  // `clement restore`: a new data folder made from a backup's tarball.
  loadDataDir: workerData.load ? new Blob([workerData.load]) : undefined,
});

parentPort.on('message', async (msg) => {
  try {
    await db.waitReady;
    if (msg.op === 'query') {
      const r = await db.query(msg.sql, msg.params ?? [], { rowMode: msg.rowMode ?? 'object' });
      // As node-postgres: a SELECT counts its rows (PGlite reports 0 affected rows for it).
      parentPort.postMessage({ id: msg.id, rows: r.rows, rowCount: r.affectedRows || r.rows.length });
    } else if (msg.op === 'exec') {
      await db.exec(msg.sql);
      parentPort.postMessage({ id: msg.id, rows: [], rowCount: 0 });
    } else if (msg.op === 'dump') {
      const file = await db.dumpDataDir('gzip');
      const buf = new Uint8Array(await file.arrayBuffer());
      parentPort.postMessage({ id: msg.id, rows: [], rowCount: 0, dump: buf }, [buf.buffer]);
    } else if (msg.op === 'close') {
      await db.close();
      parentPort.postMessage({ id: msg.id, rows: [], rowCount: 0 });
    }
  } catch (err) {
    parentPort.postMessage({
      id: msg.id,
      error: { message: err?.message ?? String(err), code: err?.code, detail: err?.detail, constraint: err?.constraint },
    });
  }
});

db.waitReady.then(
  () => parentPort.postMessage({ ready: true }),
  (err) => parentPort.postMessage({ ready: false, error: { message: err?.message ?? String(err) } }),
);
