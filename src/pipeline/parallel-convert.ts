/**
 * Convert spread over worker threads: the main thread reads, decodes and cuts the input into
 * blocks of whole NDJSON lines (with their first line number); workers normalize, redact and
 * serialize each block with the sequential path's own code; the main thread writes the results
 * in input order. Inputs that are not NDJSON are converted on the main thread as usual.
 */
import { Worker } from 'node:worker_threads';
import type { Vendor } from '../model/event.js';
import { VENDORS } from '../model/event.js';
import { LineSplitter, type LineItem } from '../io/lines.js';
import { DEFAULT_MAX_RECORD_BYTES, openText } from '../receivers/files/files.js';
import type { PiiPolicyConfig } from '../redact/pii-policy.js';
import { redactChain } from './redact-chain.js';
import type { ReceiverSink } from '../components/receiver-sink.js';
import { cannotRead, convertSources, type ConvertCounts, type ConvertOptions } from './convert.js';
import type { ConvertJob, ConvertJobResult, ConvertWorkerData } from './convert-worker.js';

/** Where parallel convert writes: NDJSON text blocks, in input order. */
export type TextSink = ReceiverSink & Required<Pick<ReceiverSink, 'writeText' | 'sourceFailed'>>;

export interface ParallelConvertOptions extends ConvertOptions {
  /** Worker threads (at least 2 to be worth it). */
  jobs: number;
  /** The PII policy, as data: each worker compiles its own. */
  redaction?: PiiPolicyConfig;
}

// Under tsx (tests) this module is TypeScript, built it is JavaScript: the worker is its sibling.
// A TypeScript worker starts from a small bootstrap that registers tsx first (workers do not
// inherit the parent's loader hooks).
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const newWorker = (workerData: ConvertWorkerData): Worker => {
  // A small young generation keeps each worker's heap, and so the process RSS, smaller.
  const options = { workerData, resourceLimits: { maxYoungGenerationSizeMb: 8 } };
  if (!FROM_SOURCE) return new Worker(new URL('./convert-worker.js', import.meta.url), options);
  const target = new URL('./convert-worker.ts', import.meta.url).href;
  const bootstrap = `(async () => { const { register } = await import('tsx/esm/api'); register(); await import(${JSON.stringify(target)}); })();`;
  return new Worker(bootstrap, { ...options, eval: true });
};

export async function convertSourcesParallel(paths: readonly string[], o: ParallelConvertOptions, sink: TextSink): Promise<ConvertCounts> {
  const counts: ConvertCounts = {
    read: 0,
    written: 0,
    rejected: 0,
    failedSources: 0,
    byVendor: Object.fromEntries(VENDORS.map((v) => [v, { written: 0, rejected: 0 }])) as ConvertCounts['byVendor'],
  };
  const data: ConvertWorkerData = {
    from: o.from ?? 'auto',
    keepRaw: o.keepRaw ?? false,
    ...(o.redaction ? { redaction: o.redaction } : {}),
    ...(o.maxRecordBytes !== undefined ? { maxRecordBytes: o.maxRecordBytes } : {}),
  };
  // Workers start when a block is sent to them: a small input with a large --jobs starts as
  // many as it has blocks, not --jobs threads that each load the converter for nothing.
  const workers: Worker[] = [];
  const chain = redactChain(o.redaction);
  const results = new Map<number, ConvertJobResult>();
  let nextSeq = 0;
  let nextWrite = 0;
  let inflight = 0;
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  const worker = (i: number): Worker => {
    let w = workers[i];
    if (w) return w;
    w = newWorker(data);
    w.on('message', (r: ConvertJobResult) => {
      results.set(r.seq, r);
      inflight--;
      wake?.();
    });
    w.on('error', (err) => {
      failure = err;
      wake?.();
    });
    workers[i] = w;
    return w;
  };
  /** Resolves at the next result; rejects when a worker has failed (its blocks never return). */
  const waitForResult = (): Promise<void> =>
    failure
      ? Promise.reject(failure)
      : new Promise<void>((r) => (wake = r)).then(() => {
          if (failure) throw failure;
        });
  /** Writes every result that is next in order. */
  const drainOrdered = async (): Promise<void> => {
    for (let r = results.get(nextWrite); r; r = results.get(nextWrite)) {
      results.delete(nextWrite++);
      if (r.fatal) throw new Error(`convert worker failed: ${r.fatal}`);
      counts.read += r.read;
      for (const [v, n] of Object.entries(r.written)) {
        counts.written += n;
        counts.byVendor[v as Vendor].written += n;
      }
      for (const [v, n] of Object.entries(r.rejected)) {
        counts.rejected += n;
        if (v !== 'none') counts.byVendor[v as Vendor].rejected += n;
      }
      for (const piece of r.out) {
        const wait = sink.writeText(piece);
        if (wait) await wait;
      }
      for (const letter of r.letters) await sink.reject(letter);
    }
  };
  const dispatch = async (job: Omit<ConvertJob, 'seq'>): Promise<void> => {
    while (inflight >= o.jobs * 3) {
      await waitForResult();
      await drainOrdered();
    }
    const seq = nextSeq++;
    inflight++;
    worker(seq % o.jobs).postMessage({ ...job, seq });
  };

  /**
   * Waits for every block sent so far and writes them all. `inflight` can already be 0 with
   * results not yet written (they arrive while the next input is opened), so this drains first
   * and stops only when nothing is in flight and nothing is left to write.
   */
  const drainAll = async (): Promise<void> => {
    for (;;) {
      await drainOrdered();
      if (inflight === 0 && results.size === 0) return;
      await waitForResult();
    }
  };

  try {
    for (const path of paths) {
      let format;
      let chunks;
      try {
        [format, chunks] = await openText(path, {
          ...(o.inputFormat ? { format: o.inputFormat } : {}),
          ...(o.onBytes ? { onBytes: o.onBytes } : {}),
          ...(o.maxInputBytes !== undefined ? { maxInputBytes: o.maxInputBytes } : {}),
        });
      } catch (err) {
        // Reported where the sequential path reports it: after every record before it.
        await drainAll();
        counts.failedSources++;
        await sink.sourceFailed(path, cannotRead(path, err));
        continue;
      }
      if (format !== 'ndjson') {
        // JSON documents and CSV: the main thread, after every block before them is written.
        await drainAll();
        await chunks.return(undefined);
        const c = await convertSources(
          [path],
          { ...o, ...(o.from ? { from: o.from } : {}) },
          {
            write: (events) => sink.writeText(events.map((e) => `${JSON.stringify(chain.run(e))}\n`).join('')),
            reject: (letter) => sink.reject(letter),
            sourceFailed: (p, err) => sink.sourceFailed(p, err),
            ack: () => Promise.resolve(),
          },
        );
        counts.read += c.read;
        counts.written += c.written;
        counts.rejected += c.rejected;
        counts.failedSources += c.failedSources;
        for (const v of VENDORS) {
          counts.byVendor[v].written += c.byVendor[v].written;
          counts.byVendor[v].rejected += c.byVendor[v].rejected;
        }
        continue;
      }
      // Lines are cut here, as the sequential reader cuts them (one LineSplitter: line ends, line
      // numbers, a line too long kept as its first KiB); workers get blocks of whole lines.
      const splitter = new LineSplitter(o.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES);
      let block: string[] = [];
      let blockFirst = 1;
      const send = async (items: readonly LineItem[]): Promise<void> => {
        for (const [text, line, tooLarge] of items) {
          if (tooLarge === undefined) {
            if (block.length === 0) blockFirst = line;
            block.push(text);
            continue;
          }
          if (block.length) await dispatch({ file: path, firstLine: blockFirst, text: block.join('\n') });
          block = [];
          await dispatch({ file: path, firstLine: line, text, tooLarge });
        }
        if (block.length) await dispatch({ file: path, firstLine: blockFirst, text: block.join('\n') });
        block = [];
      };
      try {
        for await (const chunk of chunks) {
          await send(splitter.push(chunk));
          await drainOrdered();
        }
      } catch (err) {
        // As the sequential path: the whole lines read so far flow, a line cut by the failure
        // does not, and the failure is reported after them.
        await drainAll();
        counts.failedSources++;
        await sink.sourceFailed(path, cannotRead(path, err));
        continue;
      }
      await send(splitter.end());
    }
    await drainAll();
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return counts;
}
