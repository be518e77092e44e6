import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/**
 * Every chunk `stream` produced, then its error if it failed. A stream's own async iterator
 * stops returning what it has buffered once the stream fails: a gzip cut short fails at the
 * cut, and the text it had decoded before it but not yet handed over (16 KiB or more) was lost,
 * more or less of it depending on how fast the reader was. Here the buffer is read out first.
 * Ending the iteration early destroys the stream.
 */
export async function* chunksUntilError<T = Buffer>(stream: Readable): AsyncGenerator<T> {
  // Set by the listeners (an object, so that each read below sees the current state).
  const state: { error?: { cause: unknown }; ended: boolean } = { ended: false };
  let wake: (() => void) | undefined;
  const poke = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const onError = (err: unknown): void => {
    state.error ??= { cause: err };
    poke();
  };
  const onEnd = (): void => {
    state.ended = true;
    poke();
  };
  // Destroyed without an error and without ending (by someone else): not a silent short read.
  const onClose = (): void => {
    if (!state.ended) state.error ??= { cause: new Error('the stream closed before its end') };
    poke();
  };
  stream.on('readable', poke);
  stream.on('error', onError);
  stream.on('end', onEnd);
  stream.on('close', onClose);
  try {
    for (;;) {
      for (let chunk = stream.read() as T | null; chunk !== null; chunk = stream.read() as T | null) yield chunk;
      if (state.error) throw state.error.cause;
      if (state.ended) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    stream.off('readable', poke);
    stream.off('error', onError);
    stream.off('end', onEnd);
    stream.off('close', onClose);
    stream.destroy();
  }
}

/** `source` gunzipped; an error of `source` fails the gunzip too (a pipe alone would leave it waiting). */
export function gunzipOf(source: Readable): Readable {
  const gunzip = createGunzip();
  source.on('error', (err) => gunzip.destroy(err));
  return source.pipe(gunzip);
}
