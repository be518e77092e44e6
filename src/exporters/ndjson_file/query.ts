/**
 * `auditkit query`: streams the events of every segment (gzip or open) in order, with filters.
 * A torn last line of the open segment is never returned.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AuditEvent } from '../../model/event.js';
import { compareTimes, timeToHrTime } from '../../model/time.js';
import { FILE_PATTERN, digestName, segmentLineBatches, type ArchiveContent, type Digest } from './format.js';

/** Query filters; all given filters must hold. Text filters are case-insensitive substrings. */
export interface QueryFilter {
  /** Events at or after this time (RFC 3339 UTC). */
  since?: string;
  /** Events before this time. */
  until?: string;
  vendor?: string;
  /** Substring of actor id, e-mail or name. */
  actor?: string;
  /** Substring of the action name, or its exact category or operation. */
  action?: string;
  /** Substring of any field (as the Wherobots console's search). */
  search?: string;
}

const has = (value: string | undefined, needle: string): boolean => value?.toLowerCase().includes(needle) === true;

/** Every field value of an event, as text (for `search`: values, not keys or JSON syntax). */
function* strings(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (typeof value === 'number' || typeof value === 'boolean') yield String(value);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) yield* strings(v);
}

/** A compiled filter: true when the event matches. */
export function eventFilter(filter: QueryFilter): (event: AuditEvent) => boolean {
  const actor = filter.actor?.toLowerCase();
  const action = filter.action?.toLowerCase();
  const search = filter.search?.toLowerCase();
  return (e) => {
    if (filter.since !== undefined && compareTimes(e.time, filter.since) < 0) return false;
    if (filter.until !== undefined && compareTimes(e.time, filter.until) >= 0) return false;
    if (filter.vendor !== undefined && e.vendor !== filter.vendor) return false;
    if (actor !== undefined && !(has(e.actor?.id, actor) || has(e.actor?.email, actor) || has(e.actor?.name, actor))) return false;
    if (action !== undefined && !(has(e.action.name, action) || e.action.category === action || e.action.operation === action))
      return false;
    if (search !== undefined) {
      for (const s of strings(e)) if (s.toLowerCase().includes(search)) return true;
      return false;
    }
    return true;
  };
}

/** What an archive holds, by its first digest's `content` (`verify` checks that every digest agrees); unified events when it has none. */
export async function archiveContent(dir: string): Promise<ArchiveContent> {
  const seqs = (await readdir(dir)).flatMap((f) => {
    const m = FILE_PATTERN.exec(f);
    return m?.[2] === 'digest.json' ? [Number(m[1])] : [];
  });
  if (!seqs.length) return undefined;
  const digest = JSON.parse(await readFile(`${dir}/${digestName(Math.min(...seqs))}`, 'utf8')) as Partial<Digest>;
  return digest.content;
}

/**
 * True when a closed segment's digest says none of its events is within since/until (its
 * `min_time`/`max_time`), so the segment need not be read. An open segment is always read (lines
 * after its last flush are not in the digest), as is one whose digest is missing, unreadable or
 * older than min/max. `verify` checks these fields against the lines.
 */
async function outsideRange(file: string, filter: QueryFilter): Promise<boolean> {
  if (filter.since === undefined && filter.until === undefined) return false;
  const m = FILE_PATTERN.exec(path.basename(file));
  if (m?.[2] !== 'ndjson.gz') return false;
  let digest: Partial<Digest>;
  try {
    digest = JSON.parse(await readFile(path.join(path.dirname(file), digestName(Number(m[1]))), 'utf8')) as Partial<Digest>;
  } catch {
    return false;
  }
  const { min_time: min, max_time: max } = digest;
  if (digest.state !== 'closed' || digest.segment !== path.basename(file) || typeof min !== 'string' || typeof max !== 'string')
    return false;
  try {
    return (
      (filter.since !== undefined && compareTimes(max, filter.since) < 0) ||
      (filter.until !== undefined && compareTimes(min, filter.until) >= 0)
    );
  } catch {
    return false; // not times: read the segment
  }
}

/** Segment files of an archive in order (closed .gz, then the open .ndjson of the same sequence never both). */
export async function segmentFiles(dir: string): Promise<string[]> {
  const found: [number, string][] = [];
  for (const f of await readdir(dir)) {
    const m = FILE_PATTERN.exec(f);
    if (m && (m[2] === 'ndjson' || m[2] === 'ndjson.gz')) found.push([Number(m[1]), f]);
  }
  // During a close both exist briefly; the closed one wins.
  found.sort((a, b) => a[0] - b[0] || (a[1].endsWith('.gz') ? -1 : 1));
  const out: string[] = [];
  let last = -1;
  for (const [seq, f] of found) {
    if (seq === last) continue;
    out.push(path.join(dir, f));
    last = seq;
  }
  return out;
}

/** A JSON string's characters as JSON.stringify writes them unescaped: a needle with others may be escaped in the line. */
const PLAIN = (needle: string): boolean => {
  for (let i = 0; i < needle.length; i++) {
    const c = needle.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x2028 || c === 0x2029) return false;
  }
  return true;
};

/**
 * What the raw line of a matching event must hold, checked before the line is parsed (the exact
 * filter still runs after): each text filter's needle, case-insensitively, and the event's time
 * within since/until when the line starts as the writer writes events (`schema_version`, `id`,
 * `time` first, so the first `"time":"` is the event's own).
 */
function linePrefilter(filter: QueryFilter): ((line: string) => boolean) | undefined {
  const needles = [filter.vendor, filter.actor, filter.action, filter.search]
    .filter((n): n is string => n !== undefined && n !== '' && PLAIN(n))
    .map((n) => n.toLowerCase());
  const { since, until } = filter;
  if (needles.length === 0 && since === undefined && until === undefined) return undefined;
  return (line) => {
    if (needles.length) {
      const lower = line.toLowerCase();
      for (const n of needles) if (!lower.includes(n)) return false;
    }
    if ((since !== undefined || until !== undefined) && line.startsWith('{"schema_version":"')) {
      const at = line.indexOf(',"time":"');
      if (at > 0 && line.lastIndexOf('{', at) === 0 && line.lastIndexOf('[', at) === -1) {
        const end = line.indexOf('"', at + 9);
        const time = line.slice(at + 9, end);
        try {
          if (since !== undefined && compareTimes(time, since) < 0) return false;
          if (until !== undefined && compareTimes(time, until) >= 0) return false;
        } catch {
          return true; // not a time: the parse below decides
        }
      }
    }
    return true;
  };
}

/** A matching event with its line as stored (the writer's JSON of it). */
export interface QueriedEvent {
  event: AuditEvent;
  line: string;
}

/**
 * Streams matching events with their stored lines. `onSkipped` is told about lines that are not
 * JSON events; `onDamaged` about a segment that cannot be read to its end (its events before the
 * damage are returned, and the segments after it are read as usual). Closed segments whose time
 * range (digest `min_time`/`max_time`) is outside since/until are not read; lines are read a
 * chunk at a time, and a line that cannot match (see `linePrefilter`) is not parsed.
 */
export async function* queryArchiveLines(
  dir: string,
  filter: QueryFilter = {},
  onSkipped?: (file: string, line: number) => void,
  onDamaged?: (file: string, message: string) => void,
): AsyncGenerator<QueriedEvent> {
  const matches = eventFilter(filter);
  const maybe = linePrefilter(filter);
  for (const file of await segmentFiles(dir)) {
    if (await outsideRange(file, filter)) continue;
    let n = 0;
    try {
      for await (const batch of segmentLineBatches(file)) {
        const found: QueriedEvent[] = [];
        for (const bytes of batch) {
          n++;
          const line = bytes.toString('utf8');
          if (maybe && !maybe(line)) continue;
          let event: AuditEvent;
          try {
            const parsed = JSON.parse(line) as Partial<AuditEvent> | null;
            if (typeof parsed?.time !== 'string') throw new Error('not an event');
            event = parsed as AuditEvent;
            timeToHrTime(event.time);
          } catch {
            onSkipped?.(file, n);
            continue;
          }
          if (matches(event)) found.push({ event, line });
        }
        yield* found;
      }
    } catch (err) {
      if (!onDamaged) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      onDamaged(
        file,
        `cannot read segment after line ${n}: ${code && !(err as Error).message.startsWith(code) ? `${code}: ` : ''}${(err as Error).message}`,
      );
    }
  }
}

/** Streams matching events (see `queryArchiveLines`). */
export async function* queryArchive(
  dir: string,
  filter: QueryFilter = {},
  onSkipped?: (file: string, line: number) => void,
  onDamaged?: (file: string, message: string) => void,
): AsyncGenerator<AuditEvent> {
  for await (const { event } of queryArchiveLines(dir, filter, onSkipped, onDamaged)) yield event;
}

/** Columns of `--format csv` and `table`, one per row, flat and spreadsheet-friendly. */
export const QUERY_COLUMNS = [
  'time',
  'vendor',
  'action',
  'category',
  'operation',
  'result',
  'status_code',
  'actor_id',
  'actor_email',
  'actor_name',
  'actor_ip',
  'target_user',
  'resources',
  'region',
  'id',
] as const;

/** One flat row of an event for CSV and table output. */
export function eventRow(e: AuditEvent): Record<(typeof QUERY_COLUMNS)[number], string> {
  return {
    time: e.time,
    vendor: e.vendor,
    action: e.action.name,
    category: e.action.category,
    operation: e.action.operation,
    result: e.outcome.result,
    status_code: e.outcome.status_code !== undefined ? String(e.outcome.status_code) : '',
    actor_id: e.actor?.id ?? '',
    actor_email: e.actor?.email ?? '',
    actor_name: e.actor?.name ?? '',
    actor_ip: e.actor?.ip ?? '',
    target_user: e.target_user?.email ?? e.target_user?.name ?? e.target_user?.id ?? '',
    resources: (e.resources ?? []).map((r) => `${r.type}:${r.name ?? r.id ?? ''}`).join('; '),
    region: e.cloud?.region ?? '',
    id: e.id,
  };
}
