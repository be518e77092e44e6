/**
 * `auditkit query`: streams the events of every segment (gzip or open) in order, with filters.
 * A torn last line of the open segment is never returned.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { AuditEvent } from '../../model/event.js';
import { compareTimes, timeToHrTime } from '../../model/time.js';
import { FILE_PATTERN, segmentLines } from './format.js';

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

/**
 * Streams matching events. `onSkipped` is told about lines that are not JSON events;
 * `onDamaged` about a segment that cannot be read to its end (its events before the damage are
 * returned, and the segments after it are read as usual).
 */
export async function* queryArchive(
  dir: string,
  filter: QueryFilter = {},
  onSkipped?: (file: string, line: number) => void,
  onDamaged?: (file: string, message: string) => void,
): AsyncGenerator<AuditEvent> {
  const matches = eventFilter(filter);
  for (const file of await segmentFiles(dir)) {
    let n = 0;
    try {
      for await (const line of segmentLines(file)) {
        n++;
        let event: AuditEvent;
        try {
          const parsed = JSON.parse(line.toString('utf8')) as Partial<AuditEvent> | null;
          if (typeof parsed?.time !== 'string') throw new Error('not an event');
          event = parsed as AuditEvent;
          timeToHrTime(event.time);
        } catch {
          onSkipped?.(file, n);
          continue;
        }
        if (matches(event)) yield event;
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
