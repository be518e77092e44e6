/**
 * Every flag takes effect or is refused (issue 13, item 2), through the CLI as a user runs it:
 * each rule of src/cli/flags.ts is met by a refused combination (exit 2, stderr naming the flag
 * and what to add or remove, nothing written); the two intents auditkit honours are honoured
 * and said on stderr; README's table lists exactly the rules.
 */
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { FLAG_RULES, flagName, HONOURED } from '../../src/cli/flags.js';
import { spawnCli } from '../helpers/cli.js';
import { ROOT } from '../helpers/golden.js';
import { wandbRecords, wandbServer } from '../helpers/vendor-servers.js';

const tmp = await mkdtemp(path.join(tmpdir(), 'auditkit-flags-'));
const input = path.join(ROOT, 'examples/wandb/api-stream.ndjson');
const out = path.join(tmp, 'never-written');
process.env.AUDITKIT_TEST_FLAG_KEY = 'flag-test-key';
const convert = (...more: string[]): string[] => ['convert', input, ...more];
const pull = (vendor: string, ...more: string[]): string[] => [
  'pull',
  vendor,
  '--url',
  'http://127.0.0.1:9',
  '--since',
  '7d',
  '--state',
  path.join(tmp, 'state'),
  '--api-key-env',
  'AUDITKIT_TEST_FLAG_KEY',
  ...more,
];
const archive = ['--to', 'archive', '-o', out];

/** A refused combination for every flag of every rule: [args, the flag named]. */
const REFUSED: [string[], string][] = [
  [convert('--max-file-bytes', '1000'), '--max-file-bytes'],
  [convert('--max-file-age-secs', '60', '-o', out), '--max-file-age-secs'],
  [convert('--anchor-file', path.join(tmp, 'anchor')), '--anchor-file'],
  [convert('--dedupe-window-secs', '0'), '--dedupe-window-secs'],
  [pull('wherobots', '--wait-lock-secs', '1'), '--wait-lock-secs'],
  [convert('--sign-key-file', path.join(tmp, 'k.pem')), '--sign-key-file'],
  [convert('--to', 'otlp', '--endpoint', 'http://127.0.0.1:9', '--sign-hmac-key-env', 'AUDITKIT_TEST_FLAG_KEY'), '--sign-hmac-key-env'],
  [convert(...archive, '--sign-key-id', 'k1'), '--sign-key-id'],
  [convert('--endpoint', 'http://127.0.0.1:9'), '--endpoint'],
  [convert(...archive, '--otlp-protocol', 'http/json'), '--otlp-protocol'],
  [pull('wherobots', '--header', 'x-api-key=abc'), '--header'],
  [convert('--compression', 'none'), '--compression'],
  [convert('--timeout-ms', '100'), '--timeout-ms'],
  [convert('--redact', 'default', '--hmac-key-id', 'k1'), '--hmac-key-id'],
  [convert('--redact', 'wandb-anonymize', '--hmac-key-env', 'AUDITKIT_TEST_FLAG_KEY'), '--hmac-key-env'],
  [convert('--redact', 'off', '--hmac-key-env', 'AUDITKIT_TEST_FLAG_KEY'), '--hmac-key-env'],
  [convert('--keep-raw', '--redact', 'default'), '--keep-raw'],
  [convert(...archive, '--jobs', '2'), '--jobs'],
  [pull('snorkel', '--username', 'admin'), '--username'],
  [pull('wherobots', '--deployment', 'dedicated'), '--deployment'],
  [pull('snorkel', '--anonymize'), '--anonymize'],
  [pull('wandb', '--username', 'admin', '--deployment', 'multi-tenant', '--anonymize', '--redact', 'off'), '--anonymize'],
  [pull('snorkel', '--page-size', '10'), '--page-size'],
  [pull('wherobots', '--mode', 'csv', '--page-size', '10'), '--page-size'],
  [pull('wandb', '--username', 'admin', '--limit', '5'), '--limit'],
  [pull('wherobots', '--max-limit', '10'), '--max-limit'],
  [pull('wandb', '--username', 'admin', '--api-key-header', 'X-Key'), '--api-key-header'],
  [pull('wherobots', '--api-key-prefix', 'Token '), '--api-key-prefix'],
  [pull('wandb', '--username', 'admin', '--mode', 'csv'), '--mode'],
  [['query', tmp, '--csv-raw'], '--csv-raw'],
  [['query', tmp, '--sql', 'SELECT 1', '--since', '2026-08-01'], '--since'],
  [['query', tmp, '--sql', 'SELECT 1', '--until', '2026-08-01'], '--until'],
  [['query', tmp, '--sql', 'SELECT 1', '--vendor', 'wandb'], '--vendor'],
  [['query', tmp, '--sql', 'SELECT 1', '--actor', 'x'], '--actor'],
  [['query', tmp, '--sql', 'SELECT 1', '--action', 'x'], '--action'],
  [['query', tmp, '--sql', 'SELECT 1', '--search', 'x'], '--search'],
];

t.test('every refused combination: exit 2, the flag and what to add or remove, nothing written', async (t) => {
  const covered = new Set<string>();
  // Four at a time: each is a process of its own.
  for (let i = 0; i < REFUSED.length; i += 4) {
    const batch = REFUSED.slice(i, i + 4);
    const results = await Promise.all(batch.map(([args]) => spawnCli(args)));
    results.forEach((r, j) => {
      const [args, flag] = batch[j]!;
      const line = args.filter((a) => a.startsWith('--') || a === 'convert' || a === 'pull' || a === 'query').join(' ');
      t.equal(r.code, 2, `${line}: exit 2 (${r.stderr.trim()})`);
      const rule = FLAG_RULES.find((x) => x.options.some((o) => flagName(o) === flag) && r.stderr.includes(`${flag}: ${x.refusal}`));
      t.ok(rule, `${line}: names ${flag} and says what to do`);
      if (rule) covered.add(`${FLAG_RULES.indexOf(rule)} ${flag}`);
      t.equal(r.stdout, '', 'nothing written');
    });
  }
  await t.rejects(stat(out), 'no output was created');
  for (const [i, rule] of FLAG_RULES.entries())
    for (const o of rule.options) t.ok(covered.has(`${i} ${flagName(o)}`), `rule ${i} is met for ${flagName(o)}`);
});

t.test('README lists every refused combination and every honoured one', async (t) => {
  const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('Refused flag combinations'));
  t.ok(section.length < readme.length, 'README has the table');
  for (const rule of FLAG_RULES) {
    const row = section
      .split('\n')
      .find((l) => l.startsWith('|') && rule.options.every((o) => l.includes(`\`${flagName(o)}\``)) && l.includes(rule.refusal));
    t.ok(row, `a row for ${rule.options.map(flagName).join(', ')} with its message: ${rule.refusal}`);
  }
  for (const h of HONOURED) t.ok(section.includes(h.when) && section.includes(h.does), `honoured: ${h.when}`);
});

t.test('--hmac-key-env without --redact hashes under --redact default, and says so', async (t) => {
  const r = await spawnCli(convert('--hmac-key-env', 'AUDITKIT_TEST_FLAG_KEY'));
  t.equal(r.code, 0, r.stderr);
  t.match(r.stderr, /note: --hmac-key-env without --redact: e-mails and names are hashed under --redact default/);
  t.notMatch(r.stdout, /"email":"[^"]*@/, 'no e-mail in clear');
  t.match(r.stdout, /"email":"hmac-sha256:/, 'e-mails hashed');
});

t.test('pull wandb --anonymize on multi-tenant: the API ignores it, so auditkit applies wandb-anonymize itself and says so', async (t) => {
  const server = await wandbServer(wandbRecords(20, Date.UTC(2026, 7, 1), 60_000), { key: 'flag-test-key' }).start();
  t.teardown(() => server.stop());
  const args = pull('wandb', '--username', 'admin', '--deployment', 'multi-tenant', '--anonymize', '--until', '2026-08-02');
  args[3] = server.url;
  args[5] = '2026-08-01';
  const r = await spawnCli(args);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stderr, /note: --anonymize: the multi-tenant API ignores it, so auditkit applies --redact wandb-anonymize/);
  const events = r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { actor?: { email?: string } });
  t.equal(events.length, 20, 'every event');
  t.ok(
    events.every((e) => e.actor?.email === undefined),
    'no e-mail left',
  );
  t.ok(
    server.requests.every((q) => q.url.pathname === '/audit_logs'),
    'asked the multi-tenant endpoint',
  );
});
