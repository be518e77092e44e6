/**
 * The SDK processor path never loads what only the CLI or other exporters need (issue 17, item 3:
 * DuckDB is loaded lazily): a process that imports the package entry and runs AuditLogProcessor
 * inside a LoggerProvider resolves no DuckDB, Parquet, protobufjs, CSV or progress-bar module.
 * A module hook records every URL the process resolves.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { childEnv } from '../helpers/child-env.js';
import { ROOT } from '../helpers/golden.js';

const HEAVY = ['@duckdb', 'hyparquet', 'protobufjs', 'csv-parse', 'csv-stringify', 'cli-progress', 'commander', '@grpc'];

async function loads(script: string): Promise<{ code: number | null; stdout: string; urls: string[] }> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'auditkit-loads-')), 'loads.txt');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', path.join(ROOT, 'test/fixtures/record-loads.mjs'), path.join(ROOT, script)],
    { cwd: ROOT, env: childEnv({ AUDITKIT_LOADS_FILE: file }), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const code = await new Promise<number | null>((r) => child.on('close', r));
  const urls = (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  return { code, stdout, urls };
}

t.test('AuditLogProcessor in a LoggerProvider loads no DuckDB, Parquet, protobuf, CSV or CLI module', async (t) => {
  const r = await loads('test/fixtures/sdk-only.ts');
  t.equal(r.code, 0);
  t.equal(r.stdout.trim(), '1', 'the record went through the processor');
  t.ok(
    r.urls.some((u) => u.includes('/src/sdk/audit-log-processor.ts')),
    'the hook saw the SDK modules load',
  );
  t.same(
    r.urls.filter((u) => HEAVY.some((h) => u.includes(`/node_modules/${h}`))),
    [],
    `none of ${HEAVY.join(', ')}`,
  );
});

t.test('the hook does see DuckDB when a path needs it (query --sql)', async (t) => {
  const r = await loads('test/fixtures/sql-only.ts');
  t.equal(r.code, 0);
  t.ok(
    r.urls.some((u) => u.includes('/node_modules/@duckdb/')),
    'DuckDB was loaded',
  );
});
