import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { DeadLetter } from './dead-letter.js';
import { LineWriter } from './line-writer.js';

/** Where processors put records they reject with `on_invalid: dead_letter`. */
export interface DeadLetterSink {
  /** Queues one dead letter; never throws. */
  write(letter: DeadLetter): void;
  /** Resolves once everything queued is written. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Dead letters appended to an NDJSON file (the same line format every command writes). Writes
 * are queued in order from a synchronous `write`, as processors' `onEmit` cannot wait.
 */
export class NdjsonDeadLetterFile implements DeadLetterSink {
  private readonly writer: LineWriter;
  private readonly stream;
  private chain: Promise<void> = Promise.resolve();
  /** Write failures, counted rather than thrown (the record is already rejected). */
  failures = 0;

  constructor(readonly filePath: string) {
    mkdirSync(path.dirname(path.resolve(filePath)), { recursive: true });
    this.stream = createWriteStream(filePath, { flags: 'a' });
    this.stream.on('error', () => void this.failures++);
    this.writer = new LineWriter(this.stream);
  }

  write(letter: DeadLetter): void {
    const line = JSON.stringify(letter);
    this.chain = this.chain.then(() => this.writer.write(line)).catch(() => void this.failures++);
  }

  async flush(): Promise<void> {
    this.chain = this.chain.then(() => this.writer.flush()).catch(() => void this.failures++);
    await this.chain;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.writer.close();
  }
}
