/**
 * Properties every adapter must hold, over records generated from its vendor schema:
 * the event is valid, no input value is lost, normalize is deterministic with a stable id,
 * and arbitrary JSON never makes it throw anything but AuditInputError.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import fc from 'fast-check';
import { AuditInputError } from '../../src/errors.js';
import type { AuditEvent, Vendor } from '../../src/model/event.js';
import { describeSchemaErrors, validateAuditEvent } from '../../src/model/validators.js';
import { normalize } from '../../src/components/adapters.js';
import { ADAPTERS } from '../../src/components/adapters.js';
import { toUtcTime } from '../../src/model/time.js';
import { ROOT } from '../helpers/golden.js';
import { recordFromSchema } from '../helpers/schema-arbitrary.js';

const RUNS = 400;

/** Field that carries the time, and fields whose value is re-formatted rather than copied. */
const TIME_FIELD: Record<Vendor, string> = { wandb: 'timestamp', snorkel: 'event_time', wherobots: 'event_time' };

function schemaOf(vendor: Vendor): object {
  return JSON.parse(readFileSync(path.join(ROOT, ADAPTERS.get(vendor)!.recordSchema), 'utf8')) as object;
}

function recordsOf(vendor: Vendor): fc.Arbitrary<Record<string, unknown>> {
  const catalog = [...ADAPTERS.get(vendor)!.actions.keys()];
  const overrides: Record<string, fc.Arbitrary<unknown>> = {};
  // Half the records use a documented action, half an arbitrary one.
  if (vendor === 'wandb') overrides.action = fc.oneof(fc.constantFrom(...catalog), fc.string({ minLength: 1 }));
  if (vendor === 'wherobots') overrides.action_name = fc.oneof(fc.constantFrom(...catalog), fc.string({ minLength: 1 }));
  if (vendor === 'snorkel') {
    overrides.event_name = fc.oneof(fc.constantFrom(...catalog.map((a) => a.split(':')[0]!)), fc.string({ minLength: 1 }));
    overrides.event_type = fc.oneof(fc.constantFrom('create', 'update', 'delete', 'login', 'commit'), fc.string({ minLength: 1 }));
  }
  if (vendor === 'wandb')
    overrides.response_code = fc.oneof(
      fc.integer({ min: 100, max: 599 }),
      fc.constantFrom('200', '404', 'n/a'),
      fc.constant(null),
      fc.integer(),
    );
  return recordFromSchema(schemaOf(vendor), overrides);
}

/** Every primitive leaf value (not null) of a JSON value, as strings. */
function leaves(value: unknown, out: string[] = []): string[] {
  if (value === null || value === undefined) return out;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a leaf: never an object here
  if (typeof value !== 'object') out.push(String(value));
  else for (const v of Object.values(value)) leaves(v, out);
  return out;
}

for (const vendor of ADAPTERS.keys()) {
  t.test(`${vendor}: events from schema-generated records are valid AuditEvents`, async () => {
    fc.assert(
      fc.property(recordsOf(vendor), (rec) => {
        const e = normalize(vendor, rec);
        if (!validateAuditEvent(e)) throw new Error(describeSchemaErrors(validateAuditEvent.errors).join('; '));
        if (e.vendor !== vendor) throw new Error('wrong vendor');
      }),
      { numRuns: RUNS },
    );
  });

  t.test(`${vendor}: every input value is found in the event (mapped or in details)`, async () => {
    fc.assert(
      fc.property(recordsOf(vendor), (rec) => {
        const e: AuditEvent = normalize(vendor, rec);
        const found = new Set(leaves({ ...e, time: undefined }));
        found.add(e.id.slice(vendor.length + 1)); // the vendor's event id, inside `<vendor>:<id>`
        const timeField = TIME_FIELD[vendor];
        if (e.time !== toUtcTime(rec[timeField] as string, '')) throw new Error('time is not the UTC form of the input time');
        for (const [key, value] of Object.entries(rec)) {
          if (key === timeField) continue;
          if (vendor === 'snorkel' && (key === 'event_name' || key === 'event_type')) continue; // checked below
          for (const leaf of leaves(value)) {
            if (vendor === 'wherobots' && leaf === '') continue; // a CSV cell's "no value"
            if (!found.has(leaf)) throw new Error(`value of ${key} (${JSON.stringify(leaf)}) is not in the event ${JSON.stringify(e)}`);
          }
        }
        if (vendor === 'snorkel' && e.action.name !== `${rec.event_name as string}:${rec.event_type as string}`)
          throw new Error('Snorkel action name');
      }),
      { numRuns: RUNS },
    );
  });

  t.test(`${vendor}: normalize is deterministic and the id does not depend on key order`, async () => {
    fc.assert(
      fc.property(recordsOf(vendor), (rec) => {
        const a = JSON.stringify(normalize(vendor, rec));
        const b = JSON.stringify(normalize(vendor, structuredClone(rec)));
        if (a !== b) throw new Error('two runs differ');
        const reordered = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(rec).reverse()))) as unknown;
        if (normalize(vendor, reordered).id !== normalize(vendor, rec).id) throw new Error('id depends on key order');
      }),
      { numRuns: RUNS },
    );
  });

  t.test(`${vendor}: arbitrary JSON never throws anything but AuditInputError`, async () => {
    const mutated = fc.tuple(recordsOf(vendor), fc.string(), fc.jsonValue()).map(([rec, key, value]) => {
      const keys = Object.keys(rec);
      const k = keys.length ? keys[key.length % keys.length]! : key;
      return JSON.parse(JSON.stringify({ ...rec, [k]: value })) as unknown;
    });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), mutated), (value) => {
        try {
          const e = normalize(vendor, value);
          if (!validateAuditEvent(e))
            throw new Error(`accepted input gave an invalid event: ${describeSchemaErrors(validateAuditEvent.errors).join('; ')}`);
        } catch (err) {
          if (!(err instanceof AuditInputError)) throw err;
          if (typeof err.pointer !== 'string') throw new Error('AuditInputError without a pointer');
        }
      }),
      { numRuns: RUNS },
    );
  });
}

/** A value that throws whenever it is touched: from a Proxy trap, a getter, or as a thrown non-Error. */
function hostile(base: Record<string, unknown>, trap: string, key: string, thrown: unknown): unknown {
  if (trap === 'getter') {
    const o: Record<string, unknown> = { ...base };
    Object.defineProperty(o, key in base ? key : 'action', {
      enumerable: true,
      get() {
        throw thrown;
      },
    });
    return o;
  }
  return new Proxy(base, {
    [trap]() {
      throw thrown;
    },
  });
}

/** Built fresh per run and chosen by index, so fast-check never has to print a hostile value. */
const THROWN: (() => unknown)[] = [
  () => new Error('trap'),
  () => 42,
  () => undefined,
  () => 'text',
  () => Symbol('s'),
  () => ({
    toString: () => {
      throw new Error('toString');
    },
  }),
  () =>
    new Proxy(
      {},
      {
        get: () => {
          throw new Error('nested');
        },
        getPrototypeOf: () => {
          throw new Error('proto');
        },
      },
    ),
];

t.test('normalize() throws only AuditInputError for Proxies, throwing getters and thrown non-Errors (issue 13, item 9)', async () => {
  const vendors: (Vendor | 'auto')[] = ['auto', ...ADAPTERS.keys()];
  const traps = ['getter', 'get', 'ownKeys', 'has', 'getOwnPropertyDescriptor', 'getPrototypeOf'];
  fc.assert(
    fc.property(
      fc.constantFrom(...vendors),
      fc.constantFrom(...[...ADAPTERS.keys()]).chain((v) => recordsOf(v)),
      fc.constantFrom(...traps),
      fc.string(),
      fc.nat({ max: THROWN.length - 1 }),
      (vendor, rec, trap, key, which) => {
        const thrown = THROWN[which]!();
        const keys = Object.keys(rec);
        const k = keys.length ? keys[key.length % keys.length]! : key;
        try {
          normalize(vendor, hostile(rec, trap, k, thrown));
        } catch (err) {
          if (!(err instanceof AuditInputError)) throw new Error(`threw ${typeof err} instead of AuditInputError`);
          if (typeof err.message !== 'string' || typeof err.pointer !== 'string') throw new Error('malformed AuditInputError');
        }
      },
    ),
    { numRuns: RUNS },
  );
});

t.test('auto: picks the vendor by shape, and rejects unrecognizable records with a typed error', async (t) => {
  t.equal(normalize('auto', { action: 'user:login', timestamp: '2023-01-23T12:34:56Z' }).vendor, 'wandb');
  t.equal(normalize('auto', { event_time: '2021-08-17T20:51:47.268843', event_name: 'api_key', event_type: 'create' }).vendor, 'snorkel');
  t.equal(normalize('auto', { event_time: '2025-01-27T00:07:29Z', action_name: 'CreateJobRun' }).vendor, 'wherobots');
  t.throws(() => normalize('auto', { hello: 'world' }), { code: 'unknown_vendor' });
  t.throws(() => normalize('auto', 42), { code: 'not_an_object' });
  t.throws(() => normalize('nope' as Vendor, {}), { code: 'unknown_vendor' });
});

t.test('regression: __proto__ and constructor keys are data, never prototypes', async (t) => {
  const raw = JSON.parse(
    '{"action":"user:read","timestamp":"2026-08-01T13:05:00Z","__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}',
  ) as unknown;
  const e = normalize('wandb', raw);
  t.equal(Object.getPrototypeOf(e.details), Object.prototype, 'details keeps the ordinary prototype');
  t.ok(Object.hasOwn(e.details!, '__proto__'), '__proto__ is an own key of details');
  t.same(
    (JSON.parse(JSON.stringify(e)) as typeof e).details,
    { __proto__: { polluted: true }, constructor: { prototype: { x: 1 } } },
    'survives serialization',
  );
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is untouched');
  const w = normalize('wherobots', JSON.parse('{"Time":"2026-01-01T00:00:00Z","Action":"CreateJobRun","__proto__":"x"}') as unknown);
  t.equal((w.details as Record<string, unknown>).__proto__, 'x', 'a CSV column named __proto__ is kept as data');
});
