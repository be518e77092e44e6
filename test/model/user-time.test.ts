import t from 'tap';
import { parseUserTime } from '../../src/model/time.js';
// Spawned, as a user runs it (exit code and stderr of a real process).
import { spawnCli as cli } from '../helpers/cli.js';

const NOW = Date.UTC(2026, 7, 10, 12, 0, 0);

t.test('times as users type them (issue 13, item 4)', async (t) => {
  t.equal(parseUserTime('2026-08-01T13:45:00+02:00', 'x', NOW), '2026-08-01T11:45:00Z', 'RFC 3339');
  t.equal(parseUserTime('2026-08-01', 'x', NOW), '2026-08-01T00:00:00Z', 'a date is UTC midnight');
  t.equal(parseUserTime('2026-08-01T13:45', 'x', NOW), '2026-08-01T13:45:00Z', 'no seconds, no zone: UTC');
  t.equal(parseUserTime('90m', 'x', NOW), '2026-08-10T10:30:00Z');
  t.equal(parseUserTime('24h', 'x', NOW), '2026-08-09T12:00:00Z');
  t.equal(parseUserTime('7d', 'x', NOW), '2026-08-03T12:00:00Z');
  t.throws(() => parseUserTime('yesterday', '--since', NOW), /"yesterday" is not a time: use RFC 3339 .*2026-08-01.*90m, 24h, 7d/);
});

t.test('query and pull take the same forms; --until not after --since is exit 2', async (t) => {
  const q = await cli(['query', '/nonexistent', '--since', '2026-08-01', '--until', '2026-07-01']);
  t.equal(q.code, 2);
  t.match(q.stderr, /--until \(2026-07-01T00:00:00Z\) is not after --since \(2026-08-01T00:00:00Z\)/);
  const bad = await cli(['query', '/nonexistent', '--since', 'last tuesday']);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /--since: "last tuesday" is not a time: use RFC 3339/);
  process.env.AUDITKIT_TEST_TIME_KEY = 'k';
  const p = await cli([
    'pull',
    'wherobots',
    '--url',
    'http://127.0.0.1:9',
    '--api-key-env',
    'AUDITKIT_TEST_TIME_KEY',
    '--since',
    '2026-08-02',
    '--until',
    '2026-08-01',
    '--state',
    '/tmp/auditkit-time-state',
  ]);
  t.equal(p.code, 2);
  t.match(p.stderr, /--until: 2026-08-01T00:00:00Z is not after --since 2026-08-02T00:00:00Z/);
});
