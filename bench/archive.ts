/**
 * Archive exactly-once at scale: convert the same W&B records into one archive twice. The second
 * run must skip every event (the archive keeps one line per event) with peak RSS under 200 MB,
 * though it holds the ids of everything written in the dedupe window.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { queryArchive } from '../src/exporters/ndjson_file/query.js';
import { DATA, convertChild, generate, wandbRecord } from './lib.js';

export interface ArchiveRow {
  records: number;
  firstSeconds: number;
  secondSeconds: number;
  secondPeakRssMb: number;
  lines: number;
}

export async function benchArchive(n: number): Promise<ArchiveRow> {
  const file = await generate(path.join(DATA, `wandb-${n}.ndjson`), n, (i) => JSON.stringify(wandbRecord(i)));
  const dir = path.join(DATA, 'archive-twice');
  await rm(dir, { recursive: true, force: true });
  const convert = () => convertChild([file, '--from', 'wandb', '--to', 'archive', '-o', dir], 'archive');
  const first = await convert();
  const second = await convert();
  let lines = 0;
  for await (const _e of queryArchive(dir)) lines++;
  return {
    records: n,
    firstSeconds: Math.round(first.ms / 10) / 100,
    secondSeconds: Math.round(second.ms / 10) / 100,
    secondPeakRssMb: second.peakRssMb,
    lines,
  };
}
