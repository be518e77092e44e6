/**
 * Digests record each segment's earliest and latest event time (`min_time`, `max_time`), not
 * only its first and last line's; `query --since/--until` skips closed segments outside the range
 * (issue 16, item 3), and `verify` checks the range against the lines.
 */
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { closedSegmentName, digestName, type Digest } from '../../../src/exporters/ndjson_file/format.js';
import { queryArchive, type QueryFilter } from '../../../src/exporters/ndjson_file/query.js';
import { verifyArchive } from '../../../src/exporters/ndjson_file/verify.js';
import { NdjsonArchiveWriter } from '../../../src/exporters/ndjson_file/writer.js';
import type { AuditEvent } from '../../../src/model/event.js';
import { cli } from '../../helpers/cli.js';

const tmp = await mkdtemp(path.join(tmpdir(), 'auditkit-range-'));
let n = 0;
const fresh = (): string => path.join(tmp, `a${n++}`);

/** Event `i` at `time`. */
const event = (i: number, time: string): AuditEvent => ({
  schema_version: '1.0',
  id: `wandb:e${i}`,
  time,
  vendor: 'wandb',
  action: { name: 'run:create', category: 'run', operation: 'create' },
  outcome: { result: 'success' },
  actor: { email: `user${i}@example.com` },
});

/** Three segments of 4 events each, times out of order within each: Aug 1, Aug 2, Aug 3 (hours 0..23). */
const EVENTS: AuditEvent[] = [];
for (const day of [1, 2, 3])
  for (const [k, hour] of [12, 3, 23, 7].entries())
    EVENTS.push(event(day * 10 + k, `2026-08-0${day}T${String(hour).padStart(2, '0')}:00:00.5Z`));

async function build(): Promise<string> {
  const dir = fresh();
  // Every line has the same length: a segment holds exactly one day's four.
  const w = new NdjsonArchiveWriter({ dir, maxFileBytes: 4 * (JSON.stringify(EVENTS[0]).length + 1) });
  await w.open();
  for (let d = 0; d < 3; d++) {
    w.write(EVENTS.slice(d * 4, d * 4 + 4));
    await w.flush();
  }
  await w.close();
  return dir;
}

const digest = async (dir: string, seq: number): Promise<Digest> =>
  JSON.parse(await readFile(path.join(dir, digestName(seq)), 'utf8')) as Digest;
const ids = async (dir: string, filter: QueryFilter, damaged: string[] = []): Promise<string[]> => {
  const out: string[] = [];
  for await (const e of queryArchive(dir, filter, undefined, (f) => damaged.push(path.basename(f)))) out.push(e.id);
  return out;
};

t.test('each digest records its earliest and latest event time', async (t) => {
  const dir = fresh();
  const w = new NdjsonArchiveWriter({ dir, maxFileBytes: 700 });
  await w.open();
  w.write(EVENTS);
  await w.close();
  const names = (await readdir(dir)).filter((f) => f.endsWith('.digest.json')).sort();
  t.ok(names.length >= 3, `several segments (${names.length})`);
  for (let seq = 1; seq <= names.length; seq++) {
    const d = await digest(dir, seq);
    t.ok(typeof d.min_time === 'string' && typeof d.max_time === 'string', `${digestName(seq)}: min_time and max_time`);
  }
  // The first segment starts 12:00, 03:00: its earliest is 03:00, not its first line's time.
  const d1 = await digest(dir, 1);
  t.equal(d1.first_time, '2026-08-01T12:00:00.5Z');
  t.equal(d1.min_time, '2026-08-01T03:00:00.5Z', 'min_time is the earliest, not the first');
  t.not(d1.min_time, d1.first_time);
});

t.test('per-day segments: min/max are the day range, whatever the line order', async (t) => {
  const dir = await build();
  for (const day of [1, 2, 3]) {
    const d = await digest(dir, day);
    t.equal(d.first_time, `2026-08-0${day}T12:00:00.5Z`, `day ${day}: first line`);
    t.equal(d.last_time, `2026-08-0${day}T07:00:00.5Z`, `day ${day}: last line`);
    t.equal(d.min_time, `2026-08-0${day}T03:00:00.5Z`, `day ${day}: earliest`);
    t.equal(d.max_time, `2026-08-0${day}T23:00:00.5Z`, `day ${day}: latest`);
  }
  t.ok((await verifyArchive(dir, { strict: true })).ok, 'verify agrees');
});

t.test('query --since/--until does not read closed segments outside the range', async (t) => {
  const dir = await build();
  const all = await ids(dir, {});
  // Garble day 1's segment: a query that reads it reports the damage.
  const seg1 = path.join(dir, closedSegmentName(1));
  await writeFile(seg1, Buffer.from('not gzip at all'));
  const damaged: string[] = [];
  await ids(dir, {}, damaged);
  t.same(damaged, [closedSegmentName(1)], 'a full query reads day 1 (and finds it damaged)');
  for (const [filter, want] of [
    [{ since: '2026-08-02T00:00:00Z' }, all.slice(4)],
    [{ since: '2026-08-01T23:00:00.6Z' }, all.slice(4)],
    [{ since: '2026-08-03T10:00:00Z' }, ['wandb:e30', 'wandb:e32']],
  ] as [QueryFilter, string[]][]) {
    const d: string[] = [];
    t.same(await ids(dir, filter, d), want, `${JSON.stringify(filter)}: the events`);
    t.same(d, [], `${JSON.stringify(filter)}: day 1 not read`);
  }
  const d: string[] = [];
  await ids(dir, { since: '2026-08-01T23:00:00.5Z' }, d);
  t.same(d, [closedSegmentName(1)], 'since = the latest event of day 1: day 1 is read (the bound is inclusive)');
  const u: string[] = [];
  t.same(await ids(dir, { until: '2026-08-01T03:00:00.5Z' }, u), [], 'until = the earliest of day 1 (exclusive): nothing');
  t.same(u, [], 'and day 1 is not read');
  await ids(dir, { until: '2026-08-01T03:00:00.6Z' }, u);
  t.same(u, [closedSegmentName(1)], 'until just after it: day 1 is read');
  const r = await cli(['query', dir, '--since', '2026-08-02']);
  t.equal(r.code, 0, 'the CLI skips it too (no damaged segment, exit 0)');
  t.equal(r.stdout.trim().split('\n').length, 8);
});

t.test('digests without min/max (written before them) are read, never skipped', async (t) => {
  const dir = await build();
  const want = await ids(dir, { since: '2026-08-02T00:00:00Z' });
  for (const seq of [1, 2, 3]) {
    const { min_time: _a, max_time: _b, ...old } = await digest(dir, seq);
    await writeFile(path.join(dir, digestName(seq)), `${JSON.stringify(old, null, 1)}\n`);
  }
  await writeFile(path.join(dir, closedSegmentName(1)), Buffer.from('not gzip at all'));
  const d: string[] = [];
  t.same(await ids(dir, { since: '2026-08-02T00:00:00Z' }, d), want, 'the same events');
  t.same(d, [closedSegmentName(1)], 'day 1 is read');
});

t.test('verify reports a min_time or max_time that does not match the lines', async (t) => {
  for (const field of ['min_time', 'max_time'] as const) {
    const dir = await build();
    const d = await digest(dir, 3);
    await writeFile(path.join(dir, digestName(3)), `${JSON.stringify({ ...d, [field]: '2026-08-04T00:00:00Z' }, null, 1)}\n`);
    const v = await verifyArchive(dir);
    t.notOk(v.ok, field);
    t.match(v.problems.map((p) => p.message).join('\n'), /min_time\/max_time do not match the segment/);
  }
});
