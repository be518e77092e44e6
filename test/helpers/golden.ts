/**
 * Golden pairs: every `adapters/<vendor>/testdata/<name>.input.<ext>` is converted with
 * `--from <vendor>` and compared with `<name>.expected.json` (events, rejected records
 * without their timestamp, counts). `npm run golden` rewrites the expected files; review the
 * diff before committing.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AuditEvent, Vendor } from '../../src/model/event.js';
import { convertSources, type ConvertCounts } from '../../src/pipeline/convert.js';
import type { DeadLetter } from '../../src/model/dead-letter.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface GoldenCase {
  vendor: Vendor;
  name: string;
  input: string;
  expected: string;
}

export interface GoldenResult {
  events: AuditEvent[];
  rejected: Omit<DeadLetter, 'time'>[];
  counts: Pick<ConvertCounts, 'read' | 'written' | 'rejected'>;
}

/** Every golden case of every adapter, paths relative to the repository root. */
export function goldenCases(): GoldenCase[] {
  const cases: GoldenCase[] = [];
  for (const vendor of ['wandb', 'snorkel', 'wherobots'] as const) {
    const dir = path.join('adapters', vendor, 'testdata');
    for (const f of readdirSync(path.join(ROOT, dir)).sort()) {
      const m = /^(.*)\.input\.[a-z.]+$/.exec(f);
      if (m) cases.push({ vendor, name: m[1]!, input: path.join(dir, f), expected: path.join(dir, `${m[1]}.expected.json`) });
    }
  }
  return cases;
}

/** Converts one golden input (run from the repository root so locations are relative). */
export async function runGolden(c: GoldenCase): Promise<GoldenResult> {
  const events: AuditEvent[] = [];
  const rejected: GoldenResult['rejected'] = [];
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    const counts = await convertSources(
      [c.input],
      { from: c.vendor },
      {
        write: (evs) => void events.push(...evs),
        ack: () => Promise.resolve(),
        reject: ({ time: _time, ...letter }) => void rejected.push(letter),
        sourceFailed: (_p, err) => {
          throw err;
        },
      },
    );
    // Round-trip through JSON so the result compares like the expected file.
    return JSON.parse(
      JSON.stringify({ events, rejected, counts: { read: counts.read, written: counts.written, rejected: counts.rejected } }),
    ) as GoldenResult;
  } finally {
    process.chdir(cwd);
  }
}
