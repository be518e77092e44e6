/**
 * One writer at a time: an exclusive lock file in the archive directory (`.auditkit.lock`,
 * created with O_EXCL), held for the writer's life. A lock whose process is gone (same host, the
 * pid no longer runs) is stale after a crash and is taken over; any other lock makes a second
 * writer fail at once, or wait up to `waitMillis`.
 */
import { open, readFile, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { AuditIoError } from '../../errors.js';
import { sleep } from '../../io/sleep.js';

export const LOCK_FILE = '.auditkit.lock';

interface LockInfo {
  pid: number;
  host: string;
  since: string;
}

/** A held lock. */
export interface ArchiveLock {
  release(): Promise<void>;
}

/** Another writer holds the archive. CLI exit code 3. */
export class ArchiveLockedError extends AuditIoError {}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // it runs, as another user
  }
};

async function readLock(file: string): Promise<LockInfo | undefined> {
  try {
    const info = JSON.parse(await readFile(file, 'utf8')) as Partial<LockInfo> | null;
    return typeof info?.pid === 'number' && typeof info.host === 'string' && typeof info.since === 'string'
      ? (info as LockInfo)
      : undefined;
  } catch {
    return undefined; // being written, or removed meanwhile
  }
}

async function tryCreate(file: string, info: LockInfo): Promise<boolean> {
  let fh;
  try {
    fh = await open(file, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    await fh.writeFile(`${JSON.stringify(info)}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  return true;
}

/**
 * Takes a stale lock away: renamed aside first (atomic), then checked to still be the stale one;
 * a fresh lock taken meanwhile by another writer is put back.
 */
async function removeStale(file: string, stale: LockInfo): Promise<void> {
  const aside = `${file}.stale-${process.pid}`;
  try {
    await rename(file, aside);
  } catch {
    return; // someone else took it away first
  }
  const moved = await readLock(aside);
  if (moved && (moved.pid !== stale.pid || moved.since !== stale.since)) await rename(aside, file).catch(() => undefined);
  else await rm(aside, { force: true });
}

/** Takes the archive's lock, or throws ArchiveLockedError naming the holder. */
export async function lockArchive(dir: string, waitMillis = 0): Promise<ArchiveLock> {
  const file = path.join(dir, LOCK_FILE);
  const info: LockInfo = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  const deadline = Date.now() + waitMillis;
  for (;;) {
    if (await tryCreate(file, info)) break;
    const holder = await readLock(file);
    if (holder?.host === info.host && !alive(holder.pid)) {
      await removeStale(file, holder);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = holder
        ? `pid ${holder.pid}${holder.host === info.host ? '' : ` on ${holder.host}`} since ${holder.since}`
        : 'another writer';
      throw new ArchiveLockedError(`archive ${dir} is locked by ${who} (${LOCK_FILE}; wait with --wait-lock-secs)`);
    }
    await sleep(Math.min(100, Math.max(1, deadline - Date.now())));
  }
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      const current = await readLock(file);
      if (current?.pid === info.pid && current.since === info.since) await rm(file, { force: true });
    },
  };
}
