import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { DeadLetter, DeadLetterSink } from '../model/dead-letter.js';
import { LineWriter } from './line-writer.js';

/** Dead-letter files are created owner-only: they keep the original, unredacted records. */
export const DEAD_LETTER_MODE = 0o600;

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
    // Dead letters hold originals, unredacted (they must, to be fed back): only the owner reads them.
    this.stream = createWriteStream(filePath, { flags: 'a', mode: DEAD_LETTER_MODE });
    this.stream.on('error', () => {
      this.failures++;
    });
    this.writer = new LineWriter(this.stream);
  }

  write(letter: DeadLetter): void {
    const line = JSON.stringify(letter);
    this.chain = this.chain
      .then(() => this.writer.write(line))
      .catch(() => {
        this.failures++;
      });
  }

  /** Resolves once everything queued has been written to the file (not only handed to the stream). */
  async flush(): Promise<void> {
    this.chain = this.chain
      .then(() => this.writer.flush())
      .then(
        () =>
          new Promise<void>((resolve) =>
            this.stream.write('', () => {
              resolve();
            }),
          ),
      )
      .catch(() => {
        this.failures++;
      });
    await this.chain;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.writer.close();
  }
}
