import { PassThrough, Readable } from 'node:stream';
import t from 'tap';
import { chunksUntilError } from '../../src/io/stream-chunks.js';

t.test('chunksUntilError: what the stream buffered before it failed is read, then its error', async (t) => {
  const s = new PassThrough();
  s.write('a');
  s.write('b');
  // Fails with both chunks still buffered: a stream's own iterator would drop them.
  s.destroy(new Error('cut'));
  const got: string[] = [];
  await t.rejects(
    (async () => {
      for await (const c of chunksUntilError(s)) got.push(String(c));
    })(),
    /cut/,
  );
  t.equal(got.join(''), 'ab');
});

t.test('chunksUntilError: every chunk of a stream that ends, in order', async (t) => {
  const parts = Array.from({ length: 200 }, (_, i) => `${i},`);
  const got: string[] = [];
  for await (const c of chunksUntilError(Readable.from(parts.map((p) => Buffer.from(p))))) got.push(String(c));
  t.equal(got.join(''), parts.join(''));
});

t.test('chunksUntilError: a stream destroyed without an error before its end is not a short read', async (t) => {
  const s = new PassThrough();
  s.write('a');
  setTimeout(() => s.destroy(), 20);
  await t.rejects(
    (async () => {
      let n = 0;
      for await (const c of chunksUntilError(s)) n += c.length;
      return n;
    })(),
    /closed before its end/,
  );
});

t.test('chunksUntilError: leaving the loop early destroys the stream', async (t) => {
  const s = new PassThrough();
  s.write('a');
  s.write('b');
  for await (const _ of chunksUntilError(s)) break;
  t.ok(s.destroyed);
});
