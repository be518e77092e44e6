/** Shared pieces of the benchmarks: generated inputs, timing, child processes. */
import { WHEROBOTS_FIELDS } from '../adapters/wherobots/normalize.js';
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DATA = path.join(os.tmpdir(), 'auditkit-bench');
export const CLI = path.join(ROOT, 'dist/src/cli/main.js');

const EMAILS = ['maria.garcia@acme-ml.com', 'kenji.watanabe@acme-ml.com', 'priya.natarajan@acme-ml.com', 'ops-bot@acme-ml.com'];
const WANDB_ACTIONS = ['artifact:create', 'run:update', 'user:login', 'project:read', 'team:invite_user', 'run:stop', 'report:read'];
const WHEROBOTS_ACTIONS = ['CreateJobRun', 'UploadFile', 'CreateNotebook', 'InviteUser', 'DeleteFile', 'GetJobRunLogs'];

export function wandbRecord(i: number): Record<string, unknown> {
  return {
    timestamp: new Date(Date.UTC(2026, 7, 1) + i * 1000).toISOString().replace('.000Z', i % 3 ? 'Z' : '.482913Z'),
    action: WANDB_ACTIONS[i % WANDB_ACTIONS.length],
    actor_user_id: 1000 + (i % 97),
    actor_email: EMAILS[i % 4],
    actor_ip: `203.0.113.${(i % 250) + 1}`,
    entity_asset: 311,
    entity_name: 'vision-research',
    project_asset: 5000 + (i % 40),
    project_name: `proj-${i % 40}`,
    artifact_asset: 880000 + i,
    artifact_qualified_name: `vision-research/proj-${i % 40}/weights:v${i % 9}`,
    artifact_digest: ((i * 2654435761) >>> 0).toString(16).padStart(32, '0'),
    cli_version: '0.21.3',
    response_code: i % 50 ? 200 : 403,
  };
}

export function snorkelRecord(i: number): Record<string, unknown> {
  return {
    event_id: i + 1,
    event_time: new Date(Date.UTC(2026, 6, 1) + i * 1000).toISOString().slice(0, 23) + '843',
    event_name: ['dataset', 'lf', 'application', 'api_key', 'user'][i % 5],
    event_type: ['create', 'update', 'delete'][i % 3],
    event_details: { workspace_uid: 1, object_uid: i, note: `changed by user ${i % 17}` },
    user_uid: 2 + (i % 11),
  };
}

export function wherobotsRecord(i: number): Record<string, string | null> {
  return {
    event_id: `evt_${i}`,
    event_time: new Date(Date.UTC(2026, 1, 1) + i * 1000).toISOString().replace('.000Z', i % 2 ? '-08:00' : 'Z'),
    action_name: WHEROBOTS_ACTIONS[i % WHEROBOTS_ACTIONS.length]!,
    user_id: `usr_${i % 13}`,
    user_name: `dana${i % 13}@geoinsight.io`,
    user_agent: 'wherobots-python/0.12.1 (python 3.11.9; linux)',
    source_ip: `198.51.100.${(i % 250) + 1}`,
    resource_name: `job-${i % 100}`,
    resource_id: `res_${i}`,
    compute_region: 'aws-us-west-2',
    client_chain: 'python-sdk',
    source_client: 'wherobots-python',
  };
}

/** Writes `count` lines made by `line(i)` to `file` (cached: an existing file is reused). */
export async function generate(file: string, count: number, line: (i: number) => string, header?: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  if (
    await stat(file).then(
      (s) => s.size > 0,
      () => false,
    )
  )
    return file;
  const out = createWriteStream(file);
  if (header) out.write(`${header}\n`);
  for (let i = 0; i < count; i++) if (!out.write(`${line(i)}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  return file;
}

const CSV_COLS = WHEROBOTS_FIELDS;
export const wherobotsCsvHeader = CSV_COLS.join(',');
export const wherobotsCsvLine = (i: number): string => {
  const r = wherobotsRecord(i);
  return CSV_COLS.map((c) => (r[c] === null ? '' : /[",\n]/.test(r[c]!) ? `"${r[c]!.replace(/"/g, '""')}"` : r[c])).join(',');
};

/** Runs a command; resolves with wall time and the child's peak RSS (from /usr/bin/time when present). */
export function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ ms: number; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const t = process.hrtime.bigint();
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: Number(process.hrtime.bigint() - t) / 1e6, code, stderr }));
  });
}

/**
 * Runs `auditkit convert ARGS -q` in bench/convert-child.mjs: its wall time, peak RSS and exit
 * code. Throws (naming `what`) when the child reports nothing, or exits non-zero unless
 * `anyExit` (a bench that measures rejection).
 */
export async function convertChild(
  args: string[],
  what: string,
  anyExit = false,
): Promise<{ ms: number; peakRssMb: number; code: number }> {
  const r = await run(process.execPath, [path.join(ROOT, 'bench/convert-child.mjs'), 'convert', ...args, '-q']);
  const m = /BENCH (\{.*\})/.exec(r.stderr);
  if (!m || (!anyExit && r.code !== 0)) throw new Error(`${what} run failed: ${r.stderr.slice(0, 300)}`);
  const { maxRssKb, code } = JSON.parse(m[1]!) as { maxRssKb: number; code: number };
  return { ms: r.ms, peakRssMb: Math.round(maxRssKb / 1024), code };
}

/** Median of `runs` timings of `fn` (after one warm-up when `warm`). */
export async function median(runs: number, fn: () => Promise<number>): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) xs.push(await fn());
  xs.sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)]!;
}

/** One result row of `npm run bench`. */
export interface BenchRow {
  bench: string;
  case: string;
  ms: number;
  floorMs: number;
  ratio: number;
  target?: number;
  note?: string;
}

export const row = (bench: string, c: string, ms: number, floorMs: number, target?: number, note?: string): BenchRow => ({
  bench,
  case: c,
  ms: Math.round(ms),
  floorMs: Math.round(floorMs),
  ratio: Math.round((ms / floorMs) * 100) / 100,
  ...(target !== undefined ? { target } : {}),
  ...(note ? { note } : {}),
});
