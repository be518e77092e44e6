/**
 * Hostile inputs: a 64 MB file that is one line, and a gzip bomb (a few hundred KB that expand to
 * 64 MB of one line). Each is rejected as `record_too_large` (its first KiB kept) and the records
 * around it flow, in time linear in the input and bounded memory.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DATA, convertChild, wandbRecord } from './lib.js';

export interface HostileRow {
  case: string;
  inputMb: number;
  seconds: number;
  peakRssMb: number;
  exit: number | null;
}

export async function benchHostile(): Promise<HostileRow[]> {
  const huge = `{"action":"${'x'.repeat(64 * 1024 * 1024)}"}`;
  const around = (body: string): string => `${JSON.stringify(wandbRecord(1))}\n${body}\n${JSON.stringify(wandbRecord(2))}\n`;
  const plain = path.join(DATA, 'one-line-64mb.ndjson');
  const bomb = path.join(DATA, 'bomb-64mb.ndjson.gz');
  await writeFile(plain, around(huge));
  const gz = gzipSync(around(huge));
  await writeFile(bomb, gz);
  const rows: HostileRow[] = [];
  for (const [name, file, mb] of [
    ['a 64 MB single line', plain, 64],
    [`a gzip bomb (${(gz.length / 1024).toFixed(0)} KB to 64 MB of one line)`, bomb, gz.length / 2 ** 20],
  ] as const) {
    const r = await convertChild([file, '--from', 'wandb', '-o', path.join(DATA, 'hostile.out')], 'hostile', true);
    rows.push({
      case: name,
      inputMb: Math.round(mb * 100) / 100,
      seconds: Math.round(r.ms / 10) / 100,
      peakRssMb: r.peakRssMb,
      exit: r.code,
    });
  }
  return rows;
}
