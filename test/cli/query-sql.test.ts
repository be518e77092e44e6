/**
 * `query --sql` over an archive and over a Parquet dataset of the same events: its results
 * equal the filter flags' results; the two stores answer the same; a bad query is exit 2, a
 * missing directory exit 3, a filter flag next to --sql is refused.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { spawnCli } from '../helpers/cli.js';
import { ROOT } from '../helpers/golden.js';

const INPUTS = ['examples/wandb/api-stream.ndjson', 'examples/snorkel/audit-logs.ndjson'].map((f) => path.join(ROOT, f));
const ids = (out: string): string[] =>
  out
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { id: string }).id)
    .sort();

t.test('SQL answers what the filter flags answer, over an archive and a Parquet dataset', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'auditkit-sql-'));
  const archive = path.join(dir, 'archive');
  const lake = path.join(dir, 'lake');
  t.equal((await spawnCli(['convert', '--from', 'auto', ...INPUTS, '--to', 'archive', '-o', archive])).code, 0);
  t.equal((await spawnCli(['convert', '--from', 'auto', ...INPUTS, '--to', 'parquet', '-o', lake])).code, 0);
  const cases: [string[], string][] = [
    [['--actor', 'maria'], `lower(actor.id) LIKE '%maria%' OR lower(actor.email) LIKE '%maria%' OR lower(actor.name) LIKE '%maria%'`],
    [['--vendor', 'snorkel'], `vendor = 'snorkel'`],
    [['--since', '2026-08-01T09:10:00Z'], `time >= '2026-08-01T09:10:00Z'`],
    [['--action', 'delete'], `lower(action.name) LIKE '%delete%' OR action.category = 'delete' OR action.operation = 'delete'`],
  ];
  for (const [flags, where] of cases) {
    const byFlags = ids((await spawnCli(['query', archive, ...flags])).stdout);
    t.ok(byFlags.length > 0, `${flags.join(' ')}: some events`);
    for (const store of [archive, lake]) {
      const r = await spawnCli(['query', store, '--sql', `SELECT id FROM events WHERE ${where} ORDER BY id`]);
      t.equal(r.code, 0, r.stderr);
      t.same(ids(r.stdout), byFlags, `${path.basename(store)}: ${flags.join(' ')} as SQL`);
    }
  }
  const csv = await spawnCli(['query', archive, '--sql', `SELECT '=HYPERLINK(1)' AS cell`, '--format', 'csv']);
  t.match(csv.stdout, /'=HYPERLINK\(1\)/, 'CSV cells a spreadsheet would run are neutralized');
});

t.test('errors: bad SQL 2, missing directory 3, a filter flag with --sql 2', async (t) => {
  const bad = await spawnCli(['query', ROOT, '--sql', 'SELEC nothing']);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /--sql: Parser Error/);
  const missing = await spawnCli(['query', path.join(tmpdir(), 'no-such-archive-dir'), '--sql', 'SELECT 1']);
  t.equal(missing.code, 3, missing.stderr);
  const both = await spawnCli(['query', ROOT, '--sql', 'SELECT 1', '--actor', 'x']);
  t.equal(both.code, 2);
  t.match(both.stderr, /--actor: is a filter of the events, which --sql replaces/);
});
