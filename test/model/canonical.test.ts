import t from 'tap';
import fc from 'fast-check';
import { canonicalJson } from '../../src/model/canonical.js';

/**
 * The reference: keys sorted recursively, written as text (not through an object, whose
 * integer-like keys JavaScript would put first whatever the insertion order).
 */
function reference(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(reference).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const obj = v as Record<string, unknown>;
    return `{${Object.keys(obj)
      .sort()
      .filter((k) => obj[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${reference(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

t.test('canonicalJson equals JSON.stringify of the recursively key-sorted value (flat fast path included)', async (t) => {
  let n = 0;
  fc.assert(
    fc.property(
      fc.oneof(fc.jsonValue(), fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)))),
      (v) => {
        const parsed = JSON.parse(JSON.stringify(v)) as unknown;
        if (canonicalJson(parsed) !== reference(parsed)) throw new Error(`differs for ${JSON.stringify(v)}`);
        n++;
      },
    ),
    { numRuns: 2000 },
  );
  t.equal(n, 2000);
  t.equal(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } }), '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}');
  t.equal(canonicalJson(JSON.parse('{"__proto__":1,"a":2}')), '{"__proto__":1,"a":2}', '__proto__ as an own key');
});

t.test('records of a few shapes in a row (the cached key order) come out as the reference', (t) => {
  // Shapes that share keys in another order, a key more, an integer-like key, `__proto__`:
  // each record's text must not depend on the record before it.
  const keys = fc.constantFrom('a', 'b', 'timestamp', 'actor_email', '10', '2', '__proto__', 'z', 'É');
  const record = fc.uniqueArray(keys, { minLength: 0, maxLength: 6 }).chain((ks) =>
    fc.tuple(...ks.map(() => fc.oneof(fc.string(), fc.integer(), fc.constant(null)))).map((vs) => {
      const text = `{${ks.map((k, i) => `${JSON.stringify(k)}:${JSON.stringify(vs[i])}`).join(',')}}`;
      return JSON.parse(text) as unknown;
    }),
  );
  let n = 0;
  fc.assert(
    fc.property(fc.array(record, { minLength: 2, maxLength: 20 }), fc.nat(), (records, repeat) => {
      // Each shape again right after itself, so the cached order is used.
      const run = records.flatMap((r) => (repeat % 2 ? [r, r] : [r]));
      for (const r of run) if (canonicalJson(r) !== reference(r)) throw new Error(`differs for ${JSON.stringify(r)}`);
      n++;
    }),
    { numRuns: 1000 },
  );
  t.equal(n, 1000);
  t.end();
});
