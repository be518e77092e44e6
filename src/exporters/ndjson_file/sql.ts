/**
 * `auditkit query DIR --sql "SELECT …"`: SQL over an archive (its NDJSON segments, gzip
 * included) or a Parquet dataset written by auditkit, through DuckDB (loaded only for this). The
 * events are the table `events`, with the unified event's columns: nested parts are structs and
 * lists (`actor.email`, `action.name`), `details` and `raw` JSON. A torn last line of an open
 * segment is not read (as the filter flags do not read it).
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { PARQUET_COLUMNS } from '../parquet/columns.js';
import { segmentFiles } from './query.js';

const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** True when `dir` holds Parquet files (a dataset) rather than archive segments. */
async function isParquet(dir: string): Promise<boolean> {
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile() && e.name.endsWith('.parquet')) return true;
  return false;
}

/** The archive's columns for read_ndjson: the Parquet schema, with the free-form parts as JSON and resources as JSON. */
const ARCHIVE_COLUMNS: Record<string, string> = {
  ...PARQUET_COLUMNS,
  resources: 'JSON',
  details: 'JSON',
  raw: 'JSON',
};

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

/** Runs `sql` with the events of `dir` as the table `events`. */
export async function querySql(dir: string, sql: string): Promise<SqlResult> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const c = await db.connect();
  try {
    if (await isParquet(dir)) {
      await c.run(
        `CREATE VIEW events AS SELECT * FROM read_parquet(${sqlString(`${path.resolve(dir)}/**/*.parquet`)}, hive_partitioning = true)`,
      );
    } else {
      const files = await segmentFiles(dir);
      const cols = `{${Object.entries(ARCHIVE_COLUMNS)
        .map(([k, t]) => `${k}: '${t}'`)
        .join(', ')}}`;
      const list = files.length ? `[${files.map(sqlString).join(', ')}]` : null;
      await c.run(
        list
          ? `CREATE VIEW events AS SELECT * FROM read_ndjson(${list}, columns = ${cols}, format = 'newline_delimited', ignore_errors = true)`
          : `CREATE VIEW events AS SELECT * FROM (SELECT ${Object.entries(ARCHIVE_COLUMNS)
              .map(([k, t]) => `CAST(NULL AS ${t}) AS ${k}`)
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
