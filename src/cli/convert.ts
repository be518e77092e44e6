import { statSync } from 'node:fs';
import path from 'node:path';
import { availableParallelism, loadavg } from 'node:os';
import type cliProgress from 'cli-progress';
import { exporterSink } from '../components/receiver-sink.js';
import { ArchiveIntegrityError, ConfigError, formatLocation } from '../errors.js';
import type { DeadLetter } from '../model/dead-letter.js';
import { openLineFile, type LineWriter } from '../io/line-writer.js';
import { DEAD_LETTER_MODE } from '../io/dead-letter-file.js';
import type { Vendor } from '../model/event.js';
import { convertSources, type ConvertCounts } from '../pipeline/convert.js';
import type { InputFormat } from '../receivers/files/files.js';
import { printableEndpoint } from '../model/endpoint.js';
import { cliContext, edgeConfig, openPipeline, type CliPipeline, type OutputCliOptions } from './outputs.js';
import { EXIT, type CliIo } from './io.js';

/** Options of `auditkit convert`, as commander parses them. */
export interface ConvertCliOptions extends OutputCliOptions {
  /** Worker threads for NDJSON input to NDJSON output; `auto` (default) or a number, 1 for none. */
  jobs?: string;
  from: Vendor | 'auto';
  inputFormat?: InputFormat;
  maxRecordBytes?: string;
  maxInputBytes?: string;
  deadLetter?: string;
  keepRaw?: boolean;
  quiet?: boolean;
}

/** How many per-record errors are printed before only the dead-letter file has them. */
const MAX_PRINTED_ERRORS = 1000;

/** Inputs smaller than this in all are converted on one thread: a worker's start and second heap do not pay. */
export const AUTO_JOBS_MIN_BYTES = 64 * 1024 * 1024;

/**
 * What `--jobs auto` picks: one thread unless the input is large (at least 64 MiB of files, not
 * stdin) and a second core is idle (the 1-minute load average leaves one free); then one worker
 * per idle core, up to 4. Measured on 2 cores: 2 workers are about 1.2x a single thread at 1M
 * records, for a second V8 heap (README, Performance), so small or busy runs stay on one.
 */
export function autoJobs(inputBytes: number, cores: number, load1: number): number {
  if (inputBytes < AUTO_JOBS_MIN_BYTES || cores < 2) return 1;
  // Cores the rest of the machine leaves free (this run needs two: the reader and a worker).
  const free = Math.round(cores - load1);
  return free >= 2 ? Math.min(free, 4) : 1;
}

/**
 * Worker threads for this run (NDJSON output only). Default 1: each worker is a V8 heap of its
 * own, and one thread keeps a 1,000,000-record conversion under 150 MB of RSS; `--jobs 2`
 * trades about 100 MB more for about 1.2x the speed (see README, Performance); `auto` decides by
 * the input's size and the idle cores (autoJobs).
 */
function parallelJobs(opts: ConvertCliOptions, inputs: readonly string[]): number {
  if (opts.to !== 'ndjson' || opts.jobs === undefined) return 1;
  if (opts.jobs === 'auto') {
    let bytes = 0;
    for (const f of inputs) {
      if (f === '-') return 1;
      try {
        bytes += statSync(f).size;
      } catch {
        // unreadable: the reader reports it
      }
    }
    return autoJobs(bytes, availableParallelism(), loadavg()[0] ?? 0);
  }
  return Math.max(1, Number(opts.jobs) || 1);
}

/** True when two paths name one file: the same path, the same inode, or a link to it. */
function sameFile(a: string, b: string): boolean {
  if (path.resolve(a) === path.resolve(b)) return true;
  // A path that cannot be examined (EACCES, ENOTDIR) is not the input; opening it later
  // reports why, as one line with exit 3.
  const stat = (p: string) => {
    try {
      return statSync(p, { throwIfNoEntry: false });
    } catch {
      return undefined;
    }
  };
  const sa = stat(a);
  const sb = stat(b);
  return sb !== undefined && sa?.dev === sb.dev && sa.ino === sb.ino;
}

/** Runs `auditkit convert`; returns the exit code and the counts. */
export async function runConvert(
  files: readonly string[],
  opts: ConvertCliOptions,
  io: CliIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; counts?: ConvertCounts }> {
  const inputs = files.length ? files : ['-'];
  const say = (line: string): void => void io.stderr.write(`${line}\n`);
  // An output that is an input would be emptied before it is read: refused before anything opens.
  for (const [flag, output] of [
    ['-o', opts.to === 'ndjson' ? opts.output : undefined],
    ['--dead-letter', opts.deadLetter],
  ] as const) {
    const input = output && output !== '-' ? inputs.find((i) => i !== '-' && sameFile(i, output)) : undefined;
    if (input !== undefined) {
      say(`auditkit convert: ${flag}: ${output} is the input ${input} (it would be emptied before it is read); nothing was written`);
      return { code: EXIT.usage };
    }
  }
  if (opts.jobs !== undefined && opts.jobs !== 'auto' && !(/^\d+$/.test(opts.jobs) && Number(opts.jobs) >= 1 && Number(opts.jobs) <= 64)) {
    say('auditkit convert: --jobs: must be auto or a whole number from 1 to 64');
    return { code: EXIT.usage };
  }
  for (const [flag, value] of [
    ['--max-record-bytes', opts.maxRecordBytes],
    ['--max-input-bytes', opts.maxInputBytes],
  ] as const) {
    if (value !== undefined && !/^[1-9]\d*$/.test(value)) {
      say(`auditkit convert: ${flag}: must be a positive whole number`);
      return { code: EXIT.usage };
    }
  }
  let edge;
  try {
    edge = edgeConfig(opts, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const p of err.problems) say(`auditkit convert: ${p.path}: ${p.message}`);
    return { code: EXIT.usage };
  }
  let pipeline: CliPipeline;
  let dead: { writer: LineWriter; done: Promise<void> } | undefined;
  try {
    pipeline = await openPipeline(edge, cliContext(io));
    if (opts.deadLetter) dead = await openLineFile(opts.deadLetter, { mode: DEAD_LETTER_MODE });
  } catch (err) {
    say(`auditkit convert: cannot open output: ${(err as Error).message}`);
    return { code: err instanceof ArchiveIntegrityError ? EXIT.rejected : EXIT.io };
  }
  const { chain, exporter } = pipeline;

  // A progress bar on stderr when it is a terminal and the inputs are files of known size.
  let bar: cliProgress.SingleBar | undefined;
  let total = 0;
  if (io.stderr.isTTY && !opts.quiet && !inputs.includes('-')) {
    for (const f of inputs) total += statSync(f, { throwIfNoEntry: false })?.size ?? 0;
    // Loaded only when a bar is shown (a terminal): scripts and pipes never pay for it.
    const { default: progressBars } = await import('cli-progress');
    bar = new progressBars.SingleBar(
      {
        stream: io.stderr,
        format: 'converting [{bar}] {percentage}% | {value}/{total} bytes | ETA {eta}s',
        hideCursor: true,
        clearOnComplete: true,
      },
      progressBars.Presets.shades_classic,
    );
    bar.start(total, 0);
  }
  let printed = 0;
  const progress = bar
    ? (n: number) => {
        bar.increment(n);
      }
    : undefined;

  const reject = async (letter: DeadLetter): Promise<void> => {
    if (printed++ < MAX_PRINTED_ERRORS) say(`auditkit convert: ${formatLocation(letter.source)}: ${letter.code}: ${letter.message}`);
    else if (printed === MAX_PRINTED_ERRORS + 1)
      say(
        `auditkit convert: more rejected records; ${opts.deadLetter ? `all are in ${opts.deadLetter}` : 'use --dead-letter FILE to keep them'}`,
      );
    if (dead) await dead.writer.write(JSON.stringify(letter));
  };
  const options = {
    from: opts.from,
    ...(opts.inputFormat ? { inputFormat: opts.inputFormat } : {}),
    ...(opts.maxRecordBytes !== undefined ? { maxRecordBytes: Number(opts.maxRecordBytes) } : {}),
    ...(opts.maxInputBytes !== undefined ? { maxInputBytes: Number(opts.maxInputBytes) } : {}),
    keepRaw: opts.keepRaw ?? false,
    ...(progress ? { onBytes: progress } : {}),
  };
  const sink = exporterSink([exporter], {
    chain,
    reject,
    sourceFailed: (_path, err) => {
      say(`auditkit convert: ${err.message}`);
      return undefined;
    },
  });
  const jobs = parallelJobs(opts, inputs);
  const writeText = sink.writeText?.bind(sink);
  const sourceFailed = sink.sourceFailed?.bind(sink);
  const counts =
    jobs > 1 && writeText && sourceFailed
      ? await (
          await import('../pipeline/parallel-convert.js')
        ).convertSourcesParallel(
          inputs,
          { ...options, jobs, ...(edge.redactionConfig ? { redaction: edge.redactionConfig } : {}) },
          { ...sink, writeText, sourceFailed },
        )
      : await convertSources(inputs, options, sink);
  bar?.stop();
  try {
    await exporter.close();
    if (dead) {
      await dead.writer.close();
      await dead.done;
    }
  } catch (err) {
    say(`auditkit convert: cannot write output: ${(err as Error).message}`);
    return { code: EXIT.io, counts };
  }
  if (!opts.quiet) {
    const per = vendorBreakdown(counts);
    const delivered = edge.otlpEndpoint ? `, delivered ${exporter.stats.delivered} over OTLP` : '';
    const skipped = exporter.stats.duplicates ? `, skipped ${exporter.stats.duplicates} already archived` : '';
    say(
      `auditkit convert: read ${counts.read}, written ${counts.written}, rejected ${counts.rejected}${per ? ` (${per})` : ''}${delivered}${skipped}`,
    );
  }
  if (edge.otlpEndpoint && exporter.stats.failed) {
    // The exporter's message can name the URL; print it without credentials.
    const where = printableEndpoint(edge.otlpEndpoint);
    const why = (exporter.stats.lastError?.message ?? 'export failed').split(edge.otlpEndpoint).join(where);
    say(`auditkit convert: ${exporter.stats.failed} events could not be delivered to ${where}: ${why}`);
    return { code: EXIT.io, counts };
  }
  const code = counts.failedSources ? EXIT.io : counts.rejected ? EXIT.rejected : EXIT.ok;
  return { code, counts };
}

/**
 * `wandb: 10 written, 3 rejected; no vendor: 1 rejected` — what each vendor's records became;
 * a record rejected before a vendor was known (unreadable, unrecognized) is counted under
 * `no vendor`, so the parts always add up to the totals.
 */
export function vendorBreakdown(counts: ConvertCounts): string {
  const parts: string[] = [];
  let attributed = 0;
  for (const [v, c] of Object.entries(counts.byVendor)) {
    attributed += c.rejected;
    if (c.written + c.rejected > 0) parts.push(`${v}: ${c.written} written, ${c.rejected} rejected`);
  }
  const unattributed = counts.rejected - attributed;
  if (unattributed > 0) parts.push(`no vendor: ${unattributed} rejected`);
  return parts.join('; ');
}
