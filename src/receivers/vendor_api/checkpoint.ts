/**
 * Pull checkpoints: one JSON file per source in a state directory, written atomically (temp
 * file, fsync, rename, fsync of the directory), and advanced only after every exporter
 * acknowledged the page it covers.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../io/durable.js';

export interface Checkpoint {
  format: 'auditkit-checkpoint/v1';
  /** Receiver name (`wandb`, `wandb/prod`). */
  source: string;
  /** The range being pulled, and where in it to resume (window index, cursor). */
  current?: { since: string; until: string; window: number; cursor?: string };
  /** End of the last range pulled completely. */
  watermark?: string;
  /** `[id, time]` of events delivered near the watermark, to drop them when seen again. */
  recent: [string, string][];
  updated_at: string;
}

const fileOf = (dir: string, source: string): string => path.join(dir, `${source.replace(/[^A-Za-z0-9_.-]/g, '_')}.checkpoint.json`);

export async function loadCheckpoint(dir: string, source: string): Promise<Checkpoint> {
  try {
    const cp = JSON.parse(await readFile(fileOf(dir, source), 'utf8')) as Partial<Checkpoint> | null;
    if (cp?.format !== 'auditkit-checkpoint/v1') throw new Error(`unknown checkpoint format in ${fileOf(dir, source)}`);
    return cp as Checkpoint;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      return { format: 'auditkit-checkpoint/v1', source, recent: [], updated_at: new Date().toISOString() };
    throw err;
  }
}

/** Writes the checkpoint durably; returns the bytes written. */
export async function saveCheckpoint(dir: string, cp: Checkpoint): Promise<number> {
  await mkdir(dir, { recursive: true });
  const text = `${JSON.stringify({ ...cp, updated_at: new Date().toISOString() })}\n`;
  await writeFileAtomic(fileOf(dir, cp.source), text);
  return Buffer.byteLength(text);
}
