import t from 'tap';
import { defineCatalog } from '../../src/model/catalog.js';
import { OPERATIONS } from '../../src/generated/annotations.js';
import { ADAPTERS } from '../../src/components/adapters.js';

t.test('catalog rows are checked when loaded', async (t) => {
  t.equal(defineCatalog([['a:create', 'a', 'create', 'A is created.']], 'x.json').get('a:create')?.operation, 'create');
  t.throws(
    () => defineCatalog([['a:explode', 'a', 'explode', '']], 'x.json'),
    /x\.json: actions\[0\]: "explode" is not an operation of the event schema/,
  );
  t.throws(
    () =>
      defineCatalog(
        [
          ['a:create', 'a', 'create', ''],
          ['a:create', 'a', 'read', ''],
        ],
        'x.json',
      ),
    /x\.json: actions\[1\]: duplicate catalog entry a:create/,
  );
  t.throws(() => defineCatalog([['a:create', 'a', 'create']], 'x.json'), /expected \[action, category, operation, description\]/);
});

t.test('every adapter catalog loads, with operations of the schema only', async (t) => {
  const sizes = Object.fromEntries([...ADAPTERS].map(([v, a]) => [v, a.actions.size]));
  t.same(sizes, { wandb: 30, snorkel: 32, wherobots: 48 });
  for (const a of ADAPTERS.values())
    for (const e of a.actions.values()) t.ok((OPERATIONS as readonly string[]).includes(e.operation), `${a.vendor}: ${e.operation}`);
});
