import fc from 'fast-check';
import t from 'tap';
import { parseJsonExact } from '../../src/model/json.js';
import { normalize } from '../../src/components/adapters.js';
import { cli } from '../helpers/cli.js';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** JSON values whose integers a double holds exactly (the others are what the test is about). */
const safeJson = fc
  .jsonValue()
  .map(
    (v) =>
      JSON.parse(JSON.stringify(v), (_k, x: unknown) =>
        typeof x === 'number' && Number.isInteger(x) && !Number.isSafeInteger(x) ? 0 : x,
      ) as unknown,
  );

t.test('property: integers beyond 2^53 keep every digit, as strings; everything else parses as JSON.parse does', async () => {
  const big = fc
    .bigInt({ min: -(10n ** 30n), max: 10n ** 30n })
    .filter((n) => n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER));
  fc.assert(
    fc.property(fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(big, safeJson)), (obj) => {
      // Serialize with big integers as bare numbers, as a vendor would send them.
      const text = `{${Object.entries(obj)
        .map(([k, v]) => `${JSON.stringify(k)}:${typeof v === 'bigint' ? v.toString() : JSON.stringify(v)}`)
        .join(',')}}`;
      const parsed = parseJsonExact(text) as Record<string, unknown>;
      const plain = JSON.parse(text, (_k, v: unknown) => v) as Record<string, unknown>;
      for (const [k, v] of Object.entries(obj)) {
        if (k === '__proto__') continue;
        if (typeof v === 'bigint') {
          if (parsed[k] !== v.toString()) throw new Error(`${k}: ${String(parsed[k])} is not ${v.toString()}`);
        } else if (JSON.stringify(parsed[k]) !== JSON.stringify(plain[k])) throw new Error(`${k} differs from JSON.parse`);
      }
    }),
    { numRuns: 300 },
  );
});

t.test('numbers a double cannot hold stay text; digits inside strings are untouched', async (t) => {
  t.same(parseJsonExact('{"a":1e400,"b":-1E+999,"c":"12345678901234567890","d":1.5,"e":9007199254740993}'), {
    a: '1e400',
    b: '-1E+999',
    c: '12345678901234567890',
    d: 1.5,
    e: '9007199254740993',
  });
});

t.test('ids beyond 2^53 stay distinct through normalize and convert (the issue: two Snorkel ids became one)', async (t) => {
  const line = (id: string): string =>
    `{"event_id":${id},"event_time":"2021-08-17T20:51:47.268843","event_name":"api_key","event_type":"create","user_uid":2,"event_details":{"quota":1e400}}`;
  const a = normalize('snorkel', parseJsonExact(line('12345678901234567890')));
  const b = normalize('snorkel', parseJsonExact(line('12345678901234567891')));
  t.equal(a.id, 'snorkel:12345678901234567890');
  t.equal(b.id, 'snorkel:12345678901234567891');
  t.same(a.details, { event_details: { quota: '1e400' } }, '1e400 is kept as text, not null');
  const dir = await mkdtemp(path.join(tmpdir(), 'auditkit-json-'));
  const file = path.join(dir, 'big.ndjson');
  await writeFile(file, `${line('12345678901234567890')}\n${line('12345678901234567891')}\n`);
  const r = await cli(['convert', file, '--from', 'snorkel']);
  t.equal(r.code, 0, r.stderr);
  const ids = r.stdout
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { id: string }).id);
  t.same(ids, ['snorkel:12345678901234567890', 'snorkel:12345678901234567891']);
});

t.test(
  'property: ids keep big integers exactly: two records that differ only beyond 2^53 get two ids (Snorkel event_id, W&B ids)',
  async () => {
    const beyond = fc.bigInt({ min: 2n ** 53n + 1n, max: 10n ** 25n });
    fc.assert(
      fc.property(beyond, (n) => {
        const m = n + 1n;
        const snorkel = (id: bigint): string =>
          normalize(
            'snorkel',
            parseJsonExact(
              `{"event_id":${id},"event_time":"2021-08-17T20:51:47","event_name":"api_key","event_type":"create","user_uid":2}`,
            ),
          ).id;
        if (snorkel(n) !== `snorkel:${n}` || snorkel(m) === snorkel(n)) throw new Error(`snorkel ${n}`);
        // W&B has no event id: the id hashes the record, which must keep the digits to tell them apart.
        const wandb = (id: bigint): string =>
          normalize('wandb', parseJsonExact(`{"action":"user:login","timestamp":"2026-08-01T00:00:00Z","actor_user_id":${id}}`)).id;
        if (wandb(m) === wandb(n)) throw new Error(`wandb ${n}`);
      }),
      { numRuns: 200 },
    );
  },
);

t.test('an integer beyond 2^53 that a double holds exactly still keeps its digits (found by the fuzz: 10^22 became 1e+22)', async (t) => {
  t.same(parseJsonExact('{"a":10000000000000000000000,"b":9007199254740992}'), { a: '10000000000000000000000', b: '9007199254740992' });
  const e = normalize(
    'snorkel',
    parseJsonExact(
      '{"event_id":10000000000000000000000,"event_time":"2021-08-17T20:51:47","event_name":"api_key","event_type":"create","user_uid":2}',
    ),
  );
  t.equal(e.id, 'snorkel:10000000000000000000000');
});
