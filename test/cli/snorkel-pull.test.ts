/**
 * `auditkit pull snorkel` as a user runs it (issue 13, item 3). Snorkel Flow's `/audit-logs`
 * answers only its newest `limit` records, with no time filter: a pull needs no `--since`, and a
 * full answer that does not reach back to the checkpoint is asked again with the limit doubled
 * (up to `--max-limit`); when even that cannot reach it, the checkpoint stays, the possible gap is
 * reported on stderr and the exit code is 1. Nothing is lost and nothing is delivered twice.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { queryArchive } from '../../src/exporters/ndjson_file/query.js';
import { spawnCli } from '../helpers/cli.js';
import { snorkelServer } from '../helpers/vendor-servers.js';

const tmp = await mkdtemp(path.join(tmpdir(), 'auditkit-snorkel-pull-'));
let n = 0;
const fresh = (): string => path.join(tmp, `d${n++}`);
const T0 = Date.UTC(2026, 7, 1);
const HOUR = 3_600_000;
process.env.AUDITKIT_TEST_SNORKEL_KEY = 'snorkel-key';

/** `count` records an hour apart from T0, oldest first, as the API keeps them. */
const records = (count: number): Record<string, unknown>[] =>
  Array.from({ length: count }, (_, i) => ({
    event_id: i + 1,
    event_time: new Date(T0 + i * HOUR).toISOString().slice(0, 23) + '123',
    event_name: 'dataset',
    event_type: 'create',
    event_details: { dataset_uid: i },
    user_uid: 2,
  }));

const pull = (url: string, state: string, out: string, more: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  spawnCli(['pull', 'snorkel', '--url', url, '--state', state, '--api-key-env', 'AUDITKIT_TEST_SNORKEL_KEY', '-o', out, ...more]);

const idsOf = async (file: string): Promise<number[]> =>
  (await readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => Number((JSON.parse(l) as { id: string }).id.split(':')[1]));

t.test('a first pull needs no --since: it takes what the API returns', async (t) => {
  const server = await snorkelServer(records(12)).start();
  t.teardown(() => server.stop());
  const out = path.join(fresh(), 'out.ndjson');
  const r = await pull(server.url, fresh(), out, ['--until', '2026-08-03']);
  t.equal(r.code, 0, r.stderr);
  t.same(
    await idsOf(out),
    Array.from({ length: 12 }, (_, i) => i + 1),
    'every record the API returned',
  );
  t.equal(server.requests.length, 1, 'one request: no lower bound, so nothing can be missing below it');
});

t.test('--limit 5 over a range of 32 records: the limit doubles until the answer reaches back; all 32, once', async (t) => {
  const server = await snorkelServer(records(32)).start();
  t.teardown(() => server.stop());
  const out = path.join(fresh(), 'out.ndjson');
  const r = await pull(server.url, fresh(), out, ['--since', '2026-08-01', '--until', '2026-08-03', '--limit', '5']);
  t.equal(r.code, 0, r.stderr);
  t.same(
    server.requests.map((q) => q.url.searchParams.get('limit')),
    ['5', '10', '20', '40'],
    'asked again with the limit doubled',
  );
  t.same(
    await idsOf(out),
    Array.from({ length: 32 }, (_, i) => i + 1),
    'all 32, each once',
  );
  t.match(r.stderr, /asking again with limit 10/, 'says why it asks again');
});

t.test(
  'when --max-limit cannot reach the checkpoint: exit 1, the gap on stderr, the checkpoint kept; a later pull closes it',
  async (t) => {
    const server = await snorkelServer(records(32)).start();
    t.teardown(() => server.stop());
    const state = fresh();
    const range = ['--since', '2026-08-01', '--until', '2026-08-03', '--limit', '5'];
    const first = path.join(fresh(), 'first.ndjson');
    const r = await pull(server.url, state, first, [...range, '--max-limit', '10']);
    t.equal(r.code, 1, 'exit 1: records may be missing');
    t.match(r.stderr, /possible gap: the newest 10 records reach back only to 2026-08-01T22:00:00\.000123Z/, 'names where the answer ends');
    t.match(r.stderr, /between 2026-08-01T00:00:00Z and it may be missing; the checkpoint stays; pull again with a larger --max-limit/);
    t.same(await idsOf(first), [23, 24, 25, 26, 27, 28, 29, 30, 31, 32], 'what the API returned is delivered');
    const checkpoint = JSON.parse(await readFile(path.join(state, 'snorkel.checkpoint.json'), 'utf8')) as { watermark?: string };
    t.equal(checkpoint.watermark, undefined, 'the checkpoint did not move past the gap');
    const second = path.join(fresh(), 'second.ndjson');
    const again = await pull(server.url, state, second, range);
    t.equal(again.code, 0, again.stderr);
    t.same(
      await idsOf(second),
      Array.from({ length: 22 }, (_, i) => i + 1),
      'the rest arrives, and nothing twice',
    );
  },
);

t.test('W&B and Wherobots still need --since: exit 2 naming the flag', async (t) => {
  for (const vendor of ['wandb', 'wherobots']) {
    const r = await spawnCli([
      'pull',
      vendor,
      '--url',
      'http://127.0.0.1:9',
      '--state',
      fresh(),
      '--api-key-env',
      'AUDITKIT_TEST_SNORKEL_KEY',
    ]);
    t.equal(r.code, 2, vendor);
    t.match(r.stderr, new RegExp(`--since: required for ${vendor}`));
  }
});

t.test('auditkit run: a Snorkel receiver needs no since; a gap it cannot close is logged and run --once exits 1', async (t) => {
  const server = await snorkelServer(records(32)).start();
  t.teardown(() => server.stop());
  const dir = fresh();
  const config = (extra: string): string =>
    `receivers:\n  snorkel:\n    url: ${server.url}\n    api_key: \${env:AUDITKIT_TEST_SNORKEL_KEY}\n${extra}exporters:\n  ndjson_file:\n    directory: ${path.join(dir, 'archive')}\nservice:\n  state_directory: ${path.join(dir, 'state')}\n  pipelines:\n    logs:\n      receivers: [snorkel]\n      exporters: [ndjson_file]\n`;
  const file = path.join(tmp, 'snorkel-run.yaml');
  await writeFile(file, config('    since: "2026-08-01"\n    limit: 5\n    max_limit: 10\n'));
  const r = await spawnCli(['run', '--config', file, '--once']);
  t.equal(r.code, 1, r.stderr);
  t.match(r.stderr, /logs\/snorkel: possible gap: .*raise receivers\.snorkel\.max_limit/);
  const noSince = path.join(tmp, 'snorkel-run-no-since.yaml');
  await writeFile(noSince, config('').replace(path.join(dir, 'state'), path.join(dir, 'state2')));
  const ok = await spawnCli(['run', '--config', noSince, '--once']);
  t.equal(ok.code, 0, `no since is fine for Snorkel (${ok.stderr})`);
  t.match(ok.stderr, /logs\/snorkel: 1 pages, delivered 32,/, 'everything the API returned (a new pipeline state, no lower bound)');
  const ids: string[] = [];
  for await (const e of queryArchive(path.join(dir, 'archive'))) ids.push(e.id);
  t.equal(ids.length, 32, 'the archive holds all 32');
  t.equal(new Set(ids).size, 32, 'each once (the 10 of the first run were skipped by the archive)');
});
