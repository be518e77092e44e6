/**
 * fast-check arbitraries built from the vendor JSON Schemas, so property tests generate
 * records "from the vendor schema" rather than from a hand-kept copy of it. Covers the
 * subset the vendor schemas use: type (or type lists), required, properties,
 * additionalProperties, minLength, format date-time, and no type (any JSON).
 */
import fc from 'fast-check';

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  minLength?: number;
  format?: string;
}

/** RFC 3339 / ISO 8601 times as vendors write them: `Z`, an offset, or no zone; 0-9 fraction digits. */
export const dateTimeText: fc.Arbitrary<string> = fc
  .record({
    ms: fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2099, 11, 31) }),
    frac: fc.option(fc.stringMatching(/^[0-9]{1,9}$/), { nil: undefined }),
    zone: fc.oneof(
      fc.constant('Z'),
      fc.constant(''),
      fc
        .tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 14 }), fc.constantFrom(0, 30, 45))
        .map(([s, h, m]) => `${s}${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
    ),
  })
  .map(({ ms, frac, zone }) => new Date(ms).toISOString().slice(0, 19) + (frac ? `.${frac}` : '') + zone);

/** Strings that are often identifiers, e-mails, IPs or awkward text. */
const text = (minLength = 0): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ minLength, maxLength: 24 }),
    fc.emailAddress(),
    fc.ipV4(),
    fc.ipV6(),
    fc.constantFrom('__proto__', 'constructor', 'toString', 'a,b "c"\nd').filter((s) => s.length >= minLength),
  );

const extraKey = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'hasOwnProperty'),
);

/** Property name -> arbitrary to use instead of the schema's. */
export type ArbitraryOverrides = Record<string, fc.Arbitrary<unknown>>;

function forType(type: string, schema: Schema): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return schema.format === 'date-time' ? dateTimeText : text(schema.minLength ?? 0);
    case 'integer':
      return fc.integer({ min: 0, max: 2 ** 40 });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 });
    case 'object':
      return schema.properties ? recordFromSchema(schema) : fc.dictionary(extraKey, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
    default:
      throw new Error(`schema-arbitrary: unsupported type ${type}`);
  }
}

function valueFromSchema(schema: Schema): fc.Arbitrary<unknown> {
  if (schema.type === undefined) return fc.jsonValue({ maxDepth: 2 });
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return fc.oneof(...types.map((t) => forType(t, schema)));
}

/** Records valid for `schema`, with unknown extra keys when it allows them. */
export function recordFromSchema(schema: Schema, overrides: ArbitraryOverrides = {}): fc.Arbitrary<Record<string, unknown>> {
  const props = schema.properties ?? {};
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [k, sub] of Object.entries(props)) model[k] = overrides[k] ?? valueFromSchema(sub);
  const known = fc.record(model, { requiredKeys: schema.required ?? [] });
  if (schema.additionalProperties === false) return known;
  const extras = fc.dictionary(
    extraKey.filter((k) => !Object.hasOwn(props, k)),
    fc.jsonValue({ maxDepth: 2 }),
    { maxKeys: 3 },
  );
  return fc.tuple(known, extras).map(([k, e]) => {
    // Built as JSON text and parsed, as a real input would be, so `__proto__` is an own key.
    return JSON.parse(JSON.stringify(Object.assign(Object.create(null), e, k))) as Record<string, unknown>;
  });
}
