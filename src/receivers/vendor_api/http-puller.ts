/**
 * Pulls audit log pages from a vendor API described by its adapter's `client.ts`: windows, then
 * pages by cursor. Retries network failures, truncated answers, 429 and 5xx with exponential
 * backoff and jitter (p-retry), waiting at least `Retry-After`; every request has a timeout.
 * Other errors stop the pull with the adapter's explanation. Credentials are sent in headers
 * and never appear in messages.
 */
import pRetry, { AbortError } from 'p-retry';
import { AuditIoError } from '../../errors.js';
import { sleep } from '../../io/sleep.js';
import type { ApiPage, PullParams, PullWindow, VendorApi } from '../../model/api.js';
import { printableEndpoint } from '../../model/endpoint.js';
import {
  DEFAULT_MAX_BACKOFF_MILLIS,
  DEFAULT_MAX_PAGES,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_MIN_BACKOFF_MILLIS,
  DEFAULT_RETRIES,
  DEFAULT_TIMEOUT_SECS,
} from './config.js';
import { readTextRecords, type InputRecord, type ReadOptions } from '../files/files.js';

export interface HttpPullOptions {
  /** Per-request timeout. Default 30000. */
  timeoutMillis?: number;
  /** Retries after the first attempt. Default 6. */
  retries?: number;
  /** First backoff delay; doubles per retry, with jitter. Default 1000. */
  minBackoffMillis?: number;
  /** Longest wait between attempts (Retry-After included). Default 60000. */
  maxBackoffMillis?: number;
  /** A response body larger than this stops the pull (an endless or oversized answer). Default 256 MiB. */
  maxResponseBytes?: number;
  /** Pages one window may take before the pull stops (a cursor that never ends). Default 100,000. */
  maxPages?: number;
  /** Told about each retry (for diagnostics; the message holds no secrets). */
  onRetry?: (message: string) => void;
  signal?: AbortSignal;
}

/** One page of a pull, with where it is in the pull (for checkpoints). */
export interface PulledPage {
  windowIndex: number;
  window: PullWindow;
  /** The cursor this page was requested with. */
  cursor: string | undefined;
  /** The cursor of the next page; undefined when this was the window's last page. */
  nextCursor: string | undefined;
  records: InputRecord[];
}

class RetryableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMillis?: number,
  ) {
    super(message);
  }
}

/** Retry-After: seconds or an HTTP date. */
function retryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The body as text, read up to `max` bytes: a larger one stops the pull (never buffered whole). */
async function readBody(res: Response, max: number, where: string): Promise<string> {
  if (!res.body) return '';
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > max) {
    await res.body.cancel();
    throw new AuditIoError(`${where}: the answer has ${declared} bytes, more than max_response_bytes (${max})`);
  }
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    if (bytes > max) {
      await res.body.cancel().catch(() => undefined);
      throw new AuditIoError(`${where}: the answer exceeds max_response_bytes (${max}); stopped reading it`);
    }
    text += decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}

/** Fetches one page, with retries; resolves to the parsed page. */
async function fetchPage(
  api: VendorApi,
  params: PullParams,
  window: PullWindow,
  cursor: string | undefined,
  opts: HttpPullOptions,
): Promise<ApiPage> {
  const req = api.request(params, window, cursor);
  const where = printableEndpoint(req.url);
  const maxBackoff = opts.maxBackoffMillis ?? DEFAULT_MAX_BACKOFF_MILLIS;
  return pRetry(
    async () => {
      let res: Response;
      let body: string;
      try {
        const signals = [AbortSignal.timeout(opts.timeoutMillis ?? DEFAULT_TIMEOUT_SECS * 1000), ...(opts.signal ? [opts.signal] : [])];
        res = await fetch(req.url, { headers: req.headers, signal: AbortSignal.any(signals) });
        body = await readBody(res, opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES, where);
      } catch (err) {
        if (opts.signal?.aborted) throw new AbortError('stopped');
        if (err instanceof AuditIoError) throw new AbortError(err);
        const e = err as Error & { cause?: { code?: string } };
        const why = e.name === 'TimeoutError' ? 'timed out' : (e.cause?.code ?? e.message);
        throw new RetryableError(`${where}: ${why}`);
      }
      if (res.status === 429 || res.status >= 500) {
        throw new RetryableError(
          `${where}: ${res.status}${res.status === 429 ? ' (rate limited)' : ''}`,
          retryAfter(res.headers.get('retry-after')),
        );
      }
      // A vendor error body may echo the key it was sent: it never reaches a message.
      const key = params.credentials.apiKey;
      if (!res.ok)
        throw new AbortError(
          new AuditIoError(`${api.explain(res.status, key.length >= 4 ? body.split(key).join('****') : body)} [${where}]`),
        );
      try {
        return api.parse(body, res.headers.get('content-type') ?? '');
      } catch (err) {
        // A cut-off answer parses badly: ask again.
        throw new RetryableError(`${where}: unreadable answer (${(err as Error).message})`);
      }
    },
    {
      retries: opts.retries ?? DEFAULT_RETRIES,
      factor: 2,
      minTimeout: opts.minBackoffMillis ?? DEFAULT_MIN_BACKOFF_MILLIS,
      maxTimeout: maxBackoff,
      randomize: true,
      ...(opts.signal ? { signal: opts.signal } : {}),
      onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
        if (error instanceof RetryableError) {
          opts.onRetry?.(`${error.message}; attempt ${attemptNumber}, ${retriesLeft} retries left`);
          // Honour Retry-After on top of the backoff p-retry adds.
          if (error.retryAfterMillis && retriesLeft > 0 && !(await sleep(Math.min(error.retryAfterMillis, maxBackoff), opts.signal)))
            throw opts.signal?.reason;
        }
      },
    },
  ).catch((err: unknown) => {
    if (err instanceof AuditIoError) throw err;
    if (err instanceof RetryableError) throw new AuditIoError(`giving up after retries: ${err.message}`);
    throw err instanceof Error && err.name === 'AbortError' && err.message === 'stopped'
      ? err
      : new AuditIoError(err instanceof Error ? err.message : String(err));
  });
}

/**
 * Pulls every page of [since, until), starting at `resume` (a window index and cursor from a
 * checkpoint). Each page's records are read like file input (envelopes, NDJSON, CSV).
 */
export async function* pullPages(
  api: VendorApi,
  params: PullParams,
  readOptions: ReadOptions,
  opts: HttpPullOptions = {},
  resume: { windowIndex: number; cursor: string | undefined } = { windowIndex: 0, cursor: undefined },
): AsyncGenerator<PulledPage> {
  const windows = api.windows(params);
  for (let w = resume.windowIndex; w < windows.length; w++) {
    const window = windows[w]!;
    let cursor = w === resume.windowIndex ? resume.cursor : undefined;
    // A cursor seen before in this window, or too many pages, would loop forever: stop instead.
    const cursors = new Set<string>(cursor ? [cursor] : []);
    const maxPages = opts.maxPages ?? DEFAULT_MAX_PAGES;
    for (let pages = 1; ; pages++) {
      const page = await fetchPage(api, params, window, cursor, opts);
      const source = printableEndpoint(api.request(params, window, cursor).url);
      const records: InputRecord[] = [];
      if (page.kind === 'records') {
        page.records.forEach((value, i) => {
          const pointer = page.envelopeKey ? `/${page.envelopeKey}/${i}` : `/${i}`;
          records.push({
            value,
            text: JSON.stringify(value),
            location: { file: source, pointer },
            format: 'json',
            ...(page.envelopeKey ? { envelopeKey: page.envelopeKey } : {}),
          });
        });
      } else {
        for await (const r of readTextRecords(page.text, source, { ...readOptions, format: page.format })) records.push(r);
      }
      const where = printableEndpoint(api.request(params, window, page.cursor).url);
      if (page.cursor && cursors.has(page.cursor))
        throw new AuditIoError(
          `${where}: the API answered a cursor it gave before in this window (a cursor cycle); stopped, the checkpoint stays at the last good page`,
        );
      if (page.cursor && pages >= maxPages)
        throw new AuditIoError(
          `${where}: ${maxPages} pages in one window (max_pages) and the API still has a next cursor; stopped, the checkpoint stays at the last good page`,
        );
      yield { windowIndex: w, window, cursor, nextCursor: page.cursor, records };
      if (!page.cursor) break;
      cursors.add(page.cursor);
      cursor = page.cursor;
    }
  }
}
