/**
 * `query` reads a line only when it can match (the raw-line prefilter): over generated events
 * and filters made from their own fields (any case, any substring, times around theirs), the
 * archive query returns exactly the events the exact filter keeps, in order. The archives have
 * several closed segments with events in any time order, so skipping a segment by its digest's
 * min_time/max_time is checked too (a skip by its first and last time fails this).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import t from 'tap';
import { eventFilter, queryArchive, type QueryFilter } from '../../src/exporters/ndjson_file/query.js';
import { NdjsonArchiveWriter } from '../../src/exporters/ndjson_file/writer.js';
import type { AuditEvent } from '../../src/model/event.js';
import { auditEvents } from '../helpers/event-arbitrary.js';

const distinct = (events: AuditEvent[]): AuditEvent[] => [...new Map(events.map((e) => [e.id, e])).values()];

/** A substring of `s` in a random case. */
const piece = (s: string, a: number, b: number, upper: boolean): string => {
  const start = Math.min(a, s.length);
  const sub = s.slice(start, Math.max(start + 1, Math.min(s.length, b)));
  return upper ? sub.toUpperCase() : sub;
};

t.test('the prefilter never drops a matching event', async (t) => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(auditEvents(), { minLength: 1, maxLength: 25 }),
      fc.nat(),
      fc.nat(40),
      fc.nat(40),
      fc.boolean(),
      fc.constantFrom('search', 'actor', 'action', 'vendor', 'since', 'until', 'since', 'until'),
      fc.constantFrom(600, 2000, 64 * 1024 * 1024),
      async (raw, pick, a, b, upper, kind, maxFileBytes) => {
        const events = distinct(raw);
        const e = events[pick % events.length]!;
        const filter: QueryFilter = {};
        if (kind === 'search') filter.search = piece(JSON.stringify(Object.values(e.action)), a, b, upper);
        else if (kind === 'actor') filter.actor = piece(e.actor?.email ?? e.actor?.name ?? e.actor?.id ?? 'x', a, b, upper);
        else if (kind === 'action') filter.action = piece(e.action.name, a, b, upper);
        else if (kind === 'vendor') filter.vendor = e.vendor;
        else if (kind === 'since') filter.since = e.time;
        else filter.until = e.time;
        const dir = await mkdtemp(path.join(tmpdir(), 'auditkit-query-prop-'));
        const writer = new NdjsonArchiveWriter({ dir, maxFileBytes });
        await writer.open();
        writer.write(events);
        await writer.close();
        const got: string[] = [];
        for await (const x of queryArchive(dir, filter)) got.push(x.id);
        const want = events.filter(eventFilter(filter)).map((x) => x.id);
        return JSON.stringify(got) === JSON.stringify(want);
      },
    ),
    { numRuns: 150 },
  );
  t.pass('150 archives and filters');
});
