/**
 * Nothing printed carries record values or secrets (issue 12, item 4), through the CLI as a
 * user runs it: under a redacting policy a rejected record's values are shown only as the policy
 * shows them; known secrets (API keys, HMAC keys, header values, URL passwords) never appear in
 * any message, Node's fetch errors and vendor error bodies included; dead-letter files are
 * owner-only.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { spawnCli } from '../helpers/cli.js';

const tmp = await mkdtemp(path.join(tmpdir(), 'auditkit-diag-'));
const EMAIL = 'rejected.person@leaky-mail.example';
const TOKEN = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc';
process.env.AUDITKIT_TEST_DIAG_KEY = 'diag-api-key-0123456789';
process.env.AUDITKIT_TEST_DIAG_HMAC = 'diag-hmac-key-secret';

/** A loopback server answering every request with `status` and `body`. */
async function answering(status: number, body: (url: string) => string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body(req.url ?? ''));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

t.test(
  'convert --redact default: a rejected record is named by file, line, pointer and code; its values only as the policy shows them',
  async (t) => {
    const file = path.join(tmp, 'bad.ndjson');
    // A W&B record whose time is the e-mail and a token: rejected, and its message quotes the value.
    await writeFile(file, JSON.stringify({ timestamp: `${EMAIL} ${TOKEN}`, action: 'run:update', actor_user_id: 1 }) + '\n');
    const dead = path.join(tmp, 'dead.ndjson');
    for (const flags of [
      ['--redact', 'default'],
      ['--hmac-key-env', 'AUDITKIT_TEST_DIAG_HMAC'],
      ['--redact', 'wandb-anonymize'],
    ]) {
      const r = await spawnCli(['convert', file, '--from', 'wandb', '--dead-letter', dead, ...flags]);
      t.equal(r.code, 1, flags.join(' '));
      t.match(r.stderr, /bad\.ndjson:1 at \/timestamp: invalid_time/, 'file, line, pointer and code');
      t.notMatch(r.stderr, /rejected\.person|leaky-mail/, 'no e-mail');
      t.notMatch(r.stderr, /4eC39HqLyjWDarjtT1zdp7dc/, 'no token');
      t.notMatch(r.stderr, /diag-hmac-key-secret/, 'no HMAC key');
    }
    const letter = await readFile(dead, 'utf8');
    t.match(letter, /rejected\.person@leaky-mail\.example/, 'the dead letter keeps the original, to be fed back');
    t.equal((await stat(dead)).mode & 0o777, 0o600, 'and is readable by its owner only');
  },
);

t.test('convert without a policy still never prints a secret', async (t) => {
  const file = path.join(tmp, 'bad2.ndjson');
  await writeFile(file, JSON.stringify({ timestamp: `at ${TOKEN}`, action: 'run:update', actor_user_id: 1 }) + '\n');
  const r = await spawnCli(['convert', file, '--from', 'wandb']);
  t.equal(r.code, 1);
  t.notMatch(r.stderr, /4eC39HqLyjWDarjtT1zdp7dc/);
});

t.test('pull --url with a password: the password never appears, Node fetch error included', async (t) => {
  const r = await spawnCli([
    'pull',
    'wherobots',
    '--url',
    'http://admin:url-pass-w0rd@127.0.0.1:9',
    '--since',
    '1d',
    '--state',
    path.join(tmp, 's1'),
    '--api-key-env',
    'AUDITKIT_TEST_DIAG_KEY',
    '--retries',
    '0',
  ]);
  t.equal(r.code, 3, r.stderr);
  t.notMatch(r.stderr, /url-pass-w0rd/, 'no password');
  t.notMatch(r.stderr, /diag-api-key-0123456789/, 'no API key');
  t.match(r.stderr, /auditkit pull: /, 'the failure is still explained');
});

t.test('a vendor error body that echoes the API key: the key never appears', async (t) => {
  const vendor = await answering(400, () =>
    JSON.stringify({ errors: [{ code: 'BAD_REQUEST', message: 'bad key diag-api-key-0123456789 for this org' }] }),
  );
  t.teardown(() => vendor.close());
  const r = await spawnCli([
    'pull',
    'wherobots',
    '--url',
    vendor.url,
    '--since',
    '1d',
    '--state',
    path.join(tmp, 's2'),
    '--api-key-env',
    'AUDITKIT_TEST_DIAG_KEY',
  ]);
  t.equal(r.code, 3, r.stderr);
  t.match(r.stderr, /BAD_REQUEST/, 'the vendor error is shown');
  t.notMatch(r.stderr, /diag-api-key-0123456789/, 'without the key');
});

t.test('an OTLP backend that echoes a header value: the value never appears', async (t) => {
  const backend = await answering(400, () => 'invalid api key otlp-header-secret-99');
  t.teardown(() => backend.close());
  const r = await spawnCli([
    'convert',
    path.join(tmp, 'bad2.ndjson'),
    '--from',
    'wandb',
    '--to',
    'otlp',
    '--endpoint',
    backend.url,
    '--header',
    'x-api-key=otlp-header-secret-99',
  ]);
  t.notMatch(r.stderr, /otlp-header-secret-99/, `no header value (${r.stderr.slice(0, 200)})`);
});

t.test('auditkit run: the keys of its configuration never appear in what it prints', async (t) => {
  const vendor = await answering(401, () => JSON.stringify({ detail: 'unknown key run-config-key-777' }));
  t.teardown(() => vendor.close());
  const config = path.join(tmp, 'run.yaml');
  await writeFile(
    config,
    `receivers:\n  snorkel:\n    url: ${vendor.url}\n    api_key: run-config-key-777\nexporters:\n  ndjson_file:\n    directory: ${path.join(tmp, 'archive')}\nservice:\n  state_directory: ${path.join(tmp, 'state')}\n  pipelines:\n    logs:\n      receivers: [snorkel]\n      exporters: [ndjson_file]\n`,
  );
  const r = await spawnCli(['run', '--config', config, '--once']);
  t.equal(r.code, 3, r.stderr);
  t.notMatch(r.stderr, /run-config-key-777/);
});
