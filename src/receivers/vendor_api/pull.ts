/**
 * One pull of a vendor source into outputs, exactly as far as the checkpoint allows:
 * resume an interrupted range, then pull [max(since, watermark - overlap), until). Each page is
 * normalized, limited to the range, deduplicated by id, written, acknowledged by every output,
 * and only then is the checkpoint advanced. Shared by `auditkit pull` and `auditkit run`.
 */
import type { ReceiverSink } from '../../components/receiver-sink.js';
import { applyAdapter, deadLetterOf, type VendorAdapter } from '../../model/adapter.js';
import type { ApiCredentials } from '../../model/api.js';
import type { AuditEvent, NormalizeOptions } from '../../model/event.js';
import { IdSet } from '../../model/id-set.js';
import { compareTimes } from '../../model/time.js';
import type { ReadOptions } from '../files/files.js';
import type { InputRecord } from '../../model/record.js';
import { pullPages, type HttpPullOptions } from './http-puller.js';
import { DEFAULT_OVERLAP_MILLIS } from './config.js';

export { DEFAULT_OVERLAP_MILLIS } from './config.js';
import { loadCheckpoint, saveCheckpoint, type Checkpoint } from './checkpoint.js';

export interface PullSourceOptions {
  adapter: VendorAdapter;
  /** How text pages (NDJSON, CSV, envelopes) are read: envelope recognition comes from every adapter. */
  readOptions: Pick<ReadOptions, 'envelopeKeyOf' | 'envelopeKeys'>;
  /** Receiver name, the checkpoint's key. */
  source: string;
  url: string;
  credentials: ApiCredentials;
  vendorOptions: Readonly<Record<string, unknown>>;
  /**
   * Where to start when there is no checkpoint (RFC 3339 UTC). Without it (Snorkel Flow, whose
   * API has no time filter) the first pull takes whatever the API returns.
   */
  since?: string;
  /** End of the range (exclusive). Default: now. */
  until?: string;
  stateDir: string;
  /** How far before the watermark to look again (vendors publish late). Default 10 minutes. */
  overlapMillis?: number;
  http?: HttpPullOptions;
  normalize?: NormalizeOptions;
  /** Applied to each event before delivery (redaction, validation); undefined drops it. */
  transform?: (event: AuditEvent) => AuditEvent | undefined;
  onWarning?: (message: string) => void;
  now?: () => number;
}

export interface PullCounts {
  pages: number;
  read: number;
  delivered: number;
  duplicates: number;
  outsideRange: number;
  rejected: number;
  dropped: number;
  /** Bytes written to the checkpoint file by this pull (proportional to the overlap, not the range). */
  checkpointBytes: number;
  /**
   * Ranges that may be missing records: a newest-`limit` API (Snorkel Flow) answered a full
   * `maxLimit` whose oldest record is newer than the range's start. The checkpoint stayed.
   */
  gaps: PullGap[];
}

/** Records between `since` and `oldest` may be missing: the API's newest `limit` did not reach back. */
export interface PullGap {
  since: string;
  oldest: string;
  limit: number;
}

/** What a gap means, for a warning: the hint says how to close it (`--max-limit`, `max_limit`). */
export const describeGap = (g: PullGap, hint: string): string =>
  `possible gap: the newest ${g.limit} records reach back only to ${g.oldest}, so records between ${g.since} and it may be missing; the checkpoint stays; ${hint}`;

/** The start of a range with no lower bound (no `since`, no checkpoint). */
const UNBOUNDED = '0001-01-01T00:00:00Z';

interface Outcome {
  rec: InputRecord;
  outcome: ReturnType<typeof applyAdapter>;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

export async function pullSource(o: PullSourceOptions, sink: ReceiverSink): Promise<PullCounts> {
  const counts: PullCounts = {
    pages: 0,
    read: 0,
    delivered: 0,
    duplicates: 0,
    outsideRange: 0,
    rejected: 0,
    dropped: 0,
    checkpointBytes: 0,
    gaps: [],
  };
  const now = o.now ?? Date.now;
  const overlap = o.overlapMillis ?? DEFAULT_OVERLAP_MILLIS;
  const cp: Checkpoint = await loadCheckpoint(o.stateDir, o.source);
  // Ids delivered near the watermark (persisted: what the next pull's overlap can see again),
  // and every id delivered by this pull (in memory, ~32 bytes each).
  const recent = new Map<string, string>(cp.recent);
  const delivered = new IdSet();
  const save = async (): Promise<void> => {
    counts.checkpointBytes += await saveCheckpoint(o.stateDir, cp);
  };
  const until = o.until ?? iso(now());

  const ranges: { since: string; until: string; window: number; cursor?: string }[] = [];
  if (cp.current) ranges.push(cp.current);
  const startAfter = cp.current?.until ?? cp.watermark;
  // Without a start and a checkpoint, nothing can be missing below what the API returns.
  const bounded = o.since !== undefined || startAfter !== undefined;
  let since = o.since ?? UNBOUNDED;
  if (startAfter) {
    const back = iso(Date.parse(startAfter) - overlap);
    if (compareTimes(back, since) > 0) since = back;
  }
  if (compareTimes(since, until) < 0) ranges.push({ since, until, window: 0 });

  /** Normalizes records: each is rejected, out of range, seen before, dropped or kept for delivery. */
  const select = async (outcomes: Outcome[], range: { since: string; until: string }, keepFrom: string): Promise<AuditEvent[]> => {
    const events: AuditEvent[] = [];
    for (const { rec, outcome } of outcomes) {
      counts.read++;
      if ('error' in outcome) {
        counts.rejected++;
        await sink.reject(deadLetterOf(rec, outcome));
        continue;
      }
      const e = outcome.event;
      if (compareTimes(e.time, range.since) < 0 || compareTimes(e.time, range.until) >= 0) {
        counts.outsideRange++;
        continue;
      }
      if (recent.has(e.id) || delivered.has(e.id)) {
        counts.duplicates++;
        continue;
      }
      const out = o.transform ? o.transform(e) : e;
      if (!out) {
        counts.dropped++;
        continue;
      }
      delivered.add(e.id);
      if (compareTimes(e.time, keepFrom) >= 0) recent.set(e.id, e.time);
      events.push(out);
    }
    return events;
  };
  const normalize = (records: InputRecord[]): Outcome[] =>
    records.map((rec) => ({ rec, outcome: applyAdapter(o.adapter, rec, o.normalize ?? {}) }));

  for (const range of ranges) {
    const keepFrom = iso(Date.parse(range.until) - overlap);
    const params = { url: o.url, since: range.since, until: range.until, credentials: o.credentials, options: o.vendorOptions };
    for (const w of o.adapter.api.warnings?.(params, now()) ?? []) o.onWarning?.(w);
    cp.current = { ...range };
    const newest = o.adapter.api.newest;
    if (newest) {
      // A newest-`limit` API: ask until the answer reaches back to the range's start, doubling the limit.
      let options = o.vendorOptions;
      let limit = newest.limit(options);
      const maxLimit = Math.max(limit, newest.maxLimit(options));
      let outcomes: Outcome[];
      let gap: PullGap | undefined;
      for (;;) {
        const records: InputRecord[] = [];
        for await (const page of pullPages(o.adapter.api, { ...params, options }, o.readOptions, o.http ?? {})) {
          counts.pages++;
          records.push(...page.records);
        }
        outcomes = normalize(records);
        if (!bounded || records.length < limit) break;
        let oldest: string | undefined;
        for (const { outcome } of outcomes)
          if ('event' in outcome && (!oldest || compareTimes(outcome.event.time, oldest) < 0)) oldest = outcome.event.time;
        if (!oldest || compareTimes(oldest, range.since) <= 0) break;
        if (limit >= maxLimit) {
          gap = { since: range.since, oldest, limit };
          break;
        }
        limit = Math.min(limit * 2, maxLimit);
        options = newest.withLimit(options, limit);
        o.onWarning?.(
          `the newest ${records.length} records reach back only to ${oldest}, after ${range.since}: asking again with limit ${limit}`,
        );
      }
      const events = await select(outcomes, range, keepFrom);
      await sink.write(events);
      await sink.ack();
      counts.delivered += events.length;
      delete cp.current;
      if (gap) {
        // Keep the checkpoint where it was; remember what was delivered so a later pull that
        // reaches back does not deliver it twice.
        counts.gaps.push(gap);
        for (const { outcome } of outcomes)
          if ('event' in outcome && delivered.has(outcome.event.id)) recent.set(outcome.event.id, outcome.event.time);
        cp.recent = [...recent];
        await save();
        continue;
      }
    } else {
      for await (const page of pullPages(o.adapter.api, params, o.readOptions, o.http ?? {}, {
        windowIndex: range.window,
        cursor: range.cursor,
      })) {
        counts.pages++;
        const events = await select(normalize(page.records), range, keepFrom);
        await sink.write(events);
        await sink.ack();
        counts.delivered += events.length;
        cp.current = page.nextCursor
          ? { ...range, window: page.windowIndex, cursor: page.nextCursor }
          : { since: range.since, until: range.until, window: page.windowIndex + 1 };
        cp.recent = [...recent];
        await save();
      }
    }
    // The range is done: move the watermark, keep only ids the next overlap can see again.
    cp.watermark = range.until;
    delete cp.current;
    for (const [id, t] of recent) if (compareTimes(t, keepFrom) < 0) recent.delete(id);
    cp.recent = [...recent];
    await save();
  }
  return counts;
}
