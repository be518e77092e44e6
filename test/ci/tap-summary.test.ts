import { spawnSync } from 'node:child_process';
import path from 'node:path';
import t from 'tap';
import { childEnv } from '../helpers/child-env.js';
import { ROOT } from '../helpers/golden.js';

const summarize = (tap: string): { line: string; code: number | null } => {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/tap-summary.mjs')], { input: tap, encoding: 'utf8' });
  return { line: r.stdout.trim().split('\n').at(-1)!, code: r.status };
};

t.test('counts leaf assertions, not subtest summaries', async (t) => {
  const r = summarize(
    'TAP version 14\n# Subtest: f\n    # Subtest: g\n        ok 1 - a\n        ok 2 - b\n        1..2\n    ok 1 - g\n    ok 2 - c\n    1..2\nok 1 - f\n1..1\n',
  );
  t.equal(r.line, '3 passed, 0 failed');
  t.equal(r.code, 0);
});

t.test('a failing assertion with a YAML block, and a skip', async (t) => {
  const r = summarize(
    '# Subtest: f\n    not ok 1 - a\n      ---\n      found: 1\n      wanted: 2\n      ...\n    ok 2 - b # SKIP later\n    ok 3 - c\n    1..3\nnot ok 1 - f\n',
  );
  t.equal(r.line, '1 passed, 1 failed, 1 skipped');
  t.equal(r.code, 1);
});

t.test('a crashed file with no failing assertion still counts as a failure', async (t) => {
  const r = summarize('# Subtest: f\n    ok 1 - a\n    1..1\nnot ok 1 - f # exit code 1\n');
  t.equal(r.line, '1 passed, 1 failed');
  t.equal(r.code, 1);
});

t.test('a subtest without assertions of its own (a fast-check property) is one point, as tap counts it', async (t) => {
  const r = summarize(
    '# Subtest: f\n    # Subtest: p\n        1..0\n    ok 1 - p\n    # Subtest: q\n        1..0\n    not ok 2 - q\n    ok 3 - a\n    1..3\nnot ok 1 - f\n1..1\n',
  );
  t.equal(r.line, '2 passed, 1 failed');
  t.equal(r.code, 1);
});

t.test('on real tap output the line equals tap’s own count (names with # and \\, skip, todo, empty and failing subtests)', async (t) => {
  const fixture = path.join(ROOT, 'test/fixtures/tap-shapes.ts');
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/tap/dist/esm/run.mjs'), '--reporter=tap', fixture], {
    cwd: ROOT,
    encoding: 'utf8',
    // Run as from a shell, not as a child of this tap run (which would change what it prints).
    env: childEnv(),
  });
  const own = /^# (\{ total: .*\})$/m.exec(r.stdout);
  t.ok(own, 'tap printed its count');
  const n = (key: string): number => Number(new RegExp(`\\b${key}: (\\d+)`).exec(own?.[1] ?? '')?.[1] ?? 0);
  t.equal(n('fail'), 2, 'the two failures meant');
  const expected = `${n('pass')} passed, ${n('fail')} failed${n('skip') ? `, ${n('skip')} skipped` : ''}${n('todo') ? `, ${n('todo')} todo` : ''}`;
  t.equal(summarize(r.stdout).line, expected, `tap: ${own?.[1] ?? ''}`);
});

t.test('no TAP at all (the build or type-check before tap failed) is a failure, not 0 failed', async (t) => {
  const r = summarize('src/x.ts(1,1): error TS2322: Type boolean is not assignable\n');
  t.equal(r.line, '0 passed, 1 failed');
  t.equal(r.code, 1);
});
