/**
 * The leak corpus (test/redact/corpus.ts) planted in every vendor's records and converted by the
 * CLI as a user runs it, to NDJSON and to OTLP (decoded and as bytes by a real receiver), under
 * `--redact default`, HMAC mode and `--redact wandb-anonymize`: no planted value reaches any
 * output or stderr (wandb-anonymize keeps IPs by design). The benign corpus survives every preset.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { compilePiiPolicy } from '../../src/redact/pii-policy.js';
import { spawnCli } from '../helpers/cli.js';
import { ROOT } from '../helpers/golden.js';
import { OtlpReceiver } from '../helpers/otlp-receiver.js';
import { BENIGN, LEAKS, type Leak } from './corpus.js';

const tmp = await mkdtemp(path.join(tmpdir(), 'auditkit-leaks-'));
process.env.AUDITKIT_TEST_LEAK_HMAC = 'leak-corpus-hmac-key';

/** Where each leak goes in a record of each vendor. */
function place(leak: Leak, into: Record<string, unknown>): void {
  if (leak.where === 'text') into.note = leak.planted;
  else if (leak.where === 'key') into[leak.planted] = 'x';
  else if (leak.where === 'under') into[leak.key!] = leak.name.includes('object') ? { value: leak.planted } : leak.planted;
}

const snorkel = LEAKS.filter((l) => l.where !== 'id').map((l, i) => {
  const details: Record<string, unknown> = { workspace_uid: 1 };
  place(l, details);
  return {
    event_id: 5000 + i,
    event_time: '2026-07-13T12:40:40.309363',
    event_name: 'dataset',
    event_type: 'create',
    event_details: details,
    user_uid: 2,
  };
});
const wandb = LEAKS.filter((l) => l.where !== 'id').map((l) => {
  const rec: Record<string, unknown> = {
    timestamp: '2026-08-01T09:00:00Z',
    action: 'run:update',
    actor_user_id: 1187,
    entity_name: 'acme',
    response_code: 200,
  };
  place(l, rec);
  return rec;
});
const wherobots = LEAKS.map((l, i) => {
  const rec: Record<string, unknown> = {
    event_id: l.where === 'id' ? l.planted : `evt_leak_${i}`,
    event_time: '2026-02-01T00:00:00Z',
    action_name: 'CreateJobRun',
    user_id: 'usr_300',
  };
  if (l.where === 'text') rec.resource_name = l.planted;
  else if (l.where !== 'id') place(l, rec);
  return rec;
});
const files = {
  snorkel: path.join(tmp, 'snorkel.ndjson'),
  wandb: path.join(tmp, 'wandb.ndjson'),
  wherobots: path.join(tmp, 'wherobots.ndjson'),
};
await writeFile(files.snorkel, snorkel.map((r) => JSON.stringify(r)).join('\n') + '\n');
await writeFile(files.wandb, wandb.map((r) => JSON.stringify(r)).join('\n') + '\n');
await writeFile(files.wherobots, wherobots.map((r) => JSON.stringify(r)).join('\n') + '\n');
const inputs = [files.snorkel, files.wandb, files.wherobots];

const MODES: [string, string[], (l: Leak) => boolean][] = [
  ['--redact default', ['--redact', 'default'], () => true],
  ['HMAC mode', ['--redact', 'default', '--hmac-key-env', 'AUDITKIT_TEST_LEAK_HMAC'], () => true],
  ['--redact wandb-anonymize', ['--redact', 'wandb-anonymize'], (l) => l.kind !== 'ip'],
];

const leaked = (text: string | Buffer, applies: (l: Leak) => boolean): string[] =>
  LEAKS.filter(applies).flatMap((l) => l.secrets.filter((s) => text.includes(s)).map((s) => `${l.name}: ${s}`));

for (const [mode, flags, applies] of MODES) {
  t.test(`${mode}: no planted value in NDJSON or on stderr`, async (t) => {
    const r = await spawnCli(['convert', ...inputs, ...flags]);
    t.equal(r.code, 0, r.stderr);
    const events = r.stdout.split('\n').filter(Boolean);
    t.equal(events.length, snorkel.length + wandb.length + wherobots.length, 'every record converted');
    t.same(leaked(r.stdout, applies), [], 'nothing leaks into NDJSON');
    t.same(leaked(r.stderr, applies), [], 'nothing leaks onto stderr');
    t.notMatch(r.stdout + r.stderr, /leak-corpus-hmac-key/, 'the HMAC key never appears');
    const ids = events.map((l) => (JSON.parse(l) as { id: string }).id);
    t.equal(new Set(ids).size, ids.length, 'ids stay unique');
    t.ok(
      ids.some((id) => /^wherobots:sha256:[0-9a-f]{64}$/.test(id)),
      'the id that carried an e-mail is a hash of itself',
    );
  });

  t.test(`${mode}: no planted value in OTLP, decoded or as bytes`, async (t) => {
    const receiver = await new OtlpReceiver().start();
    t.teardown(() => receiver.stop());
    const r = await spawnCli(['convert', ...inputs, ...flags, '--to', 'otlp', '--endpoint', receiver.url, '--compression', 'none']);
    t.equal(r.code, 0, r.stderr);
    t.equal(receiver.records.length, snorkel.length + wandb.length + wherobots.length, 'every record arrived');
    t.same(leaked(JSON.stringify(receiver.records), applies), [], 'nothing leaks into the decoded records');
    t.same(leaked(Buffer.concat(receiver.requests.map((q) => q.body)), applies), [], 'nothing leaks into the protobuf bytes');
    t.same(leaked(r.stderr, applies), [], 'nothing leaks onto stderr');
  });
}

t.test('wandb-anonymize keeps IPs, as W&B anonymize does', async (t) => {
  const r = await spawnCli(['convert', files.snorkel, '--redact', 'wandb-anonymize']);
  t.match(r.stdout, /203\.0\.113\.77/);
});

t.test('the benign corpus survives every preset unchanged', async (t) => {
  for (const policy of [
    { preset: 'default' as const },
    { preset: 'default' as const, hmac_key: 'k' },
    { preset: 'wandb-anonymize' as const },
  ]) {
    t.same(compilePiiPolicy(policy).redactValue(BENIGN), BENIGN, `${policy.preset}${policy.hmac_key ? ' (HMAC)' : ''}`);
  }
});

t.test('the benign corpus survives the CLI too, in details of every vendor', async (t) => {
  const file = path.join(tmp, 'benign.ndjson');
  await writeFile(
    file,
    JSON.stringify({
      event_id: 1,
      event_time: '2026-07-13T12:40:40.309363',
      event_name: 'dataset',
      event_type: 'create',
      event_details: BENIGN,
      user_uid: 2,
    }) + '\n',
  );
  for (const flags of [
    ['--redact', 'default'],
    ['--redact', 'wandb-anonymize'],
  ]) {
    const r = await spawnCli(['convert', file, ...flags]);
    const event = JSON.parse(r.stdout) as { details: { event_details: unknown } };
    t.same(event.details.event_details, BENIGN, flags.join(' '));
  }
});

t.test('the bundled Snorkel example keeps no user name under --redact default (README: default masks names)', async (t) => {
  const example = path.join(ROOT, 'examples/snorkel/audit-logs.json');
  const plain = await spawnCli(['convert', example]);
  t.match(plain.stdout, /john_wick/, 'the example has one');
  const r = await spawnCli(['convert', example, '--redact', 'default']);
  t.equal(r.code, 0, r.stderr);
  t.notMatch(r.stdout, /john_wick/);
});
