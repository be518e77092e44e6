/**
 * NDJSON text handed between threads is cut into blocks small enough to stay out of V8's
 * large-object space (strings over 128 KiB): there each one is a fresh mapping of its own, and
 * `--jobs 2` with HMAC-hashed W&B records (blocks of about 140 KiB) spent 3.7 s of system time
 * in page faults. The blocks join back to exactly the lines, each ending with `\n`.
 */
import fc from 'fast-check';
import t from 'tap';
import { LINE_BLOCK_CHARS, lineBlocks } from '../../src/io/lines.js';

t.test('blocks: each under the limit unless one line alone is longer, together exactly the lines', async () => {
  fc.assert(
    fc.property(fc.array(fc.string({ maxLength: 300 }), { maxLength: 400 }), fc.integer({ min: 1, max: 2000 }), (lines, max) => {
      const blocks = lineBlocks(lines, max);
      if (blocks.join('') !== lines.map((l) => `${l}\n`).join('')) return false;
      // A block is over the limit only when it is one line (longer than the limit by itself).
      return blocks.every((b) => b.length > 0 && b.endsWith('\n') && (b.length <= max || b.indexOf('\n') === b.length - 1));
    }),
    { numRuns: 2000 },
  );
});

t.test('the default limit keeps a block, and a 64 KiB write batch plus one block, under 128 KiB', async (t) => {
  t.ok(LINE_BLOCK_CHARS + 64 * 1024 < 128 * 1024);
  const line = 'x'.repeat(600);
  const blocks = lineBlocks(Array.from({ length: 1000 }, () => line));
  t.ok(blocks.length > 1, 'a 600 KB output is cut');
  t.ok(
    blocks.every((b) => b.length <= LINE_BLOCK_CHARS),
    'every block within the limit',
  );
  t.same(lineBlocks([]), [], 'no lines, no blocks');
});
