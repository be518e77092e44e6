import fc from 'fast-check';
import t from 'tap';
import { IdSet } from '../../src/model/id-set.js';

t.test('property: IdSet behaves as a Set of strings (add reports new, has finds), across growth', async () => {
  fc.assert(
    fc.property(
      fc.array(fc.string({ maxLength: 40 }), { maxLength: 3000 }),
      fc.array(fc.string({ maxLength: 40 }), { maxLength: 200 }),
      (added, probes) => {
        const ours = new IdSet(4);
        const plain = new Set<string>();
        for (const id of added) {
          const isNew = !plain.has(id);
          plain.add(id);
          if (ours.add(id) !== isNew) throw new Error(`add(${JSON.stringify(id)}) disagrees`);
        }
        if (ours.size !== plain.size) throw new Error('size');
        for (const id of [...added, ...probes]) if (ours.has(id) !== plain.has(id)) throw new Error(`has(${JSON.stringify(id)}) disagrees`);
      },
    ),
    { numRuns: 100 },
  );
});

t.test('200,000 distinct ids: all found, no false positive among 200,000 others', async (t) => {
  const set = new IdSet();
  for (let i = 0; i < 200_000; i++) set.add(`wandb:sha256:${i}`);
  let found = 0;
  let false_ = 0;
  for (let i = 0; i < 200_000; i++) {
    if (set.has(`wandb:sha256:${i}`)) found++;
    if (set.has(`snorkel:${i}`)) false_++;
  }
  t.equal(found, 200_000);
  t.equal(false_, 0);
  t.equal(set.size, 200_000);
});
