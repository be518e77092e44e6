/**
 * A parallel-convert worker: turns blocks of NDJSON lines into unified NDJSON text with exactly
 * the code the sequential path uses (ndjsonLineRecords, normalizeRecord, the PII policy), and
 * returns the text, the dead letters and the counts of its block.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { lineBlocks, textLines, type LineItem } from '../io/lines.js';
import type { DeadLetter } from '../model/dead-letter.js';
import type { Vendor } from '../model/event.js';
import { ndjsonLineRecords } from '../receivers/files/files.js';
import type { PiiPolicyConfig } from '../redact/pii-policy.js';
import { redactChain } from './redact-chain.js';
import { deadLetterOf } from '../model/adapter.js';
import { ENVELOPE_KEYS, envelopeKeyOf, normalizeRecord } from '../components/adapters.js';

export interface ConvertJob {
  seq: number;
  file: string;
  firstLine: number;
  /** Whole lines joined by `\n`, or the first KiB of one line too long (`tooLarge`: its length). */
  text: string;
  tooLarge?: number;
}
export interface ConvertJobResult {
  seq: number;
  /** The block's unified NDJSON, in pieces of at most LINE_BLOCK_CHARS (out of V8's large-object space). */
  out: string[];
  letters: DeadLetter[];
  written: Partial<Record<Vendor, number>>;
  rejected: Partial<Record<Vendor | 'none', number>>;
  read: number;
  fatal?: string;
}
export interface ConvertWorkerData {
  from: Vendor | 'auto';
  keepRaw: boolean;
  redaction?: PiiPolicyConfig;
  maxRecordBytes?: number;
}

const data = workerData as ConvertWorkerData;
const chain = redactChain(data.redaction);
const readOptions = {
  envelopeKeyOf,
  envelopeKeys: ENVELOPE_KEYS,
  ...(data.maxRecordBytes !== undefined ? { maxRecordBytes: data.maxRecordBytes } : {}),
};

parentPort?.on('message', (job: ConvertJob) => {
  const result: ConvertJobResult = { seq: job.seq, out: [], letters: [], written: {}, rejected: {}, read: 0 };
  try {
    const lines: LineItem[] = job.tooLarge !== undefined ? [[job.text, job.firstLine, job.tooLarge]] : textLines(job.text, job.firstLine);
    const parts: string[] = [];
    for (const rec of ndjsonLineRecords(lines, job.file, readOptions)) {
      result.read++;
      const outcome = normalizeRecord(rec, data.from, { keepRaw: data.keepRaw });
      if ('error' in outcome) {
        result.letters.push(deadLetterOf(rec, outcome));
        const k = outcome.vendor ?? 'none';
        result.rejected[k] = (result.rejected[k] ?? 0) + 1;
        continue;
      }
      parts.push(JSON.stringify(chain.run(outcome.event)));
      result.written[outcome.vendor] = (result.written[outcome.vendor] ?? 0) + 1;
    }
    result.out = lineBlocks(parts);
  } catch (err) {
    result.fatal = err instanceof Error ? err.message : String(err);
  }
  parentPort!.postMessage(result);
});
