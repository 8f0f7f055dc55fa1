// Only one process may open an embedded data folder: PGlite is one in-process Postgres, and two
// of them writing the same files would corrupt it.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: { pid: number; command: string; since: string },
  ) {
    super(
      `The data folder ${dataDir} is in use by process ${holder.pid} (${holder.command}, since ${holder.since}). ` +
        `Only one process may open an embedded data folder: stop that process first, or set CLEMENT_DATA_DIR to another folder.`,
    );
    this.name = 'DataDirInUseError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err: any) {
    return err?.code === 'EPERM';
  }
}

/** Takes the folder's lock or throws DataDirInUseError; returns the release function. */
export function lockDataDir(dataDir: string, command: string, now: Date): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'clement.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, command, since: now.toISOString() }));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        rmSync(file, { force: true });
      };
      process.once('exit', release);
      return release;
    } catch (err: any) {
      if (err?.code !== 'EEXIST') throw err;
      let holder: { pid: number; command: string; since: string };
      try {
        holder = JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        holder = { pid: 0, command: 'unknown', since: 'unknown' };
      }
      if (holder.pid && holder.pid !== process.pid && alive(holder.pid)) throw new DataDirInUseError(dataDir, holder);
      // The holder died without releasing (kill -9): the lock is stale.
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}
