/** Archive fixtures shared by the archive tests. */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { NdjsonArchiveWriter } from '../../src/exporters/ndjson_file/writer.js';
import { digestName, digestText, type Digest, type SigningKey } from '../../src/exporters/ndjson_file/format.js';
import type { VerifyResult } from '../../src/exporters/ndjson_file/verify.js';
import type { AuditEvent } from '../../src/model/event.js';

/** `count` small W&B events with ids `wandb:e<n>` from `from` on. */
export function events(count: number, from = 0): AuditEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    schema_version: '1.0' as const,
    id: `wandb:e${from + i}`,
    time: `2026-08-01T10:${String(Math.floor((from + i) / 60) % 60).padStart(2, '0')}:${String((from + i) % 60).padStart(2, '0')}Z`,
    vendor: 'wandb' as const,
    action: { name: 'run:update', category: 'run', operation: 'update' as const },
    outcome: { result: 'success' as const },
    actor: { email: `user${(from + i) % 7}@acme.io` },
  }));
}

/** An archive of 3 closed segments (12 records each) and an open one with 5, signed with `key` unless null. */
export async function buildArchive(dir: string, key: SigningKey | null): Promise<void> {
  const one = JSON.stringify(events(1)[0]).length + 1;
  const w = new NdjsonArchiveWriter({ dir, maxFileBytes: one * 12, ...(key ? { signingKey: key } : {}) });
  await w.open();
  await w.write(events(36));
  await w.flush();
  await w.close();
  const w2 = new NdjsonArchiveWriter({ dir, maxFileBytes: one * 12, ...(key ? { signingKey: key } : {}) });
  await w2.open();
  await w2.write(events(5, 36));
  await w2.release(); // the 4th segment stays open, covered by its flush digest
}

export const gzLines = async (file: string): Promise<string[]> =>
  gunzipSync(await readFile(file))
    .toString('utf8')
    .split('\n')
    .slice(0, -1);
export const writeGzLines = async (file: string, lines: string[]): Promise<void> => writeFile(file, gzipSync(`${lines.join('\n')}\n`));

/** The errors of a verification as `file[:line]: message`. */
export const errors = (r: VerifyResult): string[] =>
  r.problems.filter((p) => p.severity === 'error').map((p) => `${p.file}${p.line !== undefined ? `:${p.line}` : ''}: ${p.message}`);

/** Rewrites segment `seq`'s digest in `dir` after `edit` changes it (the signature is left as it was). */
export async function editDigest(dir: string, seq: number, edit: (dg: Digest) => void): Promise<void> {
  const f = path.join(dir, digestName(seq));
  const dg = JSON.parse(await readFile(f, 'utf8')) as Digest;
  edit(dg);
  await writeFile(f, digestText(dg));
}
