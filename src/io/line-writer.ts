import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';

/**
 * Writes lines to a stream in batches of about `batchBytes` characters, waiting for `drain`
 * when the stream asks it to, so memory stays bounded whatever the input size.
 */
export class LineWriter {
  private buffer: string[] = [];
  private size = 0;

  constructor(
    private readonly stream: Writable,
    private readonly batchBytes = 64 * 1024,
  ) {}

  /**
   * Queues one line (without its `\n`). Returns a promise only when the batch was handed to the
   * stream (await it: it resolves once the stream has room again), so the common case costs no
   * async step per line.
   */
  write(line: string): Promise<void> | undefined {
    this.buffer.push(line);
    this.size += line.length + 1;
    return this.size >= this.batchBytes ? this.flush() : undefined;
  }

  /** Queues a block of whole lines (each ending with `\n`); like `write`, a promise only when it flushed. */
  writeBlock(text: string): Promise<void> | undefined {
    if (text.length === 0) return undefined;
    this.buffer.push(text.endsWith('\n') ? text.slice(0, -1) : text);
    this.size += text.length;
    return this.size >= this.batchBytes ? this.flush() : undefined;
  }

  /** Hands everything queued to the stream. */
  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const text = this.buffer.join('\n') + '\n';
    this.buffer = [];
    this.size = 0;
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }

  /** Flushes and ends the stream (not for stdout, which is flushed only). */
  async close(end = true): Promise<void> {
    await this.flush();
    if (!end) return;
    const finished = once(this.stream, 'finish');
    this.stream.end();
    await finished;
  }
}

/**
 * Bytes a file stream buffers before it asks the writer to wait: 1 MiB, so the writer's 64 KiB
 * batches go to the disk while the next ones are made, instead of waiting for `drain` after each.
 */
export const FILE_HIGH_WATER_MARK = 1024 * 1024;

/** A line writer on a new file (parent directories created), and a promise of its end. */
export async function openLineFile(file: string, options: { mode?: number } = {}): Promise<{ writer: LineWriter; done: Promise<void> }> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const stream = createWriteStream(file, {
    highWaterMark: FILE_HIGH_WATER_MARK,
    ...(options.mode !== undefined ? { mode: options.mode } : {}),
  });
  const done = new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    stream.on('finish', resolve);
  });
  // When the open fails, the caller gets the error from the await below and never awaits
  // `done`: mark it handled so the failure is not also an unhandled rejection (a crash).
  done.catch(() => undefined);
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => {
      resolve();
    });
    stream.once('error', reject);
  });
  return { writer: new LineWriter(stream), done };
}
