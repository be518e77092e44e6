/**
 * A file-backed sending queue in front of an exporter: `enqueue` writes a batch durably to its
 * own file (temp, fsync, rename) before it resolves, so a pull may advance its checkpoint and a
 * receiver may acknowledge; a sender delivers the oldest batch first and deletes its file only
 * after the backend accepted it, retrying with backoff and jitter through an outage or a
 * restart. At-least-once: a batch accepted just before a crash is sent again after it.
 *
 * Batches are `batch-N.pb` (an encoded ExportLogsServiceRequest); `batch-N.ndjson` (audit
 * events, one per line) is what earlier versions wrote, still sent after an upgrade.
 */
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../io/durable.js';
import { sleep } from '../../io/sleep.js';
import { DEFAULT_QUEUE_MAX_BACKOFF_MILLIS, DEFAULT_QUEUE_MIN_BACKOFF_MILLIS, DEFAULT_SENDING_QUEUE_MAX_BATCHES } from './config.js';

/** A stored batch: its bytes and how they are written. */
export interface QueuedBatch {
  data: Buffer;
  format: 'pb' | 'ndjson';
  /** Records in the batch, when its name says (`batch-N-COUNT.pb`). */
  count?: number;
}

export interface FileQueueOptions {
  directory: string;
  /** Delivers one batch; resolves with the number of records it held; throws when the backend did not accept it. */
  send: (batch: QueuedBatch) => Promise<number>;
  /** Batches kept before `enqueue` waits for the sender. Default 1000. */
  maxBatches?: number;
  /** Backoff after a failed send: the first delay, growing by `multiplier` with jitter up to the max. */
  minBackoffMillis?: number;
  maxBackoffMillis?: number;
  /** Growth of the delay per failure. Default 2. */
  multiplier?: number;
  /** Each delay is drawn within ± this fraction of it. Default 0.5. */
  randomization?: number;
  onError?: (message: string) => void;
}

const NAME = /^batch-(\d{12})(?:-(\d+))?\.(pb|ndjson)$/;

export class FileQueue {
  private seq = 0;
  private files: string[] = [];
  private running = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private waiters: (() => void)[] = [];
  sent = 0;
  failedAttempts = 0;

  constructor(private readonly o: FileQueueOptions) {}

  /** Opens the queue directory; batches left by an earlier run are sent first. */
  async open(): Promise<void> {
    await mkdir(this.o.directory, { recursive: true });
    for (const f of (await readdir(this.o.directory)).sort()) {
      if (f.endsWith('.tmp')) await rm(path.join(this.o.directory, f), { force: true });
      const m = NAME.exec(f);
      if (m) {
        this.files.push(f);
        this.seq = Math.max(this.seq, Number(m[1]));
      }
    }
  }

  /** Batches waiting to be sent. */
  get pending(): number {
    return this.files.length;
  }

  /** Writes a batch (an encoded request of `count` records) durably; resolves once it is on disk (waits while the queue is full). */
  async enqueue(data: Uint8Array, count: number): Promise<void> {
    while (this.files.length >= (this.o.maxBatches ?? DEFAULT_SENDING_QUEUE_MAX_BATCHES))
      await new Promise<void>((r) => this.waiters.push(r));
    const name = `batch-${String(++this.seq).padStart(12, '0')}-${count}.pb`;
    const file = path.join(this.o.directory, name);
    await writeFileAtomic(file, data);
    this.files.push(name);
    this.wake?.();
  }

  /** Starts the sender. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    let backoff = this.o.minBackoffMillis ?? DEFAULT_QUEUE_MIN_BACKOFF_MILLIS;
    while (this.running) {
      const name = this.files[0];
      if (!name) {
        await new Promise<void>((r) => (this.wake = r));
        this.wake = undefined;
        continue;
      }
      const file = path.join(this.o.directory, name);
      try {
        const data = await readFile(file);
        const m = NAME.exec(name);
        const count = await this.o.send({
          data,
          format: name.endsWith('.pb') ? 'pb' : 'ndjson',
          ...(m?.[2] !== undefined ? { count: Number(m[2]) } : {}),
        });
        await rm(file, { force: true });
        this.files.shift();
        this.sent += count;
        backoff = this.o.minBackoffMillis ?? DEFAULT_QUEUE_MIN_BACKOFF_MILLIS;
        this.waiters.shift()?.();
      } catch (err) {
        this.failedAttempts++;
        this.o.onError?.(`sending ${name} failed (kept on disk, will retry): ${(err as Error).message}`);
        const jitter = this.o.randomization ?? 0.5;
        const wait = Math.min(
          backoff * (1 - jitter + 2 * jitter * Math.random()),
          this.o.maxBackoffMillis ?? DEFAULT_QUEUE_MAX_BACKOFF_MILLIS,
        );
        const interrupt = new AbortController();
        this.wake = () => {
          interrupt.abort();
        };
        await sleep(wait, interrupt.signal);
        this.wake = undefined;
        backoff = Math.min(backoff * (this.o.multiplier ?? 2), this.o.maxBackoffMillis ?? DEFAULT_QUEUE_MAX_BACKOFF_MILLIS);
      }
    }
  }

  /** Resolves true once every batch is sent, false after `timeoutMillis`. */
  async drain(timeoutMillis: number): Promise<boolean> {
    const until = Date.now() + timeoutMillis;
    while (this.files.length > 0 && Date.now() < until) await sleep(50);
    return this.files.length === 0;
  }

  /** Stops the sender after its current attempt; unsent batches stay on disk. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }
}
