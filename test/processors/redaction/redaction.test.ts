/**
 * Collector-compatible redaction, tested against the behaviour the OpenTelemetry Collector's
 * redactionprocessor documents (README and processor.go): fail-closed allow list, ignored
 * keys, blocked key patterns, blocked/allowed values with allowed precedence, hash functions,
 * redact_all_types, summary levels and attribute names, log bodies.
 */
import { createHash, createHmac } from 'node:crypto';
import t from 'tap';
import type { LogAttributes } from '@opentelemetry/api-logs';
import { ConfigError } from '../../../src/errors.js';
import { compileCollectorRedaction } from '../../../src/processors/redaction/factory.js';

const VISA = '4111111111111111';
/** HMAC keys of the minimum lengths the Collector documents. */
const K32 = 'k'.repeat(32);
const K64 = 'k'.repeat(64);

function run(config: Parameters<typeof compileCollectorRedaction>[0], attrs: LogAttributes): LogAttributes {
  const copy = structuredClone(attrs);
  compileCollectorRedaction(config).processAttributes(copy);
  return copy;
}

t.test('allowed_keys fails closed: an empty list removes every attribute', async (t) => {
  const out = run({ summary: 'debug' }, { id: '1', name: 'x', group: 'g' });
  t.same(out, { 'redaction.redacted.keys': 'group,id,name', 'redaction.redacted.count': 3 }, 'all removed; keys listed sorted');
});

t.test('only allowed keys are kept', async (t) => {
  const out = run({ allowed_keys: ['id', 'name'], summary: 'info' }, { id: '1', name: 'x', secret: 's' });
  t.same(out, { id: '1', name: 'x', 'redaction.redacted.count': 1 }, 'info: count only, no key list');
});

t.test('allow_all_keys with blocked_values masks the matching part with ****', async (t) => {
  const out = run(
    { allow_all_keys: true, blocked_values: ['4[0-9]{12}(?:[0-9]{3})?'], summary: 'debug' },
    { notes: `card ${VISA} on file`, other: 'fine' },
  );
  t.same(out, { notes: 'card **** on file', other: 'fine', 'redaction.masked.keys': 'notes', 'redaction.masked.count': 1 });
});

t.test('ignored_keys (and ignored_key_patterns) pass untouched even when not allowed', async (t) => {
  const out = run(
    {
      allowed_keys: ['id'],
      ignored_keys: ['safe_attribute'],
      ignored_key_patterns: ['^trace\\.'],
      blocked_values: ['.+'],
      summary: 'debug',
    },
    { safe_attribute: VISA, 'trace.id': 'abc', id: 'x', drop: 'y' },
  );
  t.equal(out.safe_attribute, VISA, 'ignored key not masked');
  t.equal(out['trace.id'], 'abc', 'ignored pattern not masked');
  t.equal(out.drop, undefined, 'not allowed: removed');
  t.equal(out['redaction.ignored.count'], 2, 'ignored: count only (the Collector lists no ignored keys)');
  t.equal(out['redaction.ignored.keys'], undefined);
});

t.test('blocked_key_patterns mask the whole value', async (t) => {
  const out = run(
    { allow_all_keys: true, blocked_key_patterns: ['.*token.*', '.*api_key.*'], summary: 'debug' },
    { access_token: 'abc', my_api_key_2: 'k', ok: 'v' },
  );
  t.same(out, {
    access_token: '****',
    my_api_key_2: '****',
    ok: 'v',
    'redaction.masked.keys': 'access_token,my_api_key_2',
    'redaction.masked.count': 2,
  });
});

t.test('allowed_values take precedence over blocked_values', async (t) => {
  const out = run(
    { allow_all_keys: true, blocked_values: ['mycompany.com'], allowed_values: ['support.mycompany.com'], summary: 'debug' },
    { a: 'support.mycompany.com', b: 'sales.mycompany.com' },
  );
  t.equal(out.a, 'support.mycompany.com', 'allowed value kept');
  t.equal(out.b, 'sales.****', 'blocked match masked');
  t.equal(out['redaction.allowed.keys'], 'a');
  t.equal(out['redaction.allowed.count'], 1);
});

t.test('hash_function hashes each match (hex digest) instead of ****', async (t) => {
  const md5 = createHash('md5').update(VISA).digest('hex');
  t.equal(run({ allow_all_keys: true, blocked_values: [VISA], hash_function: 'md5' }, { n: `x ${VISA}` }).n, `x ${md5}`);
  t.equal(
    run({ allow_all_keys: true, blocked_values: [VISA], hash_function: 'sha1' }, { n: VISA }).n,
    createHash('sha1').update(VISA).digest('hex'),
  );
  t.equal(
    run({ allow_all_keys: true, blocked_values: [VISA], hash_function: 'sha3' }, { n: VISA }).n,
    createHash('sha3-256').update(VISA).digest('hex'),
    'sha3 is SHA3-256',
  );
  t.equal(
    run({ allow_all_keys: true, blocked_values: [VISA], hash_function: 'hmac-sha256', hmac_key: K32 }, { n: VISA }).n,
    createHmac('sha256', K32).update(VISA).digest('hex'),
  );
  t.equal(
    run({ allow_all_keys: true, blocked_values: [VISA], hash_function: 'hmac-sha512', hmac_key: K64 }, { n: VISA }).n,
    createHmac('sha512', K64).update(VISA).digest('hex'),
  );
  t.equal(
    run({ allow_all_keys: true, blocked_key_patterns: ['^n$'], hash_function: 'md5' }, { n: 'whole' }).n,
    createHash('md5').update('whole').digest('hex'),
    'blocked keys are hashed whole',
  );
});

t.test('only strings are examined unless redact_all_types', async (t) => {
  t.equal(
    run({ allow_all_keys: true, blocked_values: ['4[0-9]{15}'] }, { card: 4111111111111111 }).card,
    4111111111111111,
    'an int is left alone',
  );
  t.equal(
    run({ allow_all_keys: true, blocked_values: ['4[0-9]{15}'], redact_all_types: true }, { card: 4111111111111111 }).card,
    '****',
    'redact_all_types masks its string form',
  );
});

t.test('summary: silent and unset add nothing', async (t) => {
  t.same(run({ allowed_keys: ['a'], summary: 'silent' }, { a: '1', b: '2' }), { a: '1' });
  t.same(run({ allowed_keys: ['a'] }, { a: '1', b: '2' }), { a: '1' }, 'the Collector default config has no summary');
});

t.test('summary attributes survive a second pass and accumulate', async (t) => {
  const r = compileCollectorRedaction({ allowed_keys: ['a'], summary: 'debug' });
  const attrs: LogAttributes = { a: '1', b: '2' };
  r.processAttributes(attrs);
  attrs.c = '3';
  r.processAttributes(attrs);
  t.equal(attrs['redaction.redacted.keys'], 'b,c');
  t.equal(attrs['redaction.redacted.count'], 2);
});

t.test('log bodies: strings, maps (with key paths) and arrays', async (t) => {
  const r = compileCollectorRedaction({
    allowed_keys: ['user', 'email', 'items', 'id', 'password'],
    blocked_values: ['[a-z]+@example\\.com'],
    blocked_key_patterns: ['^password$'],
    summary: 'debug',
  });
  const a1: LogAttributes = {};
  t.equal(r.processBody('mail bob@example.com now', a1), 'mail **** now', 'string body masked');
  t.same(a1, { 'redaction.body.masked.keys': 'body', 'redaction.body.masked.count': 1 });

  const a2: LogAttributes = {};
  const out = r.processBody({ user: { email: 'amy@example.com', password: 'x', ssn: '1' }, items: ['ok', 'cy@example.com'], drop: 1 }, a2);
  t.same(out, { user: { email: '****', password: '****' }, items: ['ok', '****'] });
  t.equal(a2['redaction.body.masked.keys'], 'items.[1],user.email,user.password', 'nested key paths, sorted');
  t.equal(a2['redaction.body.redacted.keys'], 'drop,user.ssn');
  t.equal(a2['redaction.body.redacted.count'], 2);

  const a3: LogAttributes = {};
  t.same(r.processBody(['x@example.com', 'y'], a3), ['****', 'y']);
  t.equal(a3['redaction.body.masked.keys'], '[0]');
});

t.test('a string body matching allowed_values is left alone and not summarized (as in the Collector)', async (t) => {
  const attrs: LogAttributes = {};
  const r = compileCollectorRedaction({ allow_all_keys: true, blocked_values: ['secret'], allowed_values: ['^public'], summary: 'debug' });
  t.equal(r.processBody('public secret', attrs), 'public secret');
  t.same(attrs, {});
});

t.test('configuration errors list every problem with its path', async (t) => {
  try {
    compileCollectorRedaction(
      {
        blocked_values: ['ok', '(unclosed'],
        allowed_values: ['(?<=lookbehind)x'],
        hash_function: 'hmac-sha256',
        summary: 'loud' as never,
        blockd_values: [],
      } as never,
      'processors.redaction',
    );
    t.fail('should throw');
  } catch (err) {
    t.ok(err instanceof ConfigError);
    t.same(
      (err as ConfigError).problems.map((p) => p.path),
      [
        'processors.redaction.blockd_values',
        'processors.redaction.blocked_values[1]',
        'processors.redaction.allowed_values[0]',
        'processors.redaction.hmac_key',
        'processors.redaction.summary',
      ],
    );
    t.notMatch((err as Error).message, /hmac_key.*:.*k/, 'no key material in the message');
  }
});

t.test('user regexes cannot backtrack catastrophically (linear-time engine)', async (t) => {
  const r = compileCollectorRedaction({ allow_all_keys: true, blocked_values: ['(a+)+$', '(a|aa)+b', '(.*a){12}'] });
  const attrs: LogAttributes = { v: `${'a'.repeat(30_000)}!` };
  const started = process.hrtime.bigint();
  r.processAttributes(attrs);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  // A backtracking engine needs on the order of 2^30000 steps here; a linear one finishes.
  t.ok(ms < 20_000, `finished in ${ms.toFixed(0)} ms`);
  t.equal(attrs.v, '****!', '(a+)+$ masked the run of a');
});

t.test('keys such as __proto__ are data', async (t) => {
  const attrs = JSON.parse('{"__proto__": "x", "constructor": "y", "ok": "z"}') as LogAttributes;
  compileCollectorRedaction({ allowed_keys: ['ok', '__proto__'], summary: 'debug' }).processAttributes(attrs);
  t.equal(Object.getPrototypeOf(attrs), Object.prototype);
  t.ok(Object.hasOwn(attrs, '__proto__'), '__proto__ allowed and kept as an own key');
  t.equal(attrs.constructor, Object, 'constructor (not allowed) removed, prototype intact');
  t.equal(attrs['redaction.redacted.keys'], 'constructor');
});
