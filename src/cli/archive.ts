import { once } from 'node:events';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'csv-stringify';
import { ConfigError } from '../errors.js';
import { readAnchor, type Anchor } from '../exporters/ndjson_file/anchor.js';
import { verifyArchive } from '../exporters/ndjson_file/verify.js';
import { QUERY_COLUMNS, archiveContent, eventRow, queryArchiveLines, type QueryFilter } from '../exporters/ndjson_file/query.js';
import { OCSF_CONTENT } from '../exporters/ndjson_file/format.js';
import { LineWriter } from '../io/line-writer.js';
import { compareTimes, parseUserTime } from '../model/time.js';
import { loadSigningKey } from '../exporters/ndjson_file/keys.js';
import { EXIT, type CliIo } from './io.js';

export interface VerifyCliOptions {
  publicKey?: string;
  hmacKeyEnv?: string;
  strict?: boolean;
  requireSignatures?: boolean;
  anchorFile?: string;
  maxSilenceSecs?: string;
  quiet?: boolean;
}

/** `auditkit verify DIR`: exit 0 only when every segment and digest holds. */
export async function runVerify(dir: string, opts: VerifyCliOptions, io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let key;
  try {
    key = loadSigningKey(
      { ...(opts.publicKey ? { signKeyFile: opts.publicKey } : {}), ...(opts.hmacKeyEnv ? { signHmacKeyEnv: opts.hmacKeyEnv } : {}) },
      env,
      true,
    );
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const p of err.problems) io.stderr.write(`auditkit verify: ${p.path}: ${p.message}\n`);
    return EXIT.usage;
  }
  try {
    if (!(await stat(dir)).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    await readdir(dir); // a directory that cannot be listed (EACCES) cannot be verified
  } catch (err) {
    io.stderr.write(`auditkit verify: cannot read ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
    return EXIT.io;
  }
  if (opts.maxSilenceSecs !== undefined && !/^\d+$/.test(opts.maxSilenceSecs)) {
    io.stderr.write('auditkit verify: --max-silence-secs: must be a whole number of seconds\n');
    return EXIT.usage;
  }
  let anchor: Anchor | undefined;
  if (opts.anchorFile) {
    try {
      anchor = await readAnchor(opts.anchorFile);
    } catch (err) {
      io.stderr.write(
        `auditkit verify: --anchor-file: cannot read ${opts.anchorFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`,
      );
      return EXIT.io;
    }
  }
  const result = await verifyArchive(dir, {
    ...(key ? { key } : {}),
    strict: opts.strict ?? false,
    requireSignatures: opts.requireSignatures ?? false,
    ...(anchor && opts.anchorFile ? { anchor: { anchor, file: opts.anchorFile } } : {}),
    ...(opts.maxSilenceSecs !== undefined ? { maxSilenceSecs: Number(opts.maxSilenceSecs) } : {}),
  });
  for (const p of result.problems) {
    io.stdout.write(`${p.severity}: ${p.file}${p.line !== undefined ? `:${p.line}` : ''}: ${p.message}\n`);
  }
  const errors = result.problems.filter((p) => p.severity === 'error').length;
  if (!opts.quiet) {
    io.stderr.write(
      `auditkit verify: ${result.segments} segments, ${result.records} records, ${errors} errors, ${result.problems.length - errors} warnings${key ? ', signatures checked' : ''}: ${result.ok ? 'OK' : 'FAILED'}\n`,
    );
  }
  return result.ok ? EXIT.ok : EXIT.rejected;
}

/** `auditkit query` flags: the filters, and the output format. */
export interface QueryCliOptions extends QueryFilter {
  format: 'ndjson' | 'csv' | 'table';
  /** SQL over the events (table `events`), through DuckDB, instead of the filter flags. */
  sql?: string;
  /** Write CSV cells as they are (no `'` before a cell a spreadsheet would run as a formula). */
  csvRaw?: boolean;
}

const cell = (s: string, width: number): string => (s.length > width ? `${s.slice(0, width - 1)}…` : s.padEnd(width));
type Row = ReturnType<typeof eventRow>;
/** The table's columns: `actor` is who acted, by e-mail, else name, else id (Snorkel has only an id). */
const TABLE: [string, number, (row: Row) => string][] = [
  ['time', 27, (r) => r.time],
  ['vendor', 9, (r) => r.vendor],
  ['action', 34, (r) => r.action],
  ['result', 7, (r) => r.result],
  ['actor', 30, (r) => r.actor_email || r.actor_name || r.actor_id],
  ['actor_ip', 18, (r) => r.actor_ip],
  ['resources', 40, (r) => r.resources],
];

/**
 * A row fit for a spreadsheet: a cell that starts with `=`, `+`, `-`, `@`, a tab or a CR would be
 * run as a formula, so it gets a leading `'` (OWASP, CSV injection). Vendor fields (user agents,
 * resource names) come from outside.
 */
function neutralized<T extends Record<string, string>>(row: T): T {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(row)) out[k] = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return out as T;
}

/** `auditkit query DIR --sql`: the result rows as NDJSON, CSV or a table. */
async function runSql(dir: string, opts: QueryCliOptions, io: CliIo): Promise<number> {
  let result;
  try {
    result = await (await import('../exporters/ndjson_file/sql.js')).querySql(dir, opts.sql!);
  } catch (err) {
    const message = (err as Error).message.split('\n')[0]!;
    // A missing or unreadable directory is I/O; anything DuckDB refuses in the SQL is usage.
    const io3 = (err as NodeJS.ErrnoException).code !== undefined;
    io.stderr.write(`auditkit query: ${io3 ? `cannot read ${dir}: ` : '--sql: '}${message}\n`);
    return io3 ? EXIT.io : EXIT.usage;
  }
  const out = new LineWriter(io.stdout);
  const text = (v: unknown): string =>
    v === null || v === undefined
      ? ''
      : typeof v === 'string'
        ? v
        : typeof v === 'number' || typeof v === 'boolean'
          ? String(v)
          : JSON.stringify(v);
  if (opts.format === 'csv') {
    const csv = stringify({ header: true, columns: result.columns, bom: true, record_delimiter: 'windows' });
    csv.pipe(io.stdout, { end: false });
    const done = once(csv, 'end');
    for (const r of result.rows) {
      const row = Object.fromEntries(result.columns.map((c) => [c, text(r[c])]));
      csv.write(opts.csvRaw ? row : neutralized(row));
    }
    csv.end();
    await done;
  } else if (opts.format === 'table') {
    const width = 24;
    await out.write(result.columns.map((c) => cell(c, width)).join(' '));
    for (const r of result.rows) await out.write(result.columns.map((c) => cell(text(r[c]), width)).join(' '));
  } else for (const r of result.rows) await out.write(JSON.stringify(r));
  await out.close(false);
  io.stderr.write(`auditkit query: ${result.rows.length} rows\n`);
  return EXIT.ok;
}

/** `auditkit query DIR`: streams matching events as NDJSON, CSV or a table. */
export async function runQuery(dir: string, opts: QueryCliOptions, io: CliIo): Promise<number> {
  if (opts.sql !== undefined) return runSql(dir, opts, io);
  // The filters read unified events; an archive of OCSF events is read with SQL.
  if ((await archiveContent(dir).catch(() => undefined)) === OCSF_CONTENT) {
    io.stderr.write(
      `auditkit query: ${dir} holds OCSF 1.8.0 events (ocsf: true); the filter flags read unified events: use --sql "SELECT … FROM ocsf"\n`,
    );
    return EXIT.usage;
  }
  const filter: QueryFilter = {};
  try {
    if (opts.since) filter.since = parseUserTime(opts.since, '--since');
    if (opts.until) filter.until = parseUserTime(opts.until, '--until');
  } catch (err) {
    io.stderr.write(`auditkit query: ${(err as { pointer?: string }).pointer}: ${(err as Error).message}\n`);
    return EXIT.usage;
  }
  if (filter.since !== undefined && filter.until !== undefined && compareTimes(filter.until, filter.since) <= 0) {
    io.stderr.write(`auditkit query: --until (${filter.until}) is not after --since (${filter.since})\n`);
    return EXIT.usage;
  }
  for (const k of ['vendor', 'actor', 'action', 'search'] as const) if (opts[k] !== undefined) filter[k] = opts[k];
  const out = new LineWriter(io.stdout);
  let csv: ReturnType<typeof stringify> | undefined;
  let csvDone: Promise<void> | undefined;
  if (opts.format === 'csv') {
    // CRLF and a BOM: what spreadsheets open without an import dialog.
    csv = stringify({ header: true, columns: [...QUERY_COLUMNS], bom: true, record_delimiter: 'windows' });
    csv.pipe(io.stdout, { end: false });
    csvDone = once(csv, 'end').then(() => undefined);
  } else if (opts.format === 'table') {
    await out.write(TABLE.map(([c, w]) => cell(c, w)).join(' '));
  }
  let skipped = 0;
  let count = 0;
  let damaged = 0;
  const onDamaged = (file: string, message: string): void => {
    damaged++;
    io.stderr.write(`auditkit query: ${path.basename(file)}: ${message}\n`);
  };
  try {
    for await (const { event: e, line } of queryArchiveLines(
      dir,
      filter,
      () => {
        skipped++;
      },
      onDamaged,
    )) {
      count++;
      if (csv) {
        const row = eventRow(e);
        if (!csv.write(opts.csvRaw ? row : neutralized(row))) await new Promise((r) => csv.once('drain', r));
      } else if (opts.format === 'table') {
        const row = eventRow(e);
        await out.write(TABLE.map(([, w, value]) => cell(value(row), w)).join(' '));
      } else {
        // The line as the archive holds it (the writer's JSON of the event); anything else stored
        // there (a `\r`, spaces around it) is written as JSON.stringify would.
        const wait = out.write(line.startsWith('{') && line.endsWith('}') ? line : JSON.stringify(e));
        if (wait) await wait;
      }
    }
  } catch (err) {
    io.stderr.write(`auditkit query: cannot read ${dir}: ${(err as Error).message}\n`);
    return EXIT.io;
  } finally {
    if (csv) {
      csv.end();
      await csvDone;
    }
    await out.close(false);
  }
  io.stderr.write(
    `auditkit query: ${count} events${skipped ? `, ${skipped} lines that are not events skipped` : ''}${damaged ? `, ${damaged} damaged segments (run auditkit verify)` : ''}\n`,
  );
  return damaged ? EXIT.rejected : EXIT.ok;
}
