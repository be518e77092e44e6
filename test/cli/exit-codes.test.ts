/**
 * README's exit-code table, column 2 (usage errors), for every command as a user runs it; the
 * other columns are tested where the behaviour is (permissions.test.ts for 3, flags.test.ts,
 * snorkel-pull.test.ts, the archive and pipeline tests).
 */
import t from 'tap';
import { spawnCli } from '../helpers/cli.js';
import { ROOT } from '../helpers/golden.js';

const CASES: [string, string[], RegExp][] = [
  ['convert with an unknown --to', ['convert', '--to', 'csv'], /--to/],
  [
    'pull with a time that is not a time',
    ['pull', 'wherobots', '--url', 'http://127.0.0.1:9', '--since', 'yesterday', '--state', '/tmp/x', '--api-key-env', 'PATH'],
    /--since: .*is not a time: use RFC 3339/,
  ],
  ['run without --config', ['run'], /--config/],
  ['verify with a key that is not a key', ['verify', ROOT, '--public-key', `${ROOT}/package.json`], /--public-key/],
  ['query with a bad filter', ['query', ROOT, '--since', 'soon'], /--since/],
  ['validate without a file', ['validate'], /missing required argument/],
  ['schema with an unknown name', ['schema', 'zendesk'], /zendesk/],
];

for (const [name, args, says] of CASES) {
  t.test(`${name}: exit 2`, async (t) => {
    const r = await spawnCli(args);
    t.equal(r.code, 2, r.stderr);
    t.match(r.stderr, says);
    t.notMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });
}
