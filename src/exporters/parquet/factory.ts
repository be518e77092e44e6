/**
 * The `parquet` exporter: unified events as Hive-partitioned Parquet files,
 * `vendor=<vendor>/event_day=<YYYYMMDD>/part-<uuid>.parquet`, zstd-compressed, with one fixed
 * column schema (below) so files of every day and vendor union cleanly. With `ocsf`, OCSF 1.8.0
 * events instead (OCSF_PARQUET_COLUMNS), one file per class per day, in Amazon Security Lake's
 * custom-source layout `ext/<source_name>-<class_uid>/region=…/accountId=…/eventDay=YYYYMMDD/`. DuckDB
 * (`@duckdb/node-api`, loaded when the exporter is built) writes them: the rows of a part go to
 * a temporary NDJSON file, DuckDB reads it with the fixed columns and writes the partitions into
 * a temporary directory next to the dataset, and each finished file is renamed into place (an
 * atomic step), so a reader never sees half a file. `ack` closes the open part.
 *
 * | column | type | from the event |
 * |---|---|---|
 * | schema_version, id, time, vendor | VARCHAR | as they are (`time` keeps its exact text) |
 * | action | STRUCT(name, category, operation) | |
 * | outcome | STRUCT(result VARCHAR, status_code INTEGER) | |
 * | actor | STRUCT(id, email, name, ip, user_agent, type) | |
 * | target_user | STRUCT(id, email, name) | |
 * | resources | STRUCT(type, id, name, extra)[] | `extra`: the resource's other keys, as JSON text |
 * | client | STRUCT(version, source, chain) | |
 * | cloud | STRUCT(region) | |
 * | details, raw | VARCHAR (JSON text) | free-form |
 * | event_day | partition (YYYYMMDD) | the UTC day of `time` |
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ComponentContext } from '../../components/context.js';
import { newExporterStats, type EventExporter } from '../../components/event-exporter.js';
import { fsyncDir } from '../../io/durable.js';
import type { AuditEvent } from '../../model/event.js';
import { DEFAULT_MAX_BYTES_PER_FILE, DEFAULT_MAX_ROWS_PER_FILE, DEFAULT_SECURITY_LAKE_SOURCE, type ParquetConfig } from './config.js';
import { OCSF_PARQUET_COLUMNS, PARQUET_COLUMNS, columnsArg, filesBelow, sqlString } from './columns.js';

export { OCSF_PARQUET_COLUMNS, PARQUET_COLUMNS } from './columns.js';

/** The row of an OCSF event: `unmapped` as JSON text. */
export const ocsfRow = (o: Record<string, unknown>): Record<string, unknown> => ({
  ...o,
  unmapped: o.unmapped === undefined ? null : JSON.stringify(o.unmapped),
});

/** The row of an event: free-form parts as JSON text, a resource's extra keys as JSON text. */
export function parquetRow(e: AuditEvent): Record<string, unknown> {
  return {
    ...e,
    resources: e.resources?.map(({ type, id, name, ...extra }) => ({
      type,
      id: id ?? null,
      name: name ?? null,
      extra: Object.keys(extra).length ? JSON.stringify(extra) : null,
    })),
    details: e.details === undefined ? null : JSON.stringify(e.details),
    raw: e.raw === undefined ? null : JSON.stringify(e.raw),
  };
}

export async function createParquetExporter(
  config: ParquetConfig,
  _ctx: ComponentContext,
  name = 'parquet',
  /** With `ocsf`: the OCSF form of an event (the registry passes the adapters' mapping). */
  toOcsf?: (event: AuditEvent) => Record<string, unknown>,
): Promise<EventExporter> {
  if (config.ocsf && (!toOcsf || !config.security_lake))
    throw new TypeError(`exporters.${name}: ocsf needs security_lake and the OCSF mapping`);
  const lake = config.security_lake;
  const source = lake?.source_name ?? DEFAULT_SECURITY_LAKE_SOURCE;
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const dir = path.resolve(config.directory);
  await mkdir(dir, { recursive: true });
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await db.connect();
  const maxRows = config.max_rows_per_file ?? DEFAULT_MAX_ROWS_PER_FILE;
  const maxBytes = config.max_bytes_per_file ?? DEFAULT_MAX_BYTES_PER_FILE;
  const stats = newExporterStats();
  let rows: string[] = [];
  /** UTF-8 bytes of `rows` (their JSON and newlines). */
  let rowBytes = 0;
  let writing: Promise<void> = Promise.resolve();
  const columns = columnsArg(config.ocsf ? OCSF_PARQUET_COLUMNS : PARQUET_COLUMNS);

  /** Writes the buffered rows as one part per partition, each renamed into place when whole. */
  const writePart = async (): Promise<void> => {
    if (rows.length === 0) return;
    const batch = rows;
    rows = [];
    rowBytes = 0;
    const id = randomUUID();
    const tmp = `${dir}.tmp-${id}`;
    await mkdir(tmp, { recursive: true });
    try {
      const input = path.join(tmp, 'rows.ndjson');
      await writeFile(input, `${batch.join('\n')}\n`);
      const out = path.join(tmp, 'parts');
      const select = config.ocsf
        ? `SELECT *, class_uid AS class_part, strftime(make_timestamp(time * 1000), '%Y%m%d') AS eventDay FROM read_ndjson(${sqlString(input)}, columns = ${columns}, format = 'newline_delimited')`
        : `SELECT *, replace(substr(time, 1, 10), '-', '') AS event_day FROM read_ndjson(${sqlString(input)}, columns = ${columns}, format = 'newline_delimited')`;
      // OCSF keeps class_uid in every row (the partition is a copy of it); eventDay is the path's only.
      const by = config.ocsf ? '(class_part, eventDay)' : '(vendor, event_day)';
      await conn.run(
        `COPY (${select}) TO ${sqlString(out)} (FORMAT PARQUET, COMPRESSION ZSTD, PARTITION_BY ${by}, FILENAME_PATTERN 'part-${id}-{i}')`,
      );
      for (const rel of await filesBelow(out)) {
        // OCSF: one custom source per class, partitioned as Security Lake documents.
        const m = config.ocsf ? /^class_part=(\d+)\/eventDay=(\d{8})\/(.+)$/.exec(rel.split(path.sep).join('/')) : null;
        const target = m
          ? path.join(dir, 'ext', `${source}-${m[1]}`, `region=${lake!.region}`, `accountId=${lake!.account_id}`, `eventDay=${m[2]}`, m[3]!)
          : path.join(dir, rel);
        await mkdir(path.dirname(target), { recursive: true });
        await rename(path.join(out, rel), target);
        await fsyncDir(path.dirname(target));
      }
      stats.delivered += batch.length;
    } catch (err) {
      stats.failed += batch.length;
      stats.lastError = err as Error;
      throw err;
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  };
  const flush = (): Promise<void> => {
    writing = writing.then(writePart);
    return writing;
  };
  return {
    name,
    stats,
    pending: 0,
    write: (events) => {
      for (const e of events) {
        const row = JSON.stringify(config.ocsf ? ocsfRow(toOcsf!(e)) : parquetRow(e));
        rows.push(row);
        rowBytes += Buffer.byteLength(row) + 1;
      }
      return rows.length >= maxRows || rowBytes >= maxBytes ? flush() : undefined;
    },
    ack: flush,
    flush: async () => {
      await flush();
      return true;
    },
    close: async () => {
      await flush();
      conn.closeSync();
      db.closeSync();
    },
  };
}
