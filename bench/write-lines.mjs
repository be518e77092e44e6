// What both floors do with their JSON lines: write them in blocks of about 64 KiB, waiting for
// the file when it asks (the least any converter does to write its output).
import { createWriteStream } from 'node:fs';

/** A writer of lines to `output`: `push` returns a promise to wait on when the file is full. */
export function lineBlocks(output) {
  const out = createWriteStream(output);
  let buf = [];
  let size = 0;
  return {
    push(s) {
      buf.push(s);
      size += s.length;
      if (size <= 65536) return undefined;
      const ok = out.write(buf.join('\n') + '\n');
      buf = [];
      size = 0;
      return ok ? undefined : new Promise((r) => out.once('drain', r));
    },
    async end() {
      if (buf.length) out.write(buf.join('\n') + '\n');
      out.end();
      await new Promise((r) => out.on('finish', r));
    },
  };
}
