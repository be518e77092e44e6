/**
 * `convert --to parquet` on every bundled example: DuckDB reads the Hive-partitioned dataset back
 * with the same rows and values as the NDJSON output (events rebuilt from the columns equal the
 * unified events); a second, independent reader (hyparquet) reads the same rows from every
 * file; every file has the same column schema; no temporary file is left visible.
 */
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { DuckDBInstance } from '@duckdb/node-api';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { spawnCli } from '../../helpers/cli.js';
import { clean } from '../../helpers/rows.js';
import { ROOT } from '../../helpers/golden.js';

const INPUTS = ['examples/wandb/api-stream.ndjson', 'examples/wandb/api-page.json', 'examples/snorkel/audit-logs.ndjson'];

/** An event rebuilt from its row (nulls dropped, JSON columns parsed, resources' extra merged back). */
function eventOf(row: Record<string, unknown>): Record<string, unknown> {
  const { event_day: _day, details, raw, resources, ...rest } = row;
  const e = clean(rest) as Record<string, unknown>;
  if (typeof details === 'string') e.details = JSON.parse(details);
  if (typeof raw === 'string') e.raw = JSON.parse(raw);
  if (Array.isArray(resources))
    e.resources = resources.map((r: Record<string, unknown>) => {
      const { extra, ...fields } = r;
      return { ...(clean(fields) as object), ...(typeof extra === 'string' ? (JSON.parse(extra) as object) : {}) };
    });
  return e;
}

t.test('DuckDB and hyparquet read back exactly the NDJSON events', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'auditkit-parquet-'));
  const dataset = path.join(dir, 'lake');
  const inputs = INPUTS.map((f) => path.join(ROOT, f));
  const nd = await spawnCli(['convert', '--from', 'auto', ...inputs]);
  const pq = await spawnCli(['convert', '--from', 'auto', ...inputs, '--to', 'parquet', '-o', dataset]);
  t.equal(pq.code, 0, pq.stderr);
  const events = nd.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const byId = (a: { id?: unknown }, b: { id?: unknown }): number => String(a.id).localeCompare(String(b.id));

  const all = (await readdir(dataset, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => path.relative(dataset, path.join(e.parentPath, e.name)));
  t.ok(
    all.length > 1 && all.every((f) => /^vendor=[a-z]+\/event_day=\d{8}\/part-[0-9a-f-]+\.parquet$/.test(f)),
    'Hive layout, parquet files only',
  );
  t.same((await readdir(dir)).sort(), ['lake'], 'no temporary directory left');

  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  t.teardown(() => {
    c.closeSync();
    db.closeSync();
  });
  const reader = await c.runAndReadAll(`SELECT * FROM read_parquet('${dataset}/**/*.parquet', hive_partitioning = true)`);
  const rows = reader.getRowObjectsJson() as Record<string, unknown>[];
  t.equal(rows.length, events.length, `DuckDB reads ${events.length} rows`);
  const rebuilt = rows.map((r) => {
    const { vendor: _v, ...rest } = r;
    return eventOf({ ...rest, vendor: r.vendor });
  });
  t.same(rebuilt.sort(byId), [...events].sort(byId), 'the events rebuilt from the columns equal the NDJSON events');

  const schemas = new Set<string>();
  let hyRows = 0;
  for (const f of all) {
    const d = await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${path.join(dataset, f)}', hive_partitioning = false)`);
    schemas.add(JSON.stringify(d.getRowObjectsJson()));
    const buf = await readFile(path.join(dataset, f));
    const file = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    const objs = (await parquetReadObjects({ file, compressors })) as Record<string, unknown>[];
    for (const o of objs) {
      const e = events.find((x) => x.id === o.id);
      if (!e || e.time !== o.time || (e.action as { name: string }).name !== (o.action as { name: string }).name)
        t.fail(`hyparquet: ${String(o.id)} differs`);
      hyRows++;
    }
  }
  t.equal(schemas.size, 1, 'every file has the same column schema');
  t.equal(hyRows, events.length, 'hyparquet reads every row from the files');
});

t.test('parts roll by row count and by bytes of row JSON; every row is written once', async (t) => {
  const { createExporter } = await import('../../../src/components/registry.js');
  const { standaloneContext } = await import('../../../src/components/context.js');
  const { goldenCases, runGolden } = await import('../../helpers/golden.js');
  const events = [];
  for (const c of goldenCases()) events.push(...(await runGolden(c)).events);
  const wandb = events.filter((e) => e.vendor === 'wandb');
  const bytes = wandb.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)), 0);
  for (const [option, value] of [
    ['max_rows_per_file', 5],
    ['max_bytes_per_file', Math.ceil(bytes / 8)],
  ] as const) {
    const dir = await mkdtemp(path.join(tmpdir(), 'auditkit-parquet-roll-'));
    const x = await createExporter('parquet', { directory: dir, [option]: value }, standaloneContext());
    // One write at a time, as a convert hands them over: the bound is checked after each.
    for (const e of wandb) {
      const wait = x.write([e]);
      if (wait) await wait;
    }
    await x.close();
    const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.parquet'));
    t.ok(files.length >= (option === 'max_rows_per_file' ? Math.ceil(wandb.length / 5) : 4), `${option} ${value}: ${files.length} parts`);
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const r = await c.runAndReadAll(`SELECT count(*) AS n, count(DISTINCT id) AS ids FROM read_parquet('${dir}/**/*.parquet')`);
    const [row] = r.getRowObjectsJS() as { n: bigint; ids: bigint }[];
    t.same([Number(row!.n), Number(row!.ids)], [wandb.length, new Set(wandb.map((e) => e.id)).size], `${option}: every event once`);
    c.closeSync();
    db.closeSync();
  }
});
