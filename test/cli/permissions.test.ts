/**
 * Exit codes on permission failures, as a user without rights meets them (issue 13, item 5):
 * an unwritable output or an unreadable input is exit 3 with one line naming the path and the
 * OS reason, never a stack trace. Permission checks do not apply to root, so when the suite
 * runs as root the CLI is spawned as `nobody` (uid 65534) with setpriv.
 */
import { chmod, copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { spawnCli } from '../helpers/cli.js';
import { ROOT } from '../helpers/golden.js';
import { wherobotsRecords, wherobotsServer } from '../helpers/vendor-servers.js';

const asRoot = process.getuid?.() === 0;

// `env -i`: without what tap adds to children (its loaders write coverage files `nobody` may not).
const clean = ['env', '-i', `PATH=${process.env.PATH ?? '/usr/bin:/bin'}`];
const wrapper = asRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...clean] : clean;
const run = (args: string[], extraEnv: string[] = []) => spawnCli(args, undefined, [], [...wrapper, ...extraEnv]);

const tmp = await mkdtemp(path.join(tmpdir(), 'auditkit-perm-'));
await chmod(tmp, 0o755);
const input = path.join(tmp, 'in.ndjson');
await copyFile(path.join(ROOT, 'examples/wandb/api-stream.ndjson'), input);
await chmod(input, 0o644);
const secret = path.join(tmp, 'secret.ndjson');
await copyFile(input, secret);
await chmod(secret, 0o000);
const locked = path.join(tmp, 'locked');
await mkdir(locked);
await chmod(locked, 0o000);

// A Wherobots API on loopback for the pulls (the child, as nobody, connects to it).
const vendor = await wherobotsServer(wherobotsRecords(10, Date.UTC(2026, 7, 1), 60_000)).start();
t.teardown(() => vendor.stop());
const pull = (state: string, more: string[] = []): string[] => [
  'pull',
  'wherobots',
  '--url',
  vendor.url,
  '--since',
  '2026-08-01',
  '--until',
  '2026-08-02',
  '--api-key-env',
  'WB_KEY',
  '--state',
  state,
  ...more,
];
// A state directory it may read but not write: the pull gets its page, then cannot keep the checkpoint.
const readOnly = path.join(tmp, 'read-only');
await mkdir(readOnly);
await chmod(readOnly, 0o555);
const config = (archive: string, state: string): string =>
  `receivers:\n  wherobots:\n    url: ${vendor.url}\n    api_key: \${env:WB_KEY}\n    since: "2026-08-01"\nexporters:\n  ndjson_file:\n    directory: ${archive}\nservice:\n  state_directory: ${state}\n  pipelines:\n    logs:\n      receivers: [wherobots]\n      exporters: [ndjson_file]\n`;
const runArchiveLocked = path.join(tmp, 'run-archive-locked.yaml');
await writeFile(runArchiveLocked, config(path.join(locked, 'archive'), path.join(tmp, 'run-state-1')));
const runStateReadOnly = path.join(tmp, 'run-state-read-only.yaml');
await writeFile(runStateReadOnly, config(path.join(tmp, 'run-archive-2'), path.join(readOnly, 'state')));
const runSecret = path.join(tmp, 'run-secret.yaml');
await writeFile(runSecret, config(path.join(tmp, 'a3'), path.join(tmp, 's3')));
await chmod(runArchiveLocked, 0o644);
await chmod(runStateReadOnly, 0o644);
await chmod(runSecret, 0o000);
await chmod(tmp, 0o777); // the runs below create their archives and states in it as nobody

const cases: [string, string[], RegExp][] = [
  ['pull with a checkpoint directory it cannot enter', pull(path.join(locked, 'state')), /locked\/state/],
  ['pull with a checkpoint it cannot write', pull(readOnly), /read-only/],
  [
    'pull -o into an unwritable directory',
    pull(path.join(tmp, 'pull-state-3'), ['-o', path.join(locked, 'out.ndjson')]),
    /locked\/out\.ndjson/,
  ],
  [
    'pull --to archive into an unwritable directory',
    pull(path.join(tmp, 'pull-state-4'), ['--to', 'archive', '-o', path.join(locked, 'a')]),
    /locked\/a/,
  ],
  ['run with an unreadable config', ['run', '--config', runSecret, '--once'], /run-secret\.yaml/],
  ['run with an archive directory it cannot create', ['run', '--config', runArchiveLocked, '--once'], /locked\/archive/],
  ['run with a state directory it cannot create', ['run', '--config', runStateReadOnly, '--once'], /read-only\/state/],
  ['convert -o into an unwritable directory', ['convert', input, '-o', path.join(locked, 'out.ndjson')], /locked\/out\.ndjson/],
  [
    'convert --dead-letter into an unwritable directory',
    ['convert', input, '--dead-letter', path.join(locked, 'dl.ndjson')],
    /locked\/dl\.ndjson/,
  ],
  ['convert --to archive into an unwritable directory', ['convert', input, '--to', 'archive', '-o', path.join(locked, 'a')], /locked\/a/],
  ['convert an unreadable input', ['convert', secret], /secret\.ndjson/],
  ['validate an unreadable input', ['validate', secret], /secret\.ndjson/],
  ['verify an unreadable directory', ['verify', locked], /locked/],
  ['query an unreadable directory', ['query', locked], /locked/],
];

for (const [name, args, names] of cases) {
  t.test(`${name}: exit 3, one line naming the path and the reason`, async (t) => {
    const r = await run(args, ['WB_KEY=wherobots-key']);
    t.equal(r.code, 3, r.stderr);
    t.match(r.stderr, names, 'names the path');
    t.match(r.stderr, /EACCES|permission denied/i, 'gives the OS reason');
    t.notMatch(r.stderr, /\n\s+at |node:internal|triggerUncaughtException/, 'no stack trace');
  });
}

// stdout that cannot be written (a full disk): every command that writes stdout says so in one line.
const toFull = ['sh', '-c', 'exec "$0" "$@" >/dev/full'];
const archive = path.join(tmp, 'archive-to-query');
t.equal((await spawnCli(['convert', input, '--to', 'archive', '-o', archive, '--quiet'])).code, 0, 'an archive to query');
for (const args of [
  ['schema', 'event'],
  ['convert', input],
  ['query', archive],
]) {
  t.test(`${args[0]} with stdout on a full disk: exit 3, one line`, async (t) => {
    const r = await spawnCli(args, undefined, [], [...clean, ...toFull]);
    t.equal(r.code, 3, r.stderr);
    t.match(r.stderr, /cannot write stdout: ENOSPC/);
    t.notMatch(r.stderr, /\n\s+at |node:internal/, 'no stack trace');
  });
}
