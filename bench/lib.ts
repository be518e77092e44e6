/** Shared pieces of the benchmarks: generated inputs, timing, child processes. */
import { WHEROBOTS_FIELDS } from '../adapters/wherobots/normalize.js';
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Generated inputs are kept here between runs; the folder is versioned with the generator. */
export const DATA = path.join(os.tmpdir(), 'auditkit-bench-v2');
export const CLI = path.join(ROOT, 'dist/src/cli/main.js');

/** Every action of the W&B catalog (adapters/wandb/actions.json: all 30). */
const WANDB_ACTIONS: readonly string[] = (
  JSON.parse(readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../adapters/wandb/actions.json'), 'utf8')) as {
    actions: [string, ...unknown[]][];
  }
).actions.map((a) => a[0]);

/** A seeded PRNG (mulberry32): the same data on every run and machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'maria',
  'kenji',
  'priya',
  'liam',
  'olga',
  'chen',
  'amara',
  'diego',
  'fatima',
  'noah',
  'yuki',
  'sven',
  'aisha',
  'pedro',
  'mei',
  'jonas',
  'zara',
  'omar',
  'lena',
  'ravi',
];
const LAST = [
  'garcia',
  'watanabe',
  'natarajan',
  'smith',
  'ivanova',
  'wang',
  'okafor',
  'lopez',
  'haddad',
  'muller',
  'tanaka',
  'berg',
  'khan',
  'silva',
  'li',
  'schmidt',
  'ahmed',
  'nasser',
  'novak',
  'iyer',
];
/** 2,000 users: id, e-mail. */
const USERS = Array.from({ length: 2000 }, (_, u) => ({
  id: 1000 + u,
  email: `${FIRST[u % 20]}.${LAST[Math.floor(u / 20) % 20]}${u >= 400 ? Math.floor(u / 400) : ''}@acme-ml.com`,
}));
const FAILURES = [401, 403, 404, 409, 500];
const WHEROBOTS_ACTIONS = ['CreateJobRun', 'UploadFile', 'CreateNotebook', 'InviteUser', 'DeleteFile', 'GetJobRunLogs'];

/**
 * A realistic W&B audit record, the same for the same `i` (seeded): 2,000 users, all 30 catalog
 * actions, IPv4 and IPv6 addresses, microsecond times, 8% failures (401, 403, 404, 409, 500).
 */
export function wandbRecord(i: number): Record<string, unknown> {
  const r = prng(i * 2654435761 + 17);
  const user = USERS[Math.floor(r() * USERS.length)]!;
  const project = Math.floor(r() * 400);
  const micros = Math.floor(r() * 1_000_000);
  const t = new Date(Date.UTC(2026, 7, 1) + i * 700).toISOString().slice(0, 19);
  const ip =
    r() < 0.3
      ? `2001:db8:${Math.floor(r() * 0xffff).toString(16)}::${Math.floor(r() * 0xffff).toString(16)}`
      : `203.0.${Math.floor(r() * 256)}.${1 + Math.floor(r() * 254)}`;
  return {
    timestamp: `${t}.${String(micros).padStart(6, '0')}Z`,
    action: WANDB_ACTIONS[Math.floor(r() * WANDB_ACTIONS.length)],
    actor_user_id: user.id,
    actor_email: user.email,
    actor_ip: ip,
    entity_asset: 311 + (project % 12),
    entity_name: `team-${project % 12}`,
    project_asset: 5000 + project,
    project_name: `proj-${project}`,
    artifact_asset: 880000 + Math.floor(r() * 100_000),
    artifact_qualified_name: `team-${project % 12}/proj-${project}/weights:v${Math.floor(r() * 40)}`,
    artifact_digest:
      Math.floor(r() * 2 ** 32)
        .toString(16)
        .padStart(8, '0') +
      Math.floor(r() * 2 ** 32)
        .toString(16)
        .padStart(24, '0'),
    cli_version: `0.21.${Math.floor(r() * 5)}`,
    response_code: r() < 0.08 ? FAILURES[Math.floor(r() * FAILURES.length)] : 200,
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

/** Wall time of `auditkit convert ARGS -q` (the built CLI); throws with its stderr when it fails. */
export async function convertMs(args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  const r = await run(process.execPath, [CLI, 'convert', ...args, '-q'], env);
  if (r.code !== 0) throw new Error(`convert ${args.join(' ')} failed: ${r.stderr.slice(0, 300)}`);
  return r.ms;
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

/** The middle value of timings (sorts them in place). */
const middle = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Medians of a floor and a case run alternately (floor, case, floor, case, ...), so that a
 * machine whose speed drifts during the bench (this one's floor moved by 2x within ten minutes)
 * moves both alike: each row's floor is measured beside it, not once minutes before.
 */
export async function interleaved(
  runs: number,
  floor: () => Promise<number>,
  subject: () => Promise<number>,
): Promise<{ ms: number; floorMs: number }> {
  const floors: number[] = [];
  const subjects: number[] = [];
  for (let i = 0; i < runs; i++) {
    floors.push(await floor());
    subjects.push(await subject());
  }
  return { ms: middle(subjects), floorMs: middle(floors) };
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
