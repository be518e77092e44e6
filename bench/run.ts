/**
 * `npm run bench`: every hot path against its floor, measured in this run (medians), printed
 * as a table of ratios, plus the scaling run; the results are also written to
 * bench/results.json. Sizes: AUDITKIT_BENCH_RECORDS (default 200000), AUDITKIT_BENCH_RUNS (3).
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { benchArchive } from './archive.js';
import { benchHostile } from './hostile.js';
import { benchPull } from './pull.js';
import { benchConvert } from './convert.js';
import { benchOtlp } from './otlp.js';
import { benchGateway } from './gateway.js';
import { benchPeers } from './peers.js';
import { benchProcessor } from './processor.js';
import { benchRedaction } from './redaction.js';
import { benchScaling } from './scaling.js';
import { ROOT, type BenchRow } from './lib.js';

const records = Number(process.env.AUDITKIT_BENCH_RECORDS ?? 200_000);
const runs = Number(process.env.AUDITKIT_BENCH_RUNS ?? 3);
const started = Date.now();
const machine = `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
console.log(`auditkit bench: ${machine}; ${records} records per case, median of ${runs} runs`);

const rows: BenchRow[] = [];
const step = async (name: string, fn: () => Promise<BenchRow[]>): Promise<void> => {
  const t = Date.now();
  const r = await fn();
  rows.push(...r);
  console.log(`  ${name} done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
};
await step('convert', () => benchConvert(records, runs));
await step('processor', () => benchProcessor(Math.min(records, 100_000), runs));
await step('redaction', () => benchRedaction(Math.min(records, 200_000), runs));
await step('otlp', () => benchOtlp(Math.min(records, 50_000), runs));
await step('gateway', () => benchGateway(Math.min(records, 50_000), runs));
const notes: string[] = [];
await step('peers', async () => {
  const p = await benchPeers(records, runs, Number(process.env.AUDITKIT_BENCH_QUERY_RECORDS ?? 1_000_000));
  notes.push(...p.notes);
  return p.rows;
});
const scaling = [...(await benchScaling([10_000, 100_000, 1_000_000])), ...(await benchScaling([1_000_000], ['--jobs', '2']))];
const archive = await benchArchive(Number(process.env.AUDITKIT_BENCH_ARCHIVE_RECORDS ?? 1_000_000));
const hostile = await benchHostile();
const pull = await benchPull(Number(process.env.AUDITKIT_BENCH_PULL_EVENTS ?? 1_000_000));

const fmt = (r: BenchRow): string =>
  `| ${r.bench} | ${r.case} | ${r.ms} | ${r.floorMs} | **${r.ratio.toFixed(2)}x** | ${r.target !== undefined ? `${r.target}x ${r.ratio <= r.target ? 'met' : 'not met'}` : '—'} |${r.note ? ` ${r.note}` : ''}`;
console.log('\n| bench | case | ms | floor ms | ratio | target |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(fmt(r));
for (const n of notes) console.log(`\nnote: ${n}`);
console.log('\n| records | jobs | seconds | µs per record | peak RSS MB |');
console.log('|---|---|---|---|---|');
for (const s of scaling) console.log(`| ${s.records} | ${s.jobs ?? 1} | ${s.seconds} | ${s.usPerRecord} | ${s.peakRssMb} |`);
console.log('\n| archive: the same records converted twice | first run s | second run s | second run peak RSS MB | lines in the archive |');
console.log('|---|---|---|---|---|');
console.log(`| ${archive.records} | ${archive.firstSeconds} | ${archive.secondSeconds} | ${archive.secondPeakRssMb} | ${archive.lines} |`);
console.log('\n| hostile input (rejected as record_too_large, the records around it written) | input MB | seconds | peak RSS MB | exit |');
console.log('|---|---|---|---|---|');
for (const h of hostile) console.log(`| ${h.case} | ${h.inputMb} | ${h.seconds} | ${h.peakRssMb} | ${h.exit} |`);
console.log('\n| pull (loopback W&B) | events | pages | seconds | checkpoint bytes written |');
console.log('|---|---|---|---|---|');
console.log(`| 1 pull | ${pull.events} | ${pull.pages} | ${pull.seconds} | ${pull.checkpointBytes} |`);
console.log(`\nmachine: ${machine}; total ${((Date.now() - started) / 1000).toFixed(0)} s`);
await writeFile(
  path.join(ROOT, 'bench/results.json'),
  `${JSON.stringify({ machine, records, runs, rows, scaling, archive, hostile, pull, date: new Date().toISOString() }, null, 2)}\n`,
);
