/**
 * convert: the whole CLI (`node dist/src/cli/main.js convert FILE -o OUT`) on a large generated
 * file per vendor, against the floor (bench/floor.mjs: read the same lines, JSON.parse and
 * JSON.stringify each, write them), with redaction off, the default policy, and HMAC hashing.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import {
  convertMs,
  DATA,
  ROOT,
  generate,
  interleaved,
  row,
  run,
  snorkelRecord,
  wandbRecord,
  wherobotsCsvHeader,
  wherobotsCsvLine,
  wherobotsRecord,
  type BenchRow,
} from './lib.js';

export async function benchConvert(records: number, runs: number): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const inputs: [string, (i: number) => Record<string, unknown>][] = [
    ['wandb', wandbRecord],
    ['snorkel', snorkelRecord],
    ['wherobots', wherobotsRecord],
  ];
  for (const [vendor, make] of inputs) {
    const file = await generate(path.join(DATA, `${vendor}-${records}.ndjson`), records, (i) => JSON.stringify(make(i)));
    const out = path.join(DATA, `${vendor}.out`);
    // Each case is timed alternately with the floor (its row's floor is the median beside it).
    const floor = async (): Promise<number> => (await run(process.execPath, [path.join(ROOT, 'bench/floor.mjs'), file, out])).ms;
    const cases: [string, string[], number][] = [
      ['redaction off', [], 1.5],
      ['--redact default', ['--redact', 'default'], 1.5],
      ['--redact default + HMAC', ['--redact', 'default', '--hmac-key-env', 'AUDITKIT_BENCH_KEY'], 2],
      ['redaction off, --jobs 2', ['--jobs', '2'], 1.5],
      ['--redact default + HMAC, --jobs 2', ['--redact', 'default', '--hmac-key-env', 'AUDITKIT_BENCH_KEY', '--jobs', '2'], 2],
    ];
    for (const [name, extra, target] of cases) {
      const r = await interleaved(runs, floor, () =>
        convertMs([file, '--from', vendor, '-o', out, ...extra], { AUDITKIT_BENCH_KEY: 'bench-hmac-key' }),
      );
      rows.push(row('convert', `${vendor} ${records} records, ${name}`, r.ms, r.floorMs, target));
    }
    if (vendor === 'wandb') {
      // The archive against a plain convert of the same file (DESIGN.md: within 1.3x).
      const dir = path.join(DATA, 'archive-bench');
      const archive = await interleaved(
        runs,
        () => convertMs([file, '--from', vendor, '-o', out]),
        async () => {
          await rm(dir, { recursive: true, force: true });
          return convertMs([file, '--from', vendor, '--to', 'archive', '-o', dir]);
        },
      );
      await rm(dir, { recursive: true, force: true });
      rows.push(
        row('convert', `wandb ${records} records, --to archive (floor: the plain convert, alternately)`, archive.ms, archive.floorMs, 1.3),
      );
      // The security-lake outputs against the convert floor (issue 17: measured, no target yet).
      for (const [label, args] of [
        ['--to ocsf', ['--to', 'ocsf', '-o', out]],
        ['--to parquet', ['--to', 'parquet', '-o', dir]],
      ] as const) {
        const r = await interleaved(runs, floor, async () => {
          await rm(dir, { recursive: true, force: true });
          return convertMs([file, '--from', vendor, ...args]);
        });
        await rm(dir, { recursive: true, force: true });
        rows.push(row('convert', `wandb ${records} records, ${label}`, r.ms, r.floorMs));
      }
    }
  }
  // The Wherobots export (CSV) against its own floor: a streaming csv-parse of the same file.
  const csv = await generate(path.join(DATA, `wherobots-${records}.csv`), records, wherobotsCsvLine, wherobotsCsvHeader);
  const csvOut = path.join(DATA, 'wherobots-csv.out');
  const csvRun = await interleaved(
    runs,
    async () => (await run(process.execPath, [path.join(ROOT, 'bench/floor-csv.mjs'), csv, csvOut])).ms,
    () => convertMs([csv, '--from', 'wherobots', '-o', csvOut]),
  );
  rows.push(row('convert', `wherobots ${records} records, CSV export (floor: csv-parse of the file)`, csvRun.ms, csvRun.floorMs, 2));
  return rows;
}
