/**
 * Exit codes on permission failures, as a user without rights meets them (issue 13, item 5):
 * an unwritable output or an unreadable input is exit 3 with one line naming the path and the
 * OS reason, never a stack trace. Permission checks do not apply to root, so when the suite
 * runs as root the CLI is spawned as `nobody` (uid 65534) with setpriv.
 */
import { chmod, copyFile, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { spawnCli } from '../helpers/cli.js';
import { ROOT } from '../helpers/golden.js';

const asRoot = process.getuid?.() === 0;

// `env -i`: without what tap adds to children (its loaders write coverage files `nobody` may not).
const clean = ['env', '-i', `PATH=${process.env.PATH ?? '/usr/bin:/bin'}`];
const wrapper = asRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...clean] : clean;
const run = (args: string[]) => spawnCli(args, undefined, [], wrapper);

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

const cases: [string, string[], RegExp][] = [
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
    const r = await run(args);
    t.equal(r.code, 3, r.stderr);
    t.match(r.stderr, names, 'names the path');
    t.match(r.stderr, /EACCES|permission denied/i, 'gives the OS reason');
    t.notMatch(r.stderr, /\n\s+at |node:internal|triggerUncaughtException/, 'no stack trace');
  });
}
