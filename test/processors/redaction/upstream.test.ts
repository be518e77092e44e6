/**
 * Parity with the Collector's redactionprocessor for logs: its processor_test.go cases
 * (upstream-cases.ts), its URL sanitizer's and clusterurl's cases (url-cases.ts), its database
 * obfuscator's cases (db-cases.ts), run through compileCollectorRedaction's whole-record pass
 * (resource, scope, attributes, body), as the runtime applies it.
 */
import t from 'tap';
import type { LogAttributes } from '@opentelemetry/api-logs';
import { ConfigError } from '../../../src/errors.js';
import { compileCollectorRedaction } from '../../../src/processors/redaction/factory.js';
import type { RedactableRecord } from '../../../src/processors/redaction/redaction.js';
import { DB_ATTRIBUTE_CASES, DB_SYSTEM_CASES } from './db-cases.js';
import { PER_RECORD, UPSTREAM_CASES, type Categories, type UpstreamCase, type Values, type Where } from './upstream-cases.js';
import { URL_CASES } from './url-cases.js';
import { urlSanitizer } from '../../../src/processors/redaction/url-sanitizer.js';
import { dbSanitizer } from '../../../src/processors/redaction/db-sanitizer.js';

const ORDER: (keyof Categories)[] = ['allowed', 'masked', 'allowedValues', 'redacted', 'blockedKeys', 'ignored'];

/** runLogsTest's record: every category in the resource, the scope, the attributes and the body map. */
function categoryRecord(c: UpstreamCase): RedactableRecord {
  const fill = (): LogAttributes => {
    const m: LogAttributes = {};
    for (const k of ORDER) for (const [key, v] of Object.entries(c.categories?.[k] ?? {})) m[key] = structuredClone(v);
    return m;
  };
  return { resource: fill(), scope: fill(), attributes: fill(), body: c.body !== undefined ? structuredClone(c.body) : fill() };
}

/** getLogBodyWithDebugAttrs: the body map with the body summary under the attribute summary names. */
function bodyWithSummary(r: RedactableRecord): Values {
  const out: Values = { ...(r.body as Values) };
  for (const [k, v] of Object.entries(r.attributes))
    if (k.startsWith('redaction.body.')) out[`redaction.${k.slice('redaction.body.'.length)}`] = v;
  return out;
}

function mapOf(r: RedactableRecord, where: Where): Values {
  switch (where) {
    case 'resource':
      return r.resource as Values;
    case 'scope':
      return r.scope as Values;
    case 'attributes':
      return r.attributes;
    case 'body':
      return r.body as Values;
    case 'bodyWithSummary':
      return bodyWithSummary(r);
  }
}

let passed = 0;
for (const c of UPSTREAM_CASES) {
  t.test(c.name, async (t) => {
    const redactor = compileCollectorRedaction(c.config);
    const records: RedactableRecord[] = c.records
      ? c.records.map((r) => ({
          attributes: structuredClone(r.attributes),
          ...(r.body !== undefined ? { body: structuredClone(r.body) } : {}),
        }))
      : [categoryRecord(c)];
    for (const r of records) redactor.processRecord(r);
    records.forEach((r, i) => {
      for (const check of c.checks ?? []) {
        for (const where of check.in) {
          const m = mapOf(r, where);
          for (const [k, v] of Object.entries(check.equal ?? {})) t.same(m[k], v, `record ${i} ${where}: ${k}`);
          for (const k of check.absent ?? []) t.notOk(Object.hasOwn(m, k), `record ${i} ${where}: ${k} absent`);
          if (check.size !== undefined) t.equal(Object.keys(m).length, check.size, `record ${i} ${where}: ${check.size} keys`);
        }
      }
      const expectedBody = c.bodies?.[i];
      if (c.bodies) t.same(r.body, expectedBody, `record ${i}: body`);
      const per = PER_RECORD[c.name]?.[i];
      for (const [k, v] of Object.entries(per ?? {})) t.same(r.attributes[k], v, `record ${i}: ${k}`);
    });
    if (!t.passing()) return;
    passed++;
  });
}

t.test('every ported upstream case passes (count for the closing note)', async (t) => {
  t.equal(UPSTREAM_CASES.length, 29, 'the 29 log cases of processor_test.go');
  t.equal(passed, UPSTREAM_CASES.length, `${passed}/${UPSTREAM_CASES.length} upstream cases pass`);
});

t.test('clusterurl and url sanitizer cases', async (t) => {
  const u = urlSanitizer();
  for (const [input, expected] of URL_CASES) t.equal(u.sanitize(input), expected, JSON.stringify(input));
});

t.test('database obfuscator cases (db_test.go, the processor configuration)', async (t) => {
  for (const c of DB_ATTRIBUTE_CASES) {
    const db = dbSanitizer(c.config);
    t.equal(db ? db.attribute(c.value, c.key, c.system) : c.value, c.expected, c.name);
  }
  for (const c of DB_SYSTEM_CASES) {
    const db = dbSanitizer(c.config)!;
    const out = db.body(c.value, c.system);
    if (c.contains) t.ok(out.includes(c.contains), `${c.name}: ${out} contains ${c.contains}`);
    else t.equal(out, c.expected, c.name);
  }
});

t.test('hash_function is read case-insensitively, as the Collector does', async (t) => {
  const attrs = (): LogAttributes => ({ n: 'placeholder 4111111111111111' });
  const lower = attrs();
  const upper = attrs();
  compileCollectorRedaction({ allow_all_keys: true, blocked_values: ['4[0-9]{15}'], hash_function: 'md5' }).processAttributes(lower);
  compileCollectorRedaction({ allow_all_keys: true, blocked_values: ['4[0-9]{15}'], hash_function: 'MD5' }).processAttributes(upper);
  t.equal(upper.n, 'placeholder 5910f4ea0062a0e29afd3dccc741e3ce');
  t.same(upper, lower);
  t.throws(() => compileCollectorRedaction({ hash_function: 'md6' }), ConfigError, 'an unknown function is refused');
});

t.test('HMAC keys shorter than the documented minimum are refused, without showing the key', async (t) => {
  const short = 'k'.repeat(31);
  for (const [fn, min] of [
    ['hmac-sha256', 32],
    ['HMAC-SHA512', 64],
  ] as const) {
    const err = t.throws(() => compileCollectorRedaction({ allow_all_keys: true, hash_function: fn, hmac_key: short })) as unknown as Error;
    t.type(err, ConfigError);
    t.match(err.message, new RegExp(`hmac_key.*at least ${min} bytes`));
    t.notMatch(err.message, short, 'the key is not in the message');
    t.doesNotThrow(() => compileCollectorRedaction({ allow_all_keys: true, hash_function: fn, hmac_key: 'k'.repeat(min) }));
  }
});

t.test('url_sanitizer.sanitize_log_body: false leaves bodies alone', async (t) => {
  const r: RedactableRecord = { attributes: { 'http.url': '/users/2' }, body: '/users/2' };
  compileCollectorRedaction({
    allow_all_keys: true,
    url_sanitizer: { enabled: true, attributes: ['http.url'], sanitize_log_body: false },
  }).processRecord(r);
  t.equal(r.attributes['http.url'], '/users/*');
  t.equal(r.body, '/users/2');
});

t.test('the database system is read before the attributes are redacted', async (t) => {
  // db.system is not an allowed key: the Collector still picks the sanitizer from it.
  const r: RedactableRecord = {
    attributes: { 'db.system': 'mysql', 'db.statement': "SELECT 1 FROM t WHERE a = 'x'" },
    body: "UPDATE t SET a = 'y'",
  };
  compileCollectorRedaction({
    allowed_keys: ['db.statement'],
    db_sanitizer: { sql: { enabled: true, attributes: ['db.statement'] } },
  }).processRecord(r);
  t.same(r.attributes, { 'db.statement': 'SELECT ? FROM t WHERE a = ?' });
  t.equal(r.body, 'UPDATE t SET a = ?');
});
