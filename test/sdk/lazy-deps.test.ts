/**
 * The SDK processor path never loads what only the CLI or other exporters need (issue 17, item 3:
 * DuckDB is loaded lazily): a process that imports the package entry and runs AuditLogProcessor
 * inside a LoggerProvider resolves no DuckDB, Parquet, protobufjs, CSV or progress-bar module.
 * A CLI convert loads neither RE2JS nor the configuration's validator (issue 16: start-up), which
 * only a configuration needs. A module hook records every URL the process resolves, and at exit
 * every CommonJS module it required.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { childEnv } from '../helpers/child-env.js';
import { CLI_ARGS } from '../helpers/cli.js';
import { ROOT } from '../helpers/golden.js';

const HEAVY = ['@duckdb', 'hyparquet', 'protobufjs', 'csv-parse', 'csv-stringify', 'cli-progress', 'commander', '@grpc'];

/** The module hook that records what a process loads. */
const HOOK = ['--import', path.join(ROOT, 'test/fixtures/record-loads.mjs')];
/** Node's arguments for a TypeScript script run through tsx, with the hook. */
const script = (file: string): string[] => ['--import', 'tsx', ...HOOK, path.join(ROOT, file)];
/** Node's arguments for the built CLI with `args`, with the hook. */
const auditkit = (args: string[]): string[] => [...HOOK, ...CLI_ARGS, ...args];

/** Runs node with `args`, recording what the process loads. */
async function loads(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; urls: string[] }> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'auditkit-loads-')), 'loads.txt');
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: childEnv({ AUDITKIT_LOADS_FILE: file }),
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((r) => child.on('close', r));
  const urls = (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  return { code, stdout, stderr, urls };
}

t.test('AuditLogProcessor in a LoggerProvider loads no DuckDB, Parquet, protobuf, CSV or CLI module', async (t) => {
  const r = await loads(script('test/fixtures/sdk-only.ts'));
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
  const r = await loads(script('test/fixtures/sql-only.ts'));
  t.equal(r.code, 0);
  t.ok(
    r.urls.some((u) => u.includes('/node_modules/@duckdb/')),
    'DuckDB was loaded',
  );
});

/** What only a configuration needs: RE2JS (the Collector redaction's regexes) and the configuration's validator. */
const CONFIG_ONLY = (u: string): boolean => u.includes('/node_modules/re2js/') || u.includes('/generated/config-validator.');

t.test('a CLI convert loads neither RE2JS nor the configuration validator', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'auditkit-loads-'));
  const r = await loads(
    auditkit(['convert', path.join(ROOT, 'examples/wandb/api-stream.ndjson'), '-q', '-o', path.join(dir, 'out.ndjson')]),
  );
  t.equal(r.code, 0, r.stderr);
  t.ok(
    r.urls.some((u) => u.includes('/dist/src/pipeline/convert.js')),
    'the hook saw the convert modules load',
  );
  t.same(r.urls.filter(CONFIG_ONLY), [], 'no re2js, no generated/config-validator');
});

t.test('a configuration with a redaction processor loads both (the hook sees them)', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'auditkit-loads-'));
  const config = path.join(dir, 'config.yaml');
  // An invalid RE2 pattern: the check compiles the redaction (RE2JS) after the schema (the validator) passes.
  await writeFile(
    config,
    `receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:0
processors:
  redaction:
    allow_all_keys: true
    blocked_values: ["(unclosed"]
exporters:
  ndjson_file:
    directory: ${dir}/archive
service:
  state_directory: ${dir}/state
  pipelines:
    logs:
      receivers: [otlp]
      processors: [redaction]
      exporters: [ndjson_file]
`,
  );
  const r = await loads(auditkit(['run', '--config', config]));
  t.equal(r.code, 2, 'a configuration problem');
  t.match(r.stderr, /processors\.redaction\.blocked_values\[0\]: invalid regular expression \(RE2 syntax\)/);
  t.ok(
    r.urls.some((u) => u.includes('/node_modules/re2js/')),
    'RE2JS was loaded (its CommonJS build)',
  );
  t.ok(
    r.urls.some((u) => u.includes('/dist/src/generated/config-validator.js')),
    'the configuration validator was loaded',
  );
});
