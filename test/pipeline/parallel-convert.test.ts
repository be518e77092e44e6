/**
 * `convert --jobs N` (worker threads) must be indistinguishable from the sequential path: the
 * same output bytes in the same order, the same dead letters, counts and exit code.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import t from 'tap';
import { cli } from '../helpers/cli.js';
import { ROOT } from '../helpers/golden.js';

const tmp = await mkdtemp(path.join(tmpdir(), 'auditkit-parallel-'));
const td = (v: string, f: string): string => path.join(ROOT, 'adapters', v, 'testdata', f);

// A mixed NDJSON input of several blocks (> 256 KiB reads): good and bad lines, envelopes,
// arrays, three vendors, CRLF, a dead letter line, a last line without a newline.
const parts = [
  await readFile(td('wandb', 'stream-all-actions.input.ndjson'), 'utf8'),
  await readFile(td('wandb', 'bad-lines.input.ndjson'), 'utf8'),
  await readFile(td('wandb', 'envelope-pages.input.ndjson'), 'utf8'),
  await readFile(td('snorkel', 'ndjson.input.ndjson'), 'utf8'),
  await readFile(td('snorkel', 'bad-lines.input.ndjson'), 'utf8'),
  await readFile(td('wherobots', 'items-unknown-action.input.ndjson'), 'utf8'),
];
let big = '';
for (let i = 0; big.length < 1_500_000; i++) big += parts[i % parts.length]!.replace(/\n/g, i % 3 ? '\n' : '\r\n');
big +=
  '{"dead_letter":"auditkit/v1","time":"x","stage":"normalize","code":"invalid_time","message":"m","source":{},"original":"{\\"action\\":\\"user:login\\",\\"timestamp\\":\\"2026-08-01T00:00:00Z\\"}"}\n';
big += '{"action":"user:logout","timestamp":"2026-08-01T00:00:01Z"}';
const bigFile = path.join(tmp, 'big.ndjson');
await writeFile(bigFile, big);
const inputs = [
  bigFile,
  td('wherobots', 'bad-rows.input.csv'),
  path.join(tmp, 'missing.ndjson'),
  td('wandb', 'envelope-page.input.json'),
  bigFile,
];

/**
 * Converts `ins` with `--jobs jobs`. The dead-letter path does not depend on `jobs`, so the
 * messages naming it are the same for every `jobs`.
 */
async function runWith(
  jobs: string,
  extra: string[] = [],
  ins: readonly string[] = inputs,
): Promise<{ code: number; stdout: string; stderr: string; dead: string; summary: string }> {
  const dl = path.join(tmp, `dead-${extra.length}-${ins.length}.ndjson`);
  const r = await cli(['convert', ...ins, '--dead-letter', dl, '--jobs', jobs, ...extra]);
  const dead = (await readFile(dl, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.stringify({ ...JSON.parse(l), time: undefined }))
    .join('\n');
  return {
    code: r.code,
    stdout: r.stdout,
    stderr: r.stderr,
    dead,
    summary: r.stderr
      .split('\n')
      .filter((l) => l.includes('read '))
      .join('\n'),
  };
}

t.test('--jobs 2 equals --jobs 1: output bytes, order, dead letters, counts, exit code', async (t) => {
  const one = await runWith('1');
  const two = await runWith('2');
  t.ok(one.stdout.length > 1_000_000, `${one.stdout.split('\n').length} events`);
  t.equal(two.stdout, one.stdout, 'identical NDJSON output');
  t.equal(two.dead, one.dead, 'identical dead letters (with their file, line and pointer)');
  t.equal(two.summary, one.summary, `identical counts: ${one.summary}`);
  t.equal(one.code, 3, 'the missing input makes it exit 3');
  t.equal(two.code, one.code);
});

t.test('--jobs 2 with HMAC redaction equals --jobs 1 (each worker compiles the same policy)', async (t) => {
  process.env.AUDITKIT_TEST_PARALLEL_KEY = 'parallel-key';
  const extra = ['--redact', 'default', '--hmac-key-env', 'AUDITKIT_TEST_PARALLEL_KEY'];
  const one = await runWith('1', extra);
  const two = await runWith('auto', extra);
  t.equal(two.stdout, one.stdout);
  t.match(one.stdout, /hmac-sha256:k[0-9a-f]{8}:/, 'hashed');
  t.notMatch(one.stdout, /maria\.garcia@acme-ml\.com/, 'no e-mail left');
});

t.test('--jobs 2 reads hostile NDJSON as the sequential path does: CR line ends, a line too long, a line too deep', async (t) => {
  const { wandbRecords } = await import('../helpers/vendor-servers.js');
  const good = wandbRecords(3000, Date.UTC(2026, 7, 1), 1000).map((r) => JSON.stringify(r));
  const lines = [
    ...good.slice(0, 1000),
    `{"action":"${'x'.repeat(5000)}"}`,
    ...good.slice(1000, 2000),
    `${'['.repeat(200)}${']'.repeat(200)}`,
    ...good.slice(2000),
  ];
  const dir = await mkdtemp(path.join(tmpdir(), 'auditkit-par-'));
  const input = path.join(dir, 'hostile.ndjson');
  await writeFile(input, lines.map((l, i) => `${l}${['\n', '\r', '\r\n'][i % 3] ?? ''}`).join(''));
  const seq = await cli(['convert', input, '--from', 'wandb', '--max-record-bytes', '4000', '--dead-letter', path.join(dir, 'seq.dl')]);
  const par = await cli([
    'convert',
    input,
    '--from',
    'wandb',
    '--max-record-bytes',
    '4000',
    '--jobs',
    '2',
    '--dead-letter',
    path.join(dir, 'par.dl'),
  ]);
  t.equal(par.code, seq.code);
  t.equal(seq.code, 1, 'two records rejected');
  t.equal(par.stdout, seq.stdout, 'the same events');
  const letters = async (f: string): Promise<string[]> =>
    (await readFile(path.join(dir, f), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => {
        const { time: _t, ...rest } = JSON.parse(l) as Record<string, unknown>;
        return JSON.stringify(rest);
      });
  t.same(await letters('par.dl'), await letters('seq.dl'), 'the same dead letters, line numbers included');
  t.equal(seq.stdout.trim().split('\n').length, 3000);
});

t.test(
  '--jobs 2 keeps input order when a JSON or CSV input follows a short NDJSON one (its blocks all converted before it is opened)',
  async (t) => {
    // A short NDJSON file is one or two blocks; the workers finish them while the next input is
    // being opened, and those results must still be written before the next input's events.
    // Also inputs that fail: missing, a directory, and a gzip cut short (it fails after blocks of
    // it were sent): each reported with the same words, after the events before it.
    const truncated = path.join(tmp, 'truncated.ndjson.gz');
    const gz = gzipSync(big);
    await writeFile(truncated, gz.subarray(0, gz.length >> 1));
    const mixed: string[] = [];
    for (let i = 0; i < 12; i++)
      mixed.push(
        td('wandb', 'stream-all-actions.input.ndjson'),
        td('wandb', 'envelope-page.input.json'),
        td('snorkel', 'ndjson.input.ndjson'),
        td('wherobots', 'bad-rows.input.csv'),
        path.join(tmp, 'missing.ndjson'),
        ...(i % 4 === 0 ? [tmp, truncated] : []),
      );
    const one = await runWith('1', [], mixed);
    const two = await runWith('2', [], mixed);
    t.equal(two.dead, one.dead, 'the same dead letters in the same order');
    t.ok(one.stdout.split('\n').length > 500, 'a few hundred events');
    t.equal(two.stdout, one.stdout, 'identical NDJSON output, in input order');
    t.equal(two.stderr, one.stderr, 'the same messages in the same order');
    t.equal(two.code, one.code);
    t.match(one.stderr, /is a directory/);
    t.match(one.stderr, /truncated\.ndjson\.gz: cannot read: /);
  },
);
