/**
 * Durable files: what every component that must survive a crash (checkpoints, the sending
 * queue, archive digests and segments) writes through. A file is written to `<file>.tmp`,
 * fsynced, renamed over `file`, and the directory is fsynced, so after a crash a reader sees
 * the old content or the new, never a mix.
 */
import { open, rename } from 'node:fs/promises';
import path from 'node:path';

/** fsyncs a file or directory by path. */
export async function fsyncPath(file: string): Promise<void> {
  const fh = await open(file, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Makes the directory's entries (created, renamed, removed files) durable. */
export const fsyncDir = (dir: string): Promise<void> => fsyncPath(dir);

/** Makes a finished `tmp` file durable and moves it to `file` atomically. */
export async function commitFile(tmp: string, file: string): Promise<void> {
  await fsyncPath(tmp);
  await rename(tmp, file);
  await fsyncDir(path.dirname(file));
}

/** Writes `data` to `file` atomically and durably. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
  await fsyncDir(path.dirname(file));
}
