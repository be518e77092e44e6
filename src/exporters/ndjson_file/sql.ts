/**
 * `auditkit query DIR --sql "SELECT …"`: SQL over an archive (its NDJSON segments, gzip
 * included) or a Parquet dataset written by auditkit, through DuckDB (loaded only for this). Unified
 * events are the table `events`, with the unified event's columns: nested parts are structs and
 * lists (`actor.email`, `action.name`), `details` and `raw` JSON. OCSF events (an archive written
 * with `ocsf: true`, or the Security Lake layout `ext/…` of a Parquet dataset) are the table
 * `ocsf`, with the OCSF Parquet columns (`unmapped` JSON). A torn last line of an open segment is
 * not read (as the filter flags do not read it).
 */
import path from 'node:path';
import { OCSF_PARQUET_COLUMNS, PARQUET_COLUMNS, columnsArg, filesBelow, sqlString } from '../parquet/columns.js';
import { OCSF_CONTENT } from './format.js';
import { archiveContent, segmentFiles } from './query.js';

/** The Parquet files under `dir` by shape: OCSF in Security Lake's layout (`ext/…`), unified events elsewhere. */
async function parquetFiles(dir: string): Promise<{ events: boolean; ocsf: boolean }> {
  const found = { events: false, ocsf: false };
  for (const rel of await filesBelow(dir)) if (rel.endsWith('.parquet')) found[rel.split(path.sep)[0] === 'ext' ? 'ocsf' : 'events'] = true;
  return found;
}

/** The archive's columns for read_ndjson: the Parquet schema, with the free-form parts as JSON and resources as JSON. */
const ARCHIVE_COLUMNS: Record<string, string> = {
  ...PARQUET_COLUMNS,
  resources: 'JSON',
  details: 'JSON',
  raw: 'JSON',
};
/** An OCSF archive's columns: the OCSF Parquet schema, `unmapped` JSON (an object in the lines). */
const OCSF_ARCHIVE_COLUMNS: Record<string, string> = { ...OCSF_PARQUET_COLUMNS, unmapped: 'JSON' };

/** A DuckDB JS value as JSON can hold it: integers as numbers when exact (else their digits), times as RFC 3339, bytes as base64. */
function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = plain(x);
    return out;
  }
  return v;
}

export interface SqlResult {
  columns: string[];
  rows: Record<string, unknown>[];
}

/** Runs `sql` with the events of `dir` as the table `events` (unified) or `ocsf` (OCSF). */
export async function querySql(dir: string, sql: string): Promise<SqlResult> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const c = await db.connect();
  try {
    const parquet = await parquetFiles(dir);
    if (parquet.events || parquet.ocsf) {
      const read = (glob: string): string => `read_parquet(${sqlString(path.resolve(dir) + glob)}, hive_partitioning = true)`;
      if (parquet.events) await c.run(`CREATE VIEW events AS SELECT * FROM ${read('/vendor=*/**/*.parquet')}`);
      if (parquet.ocsf) await c.run(`CREATE VIEW ocsf AS SELECT * FROM ${read('/ext/**/*.parquet')}`);
    } else {
      const files = await segmentFiles(dir);
      const [table, columns] = (await archiveContent(dir)) === OCSF_CONTENT ? ['ocsf', OCSF_ARCHIVE_COLUMNS] : ['events', ARCHIVE_COLUMNS];
      const list = files.length ? `[${files.map(sqlString).join(', ')}]` : null;
      await c.run(
        list
          ? `CREATE VIEW ${table} AS SELECT * FROM read_ndjson(${list}, columns = ${columnsArg(columns)}, format = 'newline_delimited', ignore_errors = true)`
          : `CREATE VIEW ${table} AS SELECT * FROM (SELECT ${Object.entries(columns)
              .map(([k, t]) => `CAST(NULL AS ${t}) AS "${k}"`)
              .join(', ')}) WHERE false`,
      );
    }
    const reader = await c.runAndReadAll(sql);
    return { columns: reader.columnNames(), rows: reader.getRowObjectsJS().map((r) => plain(r) as Record<string, unknown>) };
  } finally {
    c.closeSync();
    db.closeSync();
  }
}
