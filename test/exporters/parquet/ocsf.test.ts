/**
 * The parquet exporter with `ocsf`: every golden event, as OCSF 1.8.0, in Amazon Security Lake's
 * custom-source layout (one class per file, ext/<source>-<class>/region=/accountId=/eventDay=),
 * read back by DuckDB, and every row rebuilt validates against the OCSF schema.
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { DuckDBInstance } from '@duckdb/node-api';
import { standaloneContext } from '../../../src/components/context.js';
import { createExporter } from '../../../src/components/registry.js';
import { cli } from '../../helpers/cli.js';
import { clean } from '../../helpers/rows.js';
import { goldenCases, runGolden } from '../../helpers/golden.js';
import { validateOcsf } from '../../helpers/ocsf.js';

/** A row as an OCSF event: nulls dropped, integers as numbers, unmapped parsed. */
function ocsfOf(row: Record<string, unknown>): Record<string, unknown> {
  const { unmapped, eventDay: _d, region: _r, accountId: _a, ...rest } = row;
  const o = clean(rest) as Record<string, unknown>;
  if (typeof unmapped === 'string') o.unmapped = JSON.parse(unmapped);
  return o;
}

t.test('OCSF Parquet in the Security Lake layout, valid OCSF when read back', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'auditkit-ocsf-lake-'));
  const exporter = await createExporter(
    'parquet',
    { directory: dir, ocsf: true, security_lake: { region: 'us-east-1', account_id: '123456789012', source_name: 'auditkit' } },
    standaloneContext(),
  );
  let n = 0;
  for (const c of goldenCases()) {
    const { events } = await runGolden(c);
    await exporter.write(events);
    n += events.length;
  }
  await exporter.close();
  const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.parquet'));
  t.ok(
    files.length > 0 &&
      files.every((f) =>
        /^ext\/auditkit-\d{4}\/region=us-east-1\/accountId=123456789012\/eventDay=\d{8}\/part-[0-9a-f-]+\.parquet$/.test(f),
      ),
    'the Security Lake layout',
  );
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  t.teardown(() => {
    c.closeSync();
    db.closeSync();
  });
  let rows = 0;
  for (const f of files) {
    const r = await c.runAndReadAll(`SELECT * FROM read_parquet('${path.join(dir, f)}', hive_partitioning = false)`);
    const objs = r.getRowObjectsJS() as Record<string, unknown>[];
    const cls = new Set(objs.map((o) => Number(o.class_uid)));
    t.equal(cls.size, 1, `${f}: one class`);
    t.equal([...cls][0], Number(/auditkit-(\d{4})/.exec(f)![1]), `${f}: its source's class`);
    for (const o of objs) {
      const e = ocsfOf(o);
      if (!validateOcsf(e)) t.fail(`${f}: ${JSON.stringify(validateOcsf.errors?.slice(0, 2))}`);
      rows++;
    }
  }
  t.equal(rows, n, `every event (${n}) is a row`);
  const q = await cli(['query', dir, '--sql', 'SELECT count(*) AS n, count(DISTINCT class_uid) AS classes FROM ocsf']);
  t.equal(q.code, 0, q.stderr);
  t.same(
    JSON.parse(q.stdout),
    { n, classes: new Set(files.map((f) => /auditkit-(\d{4})/.exec(f)![1])).size },
    'query --sql reads the lake as the table ocsf',
  );
});
