/**
 * What an adapter README documents is public: every function it shows as `name(` is exported
 * from the package entry, and the Snorkel `extraActions` recipe works as written (issue 13, item 9).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import * as api from '../../src/index.js';
import { ROOT } from '../helpers/golden.js';

t.test('every function an adapter README shows is exported from the package entry', async (t) => {
  const dir = path.join(ROOT, 'adapters');
  let seen = 0;
  for (const name of readdirSync(dir)) {
    let text: string;
    try {
      text = readFileSync(path.join(dir, name, 'README.md'), 'utf8');
    } catch {
      continue;
    }
    for (const m of text.matchAll(/`([A-Za-z_$][\w$]*)\(/g)) {
      seen++;
      t.equal(typeof (api as Record<string, unknown>)[m[1]!], 'function', `adapters/${name}/README.md: ${m[1]!} is exported`);
    }
  }
  t.ok(seen > 0, 'the READMEs do show functions (the scan is not vacuous)');
});

t.test('Snorkel extraActions, as its README shows it, maps a literal the built-in catalog lacks', async (t) => {
  const raw = { event_time: '2026-01-02T03:04:05.123456', event_name: 'dataset', event_type: 'archive', user_uid: 7 };
  const before = api.normalizeSnorkel(raw);
  t.equal(before.action.operation, 'other', 'unknown literal falls back');
  const extraActions = api.defineCatalog([['dataset:archive', 'dataset', 'delete', 'Dataset archived']]);
  const after = api.normalizeSnorkel(raw, { extraActions });
  t.equal(after.action.category, 'dataset');
  t.equal(after.action.operation, 'delete', 'the extra entry wins');
  t.throws(() => api.defineCatalog([['x:y', 'x', 'frobnicate', 'bad']]), /not an operation/, 'a bad operation is refused');
});
