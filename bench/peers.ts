/**
 * auditkit against the peers a user would reach for, on the same generated W&B file, in the same
 * run: DuckDB (`@duckdb/node-api`, one thread) doing the same mapping with a sha256 id, and jq
 * doing the mapping without an id (jq has no hash), when jq is installed; then `query` over an
 * archive (AUDITKIT_BENCH_QUERY_RECORDS, default 1,000,000 events) against DuckDB reading the
 * same segments. Rows are auditkit's time over the peer's
 * (below 1: auditkit is faster); the target is 1 (DESIGN.md: no slower than DuckDB).
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { CLI, DATA, convertMs, generate, interleaved, row, run, wandbRecord, type BenchRow } from './lib.js';

const COLUMNS = `{timestamp: 'VARCHAR', action: 'VARCHAR', actor_user_id: 'BIGINT', actor_email: 'VARCHAR', actor_ip: 'VARCHAR',
  entity_asset: 'BIGINT', entity_name: 'VARCHAR', project_asset: 'BIGINT', project_name: 'VARCHAR', artifact_asset: 'BIGINT',
  artifact_qualified_name: 'VARCHAR', artifact_digest: 'VARCHAR', cli_version: 'VARCHAR', response_code: 'BIGINT'}`;

/** The unified event of a W&B record in SQL (the fields the bench's records have), with a sha256 id of the record. */
const mappingSql = (input: string, output: string): string => `
COPY (
  SELECT
    '1.0' AS schema_version,
    'wandb:sha256:' || sha256(CAST(to_json(t) AS VARCHAR)) AS id,
    t.timestamp AS time,
    'wandb' AS vendor,
    {'name': t.action, 'category': split_part(t.action, ':', 1), 'operation': split_part(t.action, ':', 2)} AS action,
    {'result': CASE WHEN t.response_code >= 400 THEN 'failure' ELSE 'success' END, 'status_code': t.response_code} AS outcome,
    {'id': CAST(t.actor_user_id AS VARCHAR), 'email': t.actor_email, 'ip': t.actor_ip} AS actor,
    [{'type': 'entity', 'id': CAST(t.entity_asset AS VARCHAR), 'name': t.entity_name, 'digest': NULL},
     {'type': 'project', 'id': CAST(t.project_asset AS VARCHAR), 'name': t.project_name, 'digest': NULL},
     {'type': 'artifact', 'id': CAST(t.artifact_asset AS VARCHAR), 'name': t.artifact_qualified_name, 'digest': t.artifact_digest}] AS resources,
    {'version': t.cli_version} AS client
  FROM read_ndjson('${input}', columns=${COLUMNS}) t
) TO '${output}' (FORMAT JSON)`;

const JQ_MAPPING = `{schema_version: "1.0", time: .timestamp, vendor: "wandb",
  action: {name: .action, category: (.action | split(":")[0]), operation: (.action | split(":")[1])},
  outcome: {result: (if .response_code >= 400 then "failure" else "success" end), status_code: .response_code},
  actor: {id: (.actor_user_id | tostring), email: .actor_email, ip: .actor_ip},
  resources: [{type: "entity", id: (.entity_asset | tostring), name: .entity_name},
    {type: "project", id: (.project_asset | tostring), name: .project_name},
    {type: "artifact", id: (.artifact_asset | tostring), name: .artifact_qualified_name, digest: .artifact_digest}],
  client: {version: .cli_version}}`;

async function duckdb(): Promise<(sql: string) => Promise<number>> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  return async (sql) => {
    const db = await DuckDBInstance.create(':memory:', { threads: '1' });
    const c = await db.connect();
    const t = process.hrtime.bigint();
    await c.run(sql);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    c.closeSync();
    db.closeSync();
    return ms;
  };
}

/** jq's time for the mapping, or undefined when jq is not installed. */
function jq(input: string, output: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const t = process.hrtime.bigint();
    const child = spawn('jq', ['-c', JQ_MAPPING], { stdio: ['pipe', 'pipe', 'ignore'] });
    child.on('error', () => resolve(undefined));
    createReadStream(input).pipe(child.stdin);
    child.stdout.pipe(createWriteStream(output));
    child.on('close', (code) => resolve(code === 0 ? Number(process.hrtime.bigint() - t) / 1e6 : undefined));
  });
}

export async function benchPeers(records: number, runs: number, queryRecords: number): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const file = await generate(path.join(DATA, `wandb-${records}.ndjson`), records, (i) => JSON.stringify(wandbRecord(i)));
  const out = path.join(DATA, 'peers.out');
  const ours = (): Promise<number> => convertMs([file, '--from', 'wandb', '-o', out]);
  const sql = await duckdb();
  await sql(mappingSql(file, out));
  // Each peer alternately with auditkit (interleaved): both see the same machine.
  const duck = await interleaved(runs, () => sql(mappingSql(file, out)), ours);
  rows.push(
    row('peers', `convert ${records} W&B records: auditkit vs DuckDB (1 thread, the same mapping, sha256 id)`, duck.ms, duck.floorMs, 1),
  );
  const jqMs = await jq(file, out);
  if (jqMs === undefined) notes.push('jq is not installed: its row is left out');
  else {
    const j = await interleaved(runs, async () => (await jq(file, out))!, ours);
    rows.push(row('peers', `convert ${records} W&B records: auditkit vs jq (the mapping, no id: jq has no hash)`, j.ms, j.floorMs, 1));
  }
  notes.push('pandas and Miller are not installed on this machine: their rows are left out');

  // query: an archive of `queryRecords` records (1,000,000 by default: several closed segments),
  // auditkit's filters against DuckDB reading the same segments.
  const qfile = await generate(path.join(DATA, `wandb-${queryRecords}.ndjson`), queryRecords, (i) => JSON.stringify(wandbRecord(i)));
  const dir = path.join(DATA, 'peers-archive');
  await rm(dir, { recursive: true, force: true });
  await convertMs([qfile, '--from', 'wandb', '--to', 'archive', '-o', dir]);
  // The generator's records are 700 ms apart from 2026-08-01T00:00:00Z: the last half starts here.
  const half = new Date(Date.UTC(2026, 7, 1) + queryRecords * 350).toISOString().replace('.000Z', 'Z');
  const qout = path.join(DATA, 'peers-query.out');
  const filters: [string, string[], string][] = [
    ['--since (the last half)', ['--since', half], `time >= '${half}'`],
    ['--actor maria', ['--actor', 'maria'], `lower(actor.email) LIKE '%maria%' OR lower(actor.id) LIKE '%maria%'`],
    ['--search (no match)', ['--search', 'nothing-like-this'], `lower(CAST(to_json(e) AS VARCHAR)) LIKE '%nothing-like-this%'`],
  ];
  for (const [name, args, where] of filters) {
    const q = `COPY (SELECT * FROM read_ndjson('${dir}/*.ndjson.gz', format = 'newline_delimited') e WHERE ${where}) TO '${qout}' (FORMAT JSON)`;
    await sql(q);
    const r = await interleaved(
      runs,
      () => sql(q),
      async () => {
        const res = await run('/bin/sh', [
          '-c',
          `"${process.execPath}" "${CLI}" query "${dir}" ${args.map((x) => `'${x}'`).join(' ')} > "${qout}"`,
        ]);
        if (res.code !== 0) throw new Error(`query failed: ${res.stderr.slice(0, 300)}`);
        return res.ms;
      },
    );
    rows.push(row('query', `${queryRecords} events, ${name}: auditkit vs DuckDB (1 thread, same archive)`, r.ms, r.floorMs, 1));
  }
  await rm(dir, { recursive: true, force: true });
  return { rows, notes };
}
