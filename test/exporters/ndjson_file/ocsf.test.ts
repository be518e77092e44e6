/**
 * The archive with `ocsf: true` (issue 17, item 2): OCSF 1.8.0 events, one per line, with the
 * same guarantees as the unified archive: a digest chain that `verify` checks, exactly once across
 * reopenings (the id is `metadata.uid`), one kind of event per archive, and `query --sql` over
 * the table `ocsf`.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { standaloneContext } from '../../../src/components/context.js';
import { ocsfEvent } from '../../../src/components/adapters.js';
import { createExporter } from '../../../src/components/registry.js';
import { digestName, segmentLines, type Digest } from '../../../src/exporters/ndjson_file/format.js';
import { segmentFiles } from '../../../src/exporters/ndjson_file/query.js';
import { verifyArchive } from '../../../src/exporters/ndjson_file/verify.js';
import type { AuditEvent } from '../../../src/model/event.js';
import { parseConfig } from '../../../src/pipeline/config.js';
import { Runtime } from '../../../src/pipeline/runtime.js';
import { cli } from '../../helpers/cli.js';
import { goldenCases, runGolden } from '../../helpers/golden.js';
import { wandbRecords, wandbServer } from '../../helpers/vendor-servers.js';
import { validateOcsf } from '../../helpers/ocsf.js';

const tmp = await mkdtemp(path.join(tmpdir(), 'auditkit-ocsf-archive-'));
let n = 0;
const fresh = (): string => path.join(tmp, `a${n++}`);

// Every golden event once (some cases share events: the archive would skip the second as a duplicate).
const byId = new Map<string, AuditEvent>();
for (const c of goldenCases()) for (const e of (await runGolden(c)).events) if (!byId.has(e.id)) byId.set(e.id, e);
const golden = [...byId.values()];

/** Every line of the archive, parsed. */
async function lines(dir: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (const f of await segmentFiles(dir))
    for await (const l of segmentLines(f)) out.push(JSON.parse(l.toString()) as Record<string, unknown>);
  return out;
}

/** Writes `events` through an `ndjson_file` exporter with these options, then closes it. */
async function archive(dir: string, events: AuditEvent[], options: Record<string, unknown> = {}): Promise<number> {
  const x = await createExporter('ndjson_file', { directory: dir, ocsf: true, max_file_bytes: 64 * 1024, ...options }, standaloneContext());
  await x.write(events);
  await x.ack();
  await x.close();
  return x.stats.duplicates;
}

t.test('every golden event is archived as its OCSF form, valid OCSF 1.8.0, and the archive verifies', async (t) => {
  const dir = fresh();
  await archive(dir, golden);
  const got = await lines(dir);
  t.equal(got.length, golden.length, `one line per event (${golden.length})`);
  t.same(
    got,
    golden.map(ocsfEvent).map((o) => JSON.parse(JSON.stringify(o)) as unknown),
    'each line is the event mapped by its vendor (in order)',
  );
  const invalid = got.filter((o) => !validateOcsf(o));
  t.same(invalid.length, 0, 'every line validates against schemas/ocsf/ocsf-1.8.0.schema.json');
  const digests = (await segmentFiles(dir)).length;
  t.ok(digests > 1, `several segments (${digests}), closed and gzipped`);
  const digest = JSON.parse(await readFile(path.join(dir, digestName(1)), 'utf8')) as Digest;
  t.equal(digest.content, 'ocsf-1.8.0', 'the digests say what the lines are');
  t.equal(digest.first_time, golden[0]!.time, "first_time is the first event's source time (metadata.original_time)");
  const v = await verifyArchive(dir, { strict: true });
  t.ok(v.ok, `verify: ${JSON.stringify(v.problems.slice(0, 2))}`);
  const r = await cli(['verify', dir]);
  t.equal(r.code, 0, 'auditkit verify exits 0');
});

t.test('exactly once across reopenings: the OCSF metadata.uid is the id', async (t) => {
  const dir = fresh();
  await archive(dir, golden.slice(0, 10));
  const dups = await archive(dir, golden.slice(0, 20));
  t.equal(dups, 10, 'the 10 archived events are skipped');
  const got = await lines(dir);
  t.same(
    got.map((o) => (o.metadata as { uid: string }).uid),
    golden.slice(0, 20).map((e) => e.id),
    'each event once, in order',
  );
});

t.test('one kind of event per archive: a writer refuses the other kind, verify names a mixed archive', async (t) => {
  const dir = fresh();
  await archive(dir, golden.slice(0, 5));
  await t.rejects(
    createExporter('ndjson_file', { directory: dir }, standaloneContext()),
    /holds OCSF 1\.8\.0 events, this writer writes unified audit events \(ocsf: false\); use another directory/,
    'a unified writer refuses an OCSF archive',
  );
  const unified = fresh();
  await archive(unified, golden.slice(0, 5), { ocsf: false });
  await t.rejects(
    createExporter('ndjson_file', { directory: unified, ocsf: true }, standaloneContext()),
    /holds unified audit events, this writer writes OCSF 1\.8\.0 events \(ocsf: true\)/,
    'an OCSF writer refuses a unified archive',
  );
  // A digest whose content was changed: verify reports it (the content is part of what is checked).
  const file = path.join(dir, digestName(1));
  const d = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  await writeFile(file, `${JSON.stringify({ ...d, content: 'ocsf-9' }, null, 1)}\n`);
  const v = await verifyArchive(dir);
  t.notOk(v.ok);
  t.match(v.problems.map((p) => p.message).join('\n'), /content is "ocsf-9"/);
});

t.test('query: --sql reads the table ocsf; the filter flags say to use it', async (t) => {
  const dir = fresh();
  await archive(dir, golden);
  const r = await cli(['query', dir, '--sql', 'SELECT class_uid, count(*) AS n FROM ocsf GROUP BY class_uid ORDER BY class_uid']);
  t.equal(r.code, 0, r.stderr);
  const counts = new Map<number, number>();
  for (const o of golden.map(ocsfEvent)) counts.set(o.class_uid as number, (counts.get(o.class_uid as number) ?? 0) + 1);
  t.same(
    r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown),
    [...counts].sort((a, b) => a[0] - b[0]).map(([class_uid, n]) => ({ class_uid, n })),
    'class counts by SQL equal the mapped events',
  );
  const u = await cli(['query', dir, '--sql', "SELECT metadata.uid AS id, unmapped FROM ocsf WHERE metadata.uid = 'nope'"]);
  t.equal(u.code, 0, 'nested columns and unmapped are addressable');
  // README's example.
  const readme = await cli([
    'query',
    dir,
    '--sql',
    'SELECT class_name, metadata.product.vendor_name, count(*) FROM ocsf WHERE status_id = 2 GROUP BY ALL',
  ]);
  t.equal(readme.code, 0, readme.stderr);
  const failures = golden.map(ocsfEvent).filter((o) => o.status_id === 2).length;
  t.ok(failures > 0, `the golden events have failures (${failures})`);
  t.equal(
    readme.stdout
      .trim()
      .split('\n')
      .map((l) => Object.values(JSON.parse(l) as Record<string, number>)[2]!)
      .reduce((a, b) => a + b, 0),
    failures,
    "README's query counts every failure",
  );
  const f = await cli(['query', dir, '--actor', 'a']);
  t.equal(f.code, 2, 'filter flags on an OCSF archive: usage error');
  t.match(f.stderr, /holds OCSF 1\.8\.0 events \(ocsf: true\); the filter flags read unified events: use --sql "SELECT … FROM ocsf"/);
  t.equal(f.stdout, '', 'nothing printed');
});

t.test('auditkit run: a W&B pull into an OCSF archive', async (t) => {
  const vendor = await wandbServer(wandbRecords(30, Date.UTC(2026, 7, 1), 60_000)).start();
  t.teardown(() => vendor.stop());
  const dir = fresh();
  const config = parseConfig(
    `receivers:\n  wandb:\n    url: ${vendor.url}\n    username: admin\n    api_key: \${env:K}\n    since: "2026-08-01T00:00:00Z"\nexporters:\n  ndjson_file:\n    directory: ${path.join(dir, 'a')}\n    ocsf: true\nservice:\n  state_directory: ${path.join(dir, 's')}\n  pipelines:\n    logs:\n      receivers: [wandb]\n      exporters: [ndjson_file]\n`,
    { K: 'wandb-key' },
  );
  const rt = new Runtime(config, { log: () => undefined });
  await rt.start();
  const [report] = await rt.runOnce();
  await rt.close();
  t.equal(report!.counts?.delivered, 30);
  const got = await lines(path.join(dir, 'a'));
  t.equal(got.length, 30);
  t.ok(
    got.every((o) => validateOcsf(o) && (o.metadata as { product: { uid: string } }).product.uid === 'wandb'),
    'valid OCSF events of the W&B product',
  );
  t.ok((await verifyArchive(path.join(dir, 'a'), { strict: true })).ok, 'the archive verifies');
});
