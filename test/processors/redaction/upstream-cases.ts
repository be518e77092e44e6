/**
 * The log cases of the OpenTelemetry Collector's redactionprocessor tests
 * (open-telemetry/opentelemetry-collector-contrib, processor/redactionprocessor/processor_test.go
 * at a6b52abe, Apache-2.0), as data: each Go test's configuration, its input and what it asserts
 * on the log maps: the 28 test functions that exercise logs or attributes, one of them
 * (TestLogBodyRedactionDifferentTypes) in two parts, 29 cases. Span-only tests whose subject is
 * attributes (span event attributes, URL and database sanitizing of attributes) are replayed on
 * log record attributes; span names (TestSanitizeSpanNameFlag) and metric-only tests are not ported.
 *
 * Inputs come in one of two shapes, as in the Go tests: `categories` (runLogsTest: every key is
 * put into the resource, the scope, the record's attributes and its body map, in the order
 * allowed, masked, allowedValues, redacted, blockedKeys, ignored; `body` then replaces the
 * body), or explicit `records`.
 */
import type { AnyValue } from '@opentelemetry/api-logs';
import type { CollectorRedactionConfig } from '../../../src/processors/redaction/config.js';

export type Values = Record<string, AnyValue>;

export interface Categories {
  allowed?: Values;
  masked?: Values;
  allowedValues?: Values;
  redacted?: Values;
  blockedKeys?: Values;
  ignored?: Values;
}

/**
 * Where a check looks: a map of the record, or `bodyWithSummary` (the body map with the record's
 * `redaction.body.*` summary copied in under the attribute summary names, as the Go helper
 * getLogBodyWithDebugAttrs does), or `bodyValue` (the body itself).
 */
export type Where = 'resource' | 'scope' | 'attributes' | 'body' | 'bodyWithSummary';

export interface Check {
  in: readonly Where[];
  /** Keys that must hold exactly these values. */
  equal?: Values;
  /** Keys that must be absent. */
  absent?: readonly string[];
  /** The number of keys. */
  size?: number;
}

export interface UpstreamCase {
  /** The Go test (and part) it comes from. */
  name: string;
  config: CollectorRedactionConfig;
  categories?: Categories;
  body?: AnyValue;
  records?: { attributes: Values; body?: AnyValue }[];
  /** Checks on each record (categories: the one record). */
  checks?: Check[];
  /** The expected body of each record, when the test asserts it whole. */
  bodies?: AnyValue[];
}

const ALL: readonly Where[] = ['resource', 'scope', 'attributes', 'body'];
const ALL_SUMMARY: readonly Where[] = ['resource', 'scope', 'attributes', 'bodyWithSummary'];
const NO_BODY: readonly Where[] = ['resource', 'scope', 'attributes'];
const ATTRS: readonly Where[] = ['attributes'];
const VISA = '4[0-9]{12}(?:[0-9]{3})?';
const SUMMARY_NAMES = [
  'redaction.redacted.keys',
  'redaction.redacted.count',
  'redaction.masked.keys',
  'redaction.masked.count',
  'redaction.ignored.count',
];

export const UPSTREAM_CASES: readonly UpstreamCase[] = [
  {
    name: 'TestRedactUnknownAttributes',
    config: { allowed_keys: ['group', 'id', 'name'] },
    categories: {
      allowed: { group: 'temporary', id: 5, name: 'placeholder' },
      ignored: { safe_attribute: '4111111111111112' },
      redacted: { credit_card: '4111111111111111' },
    },
    checks: [{ in: ALL, equal: { group: 'temporary', id: 5, name: 'placeholder' }, absent: ['credit_card'] }],
  },
  {
    name: 'TestAllowAllKeys',
    config: { allowed_keys: ['group', 'id'], allow_all_keys: true },
    categories: { allowed: { group: 'temporary', id: 5, name: 'placeholder' } },
    checks: [{ in: ALL, equal: { group: 'temporary', id: 5, name: 'placeholder' } }],
  },
  {
    name: 'TestAllowAllKeysMaskValues',
    config: { allowed_keys: ['group', 'id', 'name'], blocked_values: [VISA], allow_all_keys: true },
    categories: {
      allowed: { group: 'temporary', id: 5, name: 'placeholder' },
      masked: { credit_card: 'placeholder 4111111111111111' },
      allowedValues: { email: 'user@mycompany.com' },
    },
    checks: [
      { in: ALL, equal: { group: 'temporary', id: 5, name: 'placeholder', credit_card: 'placeholder ****', email: 'user@mycompany.com' } },
    ],
  },
  {
    name: 'TestRedactSummaryDebug',
    config: {
      allowed_keys: ['id', 'group', 'name', 'group.id', 'member (id)', 'token_some', 'api_key_some', 'email'],
      blocked_values: [VISA],
      ignored_keys: ['safe_attribute'],
      ignored_key_patterns: ['safeRE_attribute.*'],
      blocked_key_patterns: ['.*(token|api_key).*'],
      allowed_values: ['.+@mycompany.com'],
      summary: 'debug',
    },
    categories: {
      allowed: { id: 5, 'group.id': 'some.valid.id', 'member (id)': 'some other valid id' },
      masked: { name: 'placeholder 4111111111111111' },
      ignored: { safe_attribute: 'harmless 4111111111111112', safeRE_attribute_id: 'safe id', safeRE_attribute_source: 'safe source' },
      redacted: { credit_card: '4111111111111111' },
      blockedKeys: { token_some: 'tokenize', api_key_some: 'apinize' },
      allowedValues: { email: 'user@mycompany.com' },
    },
    checks: [
      {
        in: ALL_SUMMARY,
        absent: ['credit_card'],
        equal: {
          'redaction.redacted.keys': 'credit_card',
          'redaction.redacted.count': 1,
          'redaction.ignored.count': 3,
          'redaction.masked.keys': 'api_key_some,name,token_some',
          'redaction.masked.count': 3,
          name: 'placeholder ****',
          'redaction.allowed.count': 1,
          email: 'user@mycompany.com',
          api_key_some: '****',
          token_some: '****',
        },
      },
    ],
  },
  {
    name: 'TestRedactSummaryDebugHashMD5',
    config: {
      allowed_keys: ['id', 'group', 'name', 'group.id', 'member (id)', 'token_some', 'api_key_some', 'email'],
      blocked_values: [VISA],
      hash_function: 'md5',
      ignored_keys: ['safe_attribute'],
      ignored_key_patterns: ['safeRE_attribute.*'],
      blocked_key_patterns: ['.*token.*', '.*api_key.*'],
      summary: 'debug',
    },
    categories: {
      allowed: { id: 5, 'group.id': 'some.valid.id', 'member (id)': 'some other valid id' },
      masked: { name: 'placeholder 4111111111111111' },
      ignored: { safe_attribute: 'harmless 4111111111111112', safeRE_attribute_id: 'safe id', safeRE_attribute_source: 'safe source' },
      redacted: { credit_card: '4111111111111111' },
      blockedKeys: { token_some: 'tokenize', api_key_some: 'apinize' },
      allowedValues: { email: 'user@mycompany.com' },
    },
    checks: [
      {
        in: ALL_SUMMARY,
        absent: ['credit_card'],
        equal: {
          'redaction.redacted.keys': 'credit_card',
          'redaction.redacted.count': 1,
          'redaction.ignored.count': 3,
          'redaction.masked.keys': 'api_key_some,name,token_some',
          'redaction.masked.count': 3,
          name: 'placeholder 5910f4ea0062a0e29afd3dccc741e3ce',
          api_key_some: '93a699237950bde9eb9d25c7ead025f3',
          token_some: '77e9ef3680c5518785ef0121d3884c3d',
        },
      },
    ],
  },
  {
    name: 'TestRedactSummaryInfo',
    config: {
      allowed_keys: ['id', 'name', 'group', 'email'],
      blocked_values: [VISA],
      ignored_keys: ['safe_attribute'],
      ignored_key_patterns: ['safeRE_attribute.*'],
      allowed_values: ['.+@mycompany.com'],
      summary: 'info',
    },
    categories: {
      allowed: { id: 5 },
      ignored: {
        safe_attribute: 'harmless but suspicious 4111111111111141',
        safeRE_attribute_id: 'safe id',
        safeRE_attribute_source: 'safe source',
      },
      masked: { name: 'placeholder 4111111111111111' },
      redacted: { credit_card: '4111111111111111' },
      allowedValues: { email: 'user@mycompany.com' },
    },
    checks: [
      {
        in: ALL_SUMMARY,
        absent: ['credit_card', 'redaction.redacted.keys', 'redaction.masked.keys'],
        equal: {
          'redaction.redacted.count': 1,
          'redaction.masked.count': 1,
          name: 'placeholder ****',
          'redaction.allowed.count': 1,
          email: 'user@mycompany.com',
          'redaction.ignored.count': 3,
          safe_attribute: 'harmless but suspicious 4111111111111141',
          safeRE_attribute_id: 'safe id',
          safeRE_attribute_source: 'safe source',
        },
      },
    ],
  },
  {
    name: 'TestRedactSummarySilent',
    config: { allowed_keys: ['id', 'name', 'group'], blocked_values: [VISA], summary: 'silent' },
    categories: { allowed: { id: 5 }, masked: { name: 'placeholder 4111111111111111' }, redacted: { credit_card: '4111111111111111' } },
    checks: [{ in: ALL_SUMMARY, absent: ['credit_card', ...SUMMARY_NAMES.slice(0, 4)], equal: { name: 'placeholder ****' } }],
  },
  {
    name: 'TestRedactSummaryDefault',
    config: { allowed_keys: ['id', 'name', 'group'] },
    categories: {
      allowed: { id: 5 },
      ignored: { internal: 'a harmless 12 digits 4111111111111113' },
      masked: { name: 'placeholder 4111111111111111' },
    },
    checks: [{ in: ALL_SUMMARY, absent: SUMMARY_NAMES }],
  },
  {
    name: 'TestMultipleBlockValues',
    config: { allowed_keys: ['id', 'name', 'mystery'], blocked_values: [VISA, '(5[1-5][0-9]{3})'], summary: 'debug' },
    categories: {
      allowed: { id: 5, mystery: 'mystery 52000' },
      masked: { name: 'placeholder 4111111111111111 52000' },
      redacted: { credit_card: '4111111111111111' },
    },
    checks: [
      {
        in: ALL_SUMMARY,
        absent: ['credit_card'],
        equal: {
          'redaction.redacted.keys': 'credit_card',
          'redaction.redacted.count': 1,
          'redaction.masked.keys': 'mystery,name',
          'redaction.masked.count': 2,
          name: 'placeholder **** ****',
          mystery: 'mystery ****',
        },
      },
    ],
  },
  {
    name: 'TestProcessAttrsAppliedTwice',
    config: { allowed_keys: ['id', 'credit_card', 'mystery'], blocked_values: [VISA], summary: 'debug' },
    records: [
      {
        attributes: {
          id: 5,
          redundant: 1.2,
          mystery: 'mystery ****',
          credit_card: '4111111111111111',
          'redaction.redacted.keys': 'dropped_attr1,dropped_attr2',
          'redaction.redacted.count': 2,
          'redaction.masked.keys': 'mystery',
          'redaction.masked.count': 1,
        },
      },
    ],
    checks: [
      {
        in: ATTRS,
        size: 7,
        equal: {
          'redaction.redacted.keys': 'dropped_attr1,dropped_attr2,redundant',
          'redaction.redacted.count': 3,
          'redaction.masked.count': 2,
        },
      },
    ],
  },
  {
    name: 'TestRedactAllTypesFalse',
    config: { allowed_keys: ['group', 'id', 'name'], allow_all_keys: true, blocked_values: [VISA], redact_all_types: false },
    categories: {
      allowed: { group: 'temporary', id: 5, name: 'placeholder', credit_card_int: 4111111111111111 },
      masked: { credit_card: 'placeholder 4111111111111111' },
    },
    checks: [
      {
        in: NO_BODY,
        equal: { group: 'temporary', id: 5, name: 'placeholder', credit_card_int: 4111111111111111, credit_card: 'placeholder ****' },
      },
    ],
  },
  {
    name: 'TestRedactAllTypesTrue',
    config: { allowed_keys: ['group', 'id', 'name'], allow_all_keys: true, blocked_values: [VISA], redact_all_types: true },
    categories: {
      allowed: { group: 'temporary', id: 5, name: 'placeholder' },
      masked: { credit_card: 'placeholder 4111111111111111', credit_card_int: 4111111111111111 },
    },
    checks: [
      { in: NO_BODY, equal: { group: 'temporary', id: 5, name: 'placeholder', credit_card: 'placeholder ****', credit_card_int: '****' } },
    ],
  },
  {
    name: 'TestSpanEventRedacted (on log attributes)',
    config: { allow_all_keys: true, blocked_values: ['xyzxyz'], summary: 'debug' },
    records: [{ attributes: { password: 'xyzxyz', username: 'foobar' } }],
    checks: [{ in: ATTRS, equal: { password: '****', username: 'foobar' } }],
  },
  {
    name: 'TestLogBodyRedactionDifferentTypes (string body)',
    config: { allowed_keys: ['id', 'email', 'credit_card', 'nested', 'slice'], blocked_values: [VISA], summary: 'debug' },
    categories: {},
    body: 'placeholder 4111111111111111',
    bodies: ['placeholder ****'],
    checks: [{ in: ATTRS, equal: { 'redaction.body.masked.keys': 'body', 'redaction.body.masked.count': 1 } }],
  },
  {
    name: 'TestLogBodyRedactionDifferentTypes (nested map body)',
    config: {
      allowed_keys: ['id', 'email', 'credit_card', 'nested', 'slice'],
      blocked_values: [VISA],
      ignored_keys: ['safe_attribute'],
      allowed_values: ['.+@mycompany.com'],
      summary: 'debug',
    },
    categories: {},
    body: {
      credit_card: '4111111111111111',
      not_allowed_key: 'temp',
      id: 'user123',
      nested: {
        credit_card: '4111111111111111',
        not_allowed_key: 'temp',
        id: 'user123',
        safe_attribute: '4111111111111111',
        email: 'user@mycompany.com',
      },
      slice: ['4111111111111111', 'user123'],
    },
    bodies: [
      {
        credit_card: '****',
        id: 'user123',
        nested: { credit_card: '****', id: 'user123', safe_attribute: '4111111111111111', email: 'user@mycompany.com' },
        slice: ['****', 'user123'],
      },
    ],
    checks: [
      {
        in: ATTRS,
        equal: {
          'redaction.body.redacted.keys': 'nested.not_allowed_key,not_allowed_key',
          'redaction.body.redacted.count': 2,
          'redaction.body.masked.keys': 'credit_card,nested.credit_card,slice.[0]',
          'redaction.body.masked.count': 3,
          'redaction.body.allowed.keys': 'nested.email',
          'redaction.body.allowed.count': 1,
          'redaction.body.ignored.count': 1,
        },
      },
    ],
  },
  {
    name: 'TestURLSanitizationEnabled',
    config: { allow_all_keys: true, url_sanitizer: { enabled: true, attributes: ['http.url', 'url', 'request_url'] }, summary: 'debug' },
    categories: {
      allowed: { 'http.url': '/users/2', url: '/products/1/org/3', request_url: '/v1/products/22', other_field: '/not/sanitized/123' },
    },
    checks: [
      {
        in: ATTRS,
        equal: { 'http.url': '/users/*', url: '/products/*/org/*', request_url: '/v1/products/*', other_field: '/not/sanitized/123' },
      },
    ],
  },
  {
    name: 'TestURLSanitizationDisabled',
    config: { allow_all_keys: true, url_sanitizer: { enabled: false } },
    categories: { allowed: { 'http.url': '/v1/products/123', url: '/users/456/profile' } },
    checks: [{ in: ATTRS, equal: { 'http.url': '/v1/products/123', url: '/users/456/profile' } }],
  },
  {
    name: 'TestURLSanitizationWithBlockedValues (on log attributes)',
    config: { allow_all_keys: true, blocked_values: [VISA], url_sanitizer: { enabled: true, attributes: ['http.url'] }, summary: 'debug' },
    categories: { allowed: { 'http.url': '/v1/products/2', credit_card: '4111111111111111' } },
    checks: [{ in: ATTRS, equal: { 'http.url': '/v1/products/*', credit_card: '****', 'redaction.masked.count': 2 } }],
  },
  {
    name: 'TestURLSanitizationInLogBody',
    config: { allow_all_keys: true, url_sanitizer: { enabled: true } },
    categories: {},
    body: '/users/2',
    bodies: ['/users/*'],
  },
  {
    name: 'TestURLSanitizationComplexLogBody',
    config: { allow_all_keys: true, url_sanitizer: { enabled: true } },
    categories: {},
    body: { message: '/users/2', url: '/products/1/org/3' },
    bodies: [{ message: '/users/*', url: '/products/*/org/*' }],
  },
  {
    name: 'TestURLSanitizationAttributeFiltering (on log attributes)',
    config: { allow_all_keys: true, url_sanitizer: { enabled: true, attributes: ['http.url'] } },
    categories: { allowed: { 'http.url': '/users/2', other_url: '/users/3' } },
    checks: [{ in: ATTRS, equal: { 'http.url': '/users/*', other_url: '/users/3' } }],
  },
  {
    name: 'TestDBObfuscationUsesDBSystemForAttributes (on log attributes)',
    config: {
      allow_all_keys: true,
      db_sanitizer: { sql: { enabled: true, attributes: ['db.statement'] }, redis: { enabled: true, attributes: ['db.statement'] } },
    },
    records: [
      { attributes: { 'db.system': 'mysql', 'db.statement': "SELECT id, email FROM users WHERE id = 42 AND email = 'foo@example.com'" } },
      { attributes: { 'db.system': 'redis', 'db.statement': 'SET user:12345 my-secret' } },
    ],
    checks: [],
  },
  {
    name: 'TestDBObfuscationUsesDBSystemNameForAttributes (on log attributes)',
    config: { allow_all_keys: true, db_sanitizer: { sql: { enabled: true, attributes: ['db.statement'] } } },
    records: [{ attributes: { 'db.system.name': 'postgresql', 'db.statement': "SELECT email FROM users WHERE email = 'foo@bar.com'" } }],
    checks: [{ in: ATTRS, equal: { 'db.statement': 'SELECT email FROM users WHERE email = ?' } }],
  },
  {
    name: 'TestDBObfuscationAttributesWithoutDBSystemDoesNothing (on log attributes)',
    config: {
      allow_all_keys: true,
      db_sanitizer: { sql: { enabled: true, attributes: ['db.statement'] }, redis: { enabled: true, attributes: ['db.statement'] } },
    },
    records: [
      { attributes: { 'db.statement': 'SELECT id FROM accounts WHERE id = 42' } },
      { attributes: { 'db.statement': 'SET user:999 secret' } },
    ],
    checks: [],
  },
  {
    name: 'TestLogAttributesObfuscationWithoutDBSystem',
    config: {
      allow_all_keys: true,
      db_sanitizer: { sql: { enabled: true, attributes: ['db.statement'] }, allow_fallback_without_system: true },
    },
    records: [{ attributes: { 'db.statement': 'SELECT password FROM users WHERE id = 42' } }],
    checks: [{ in: ATTRS, equal: { 'db.statement': 'SELECT password FROM users WHERE id = ?' } }],
  },
  {
    name: 'TestURLSanitizationOnAttributes (on log attributes)',
    config: { allow_all_keys: true, url_sanitizer: { enabled: true, attributes: ['http.url'] } },
    records: [{ attributes: { 'http.url': '/api/users/12345/profile' } }],
    checks: [{ in: ATTRS, equal: { 'http.url': '/api/users/*/profile' } }],
  },
  {
    name: 'TestDBObfuscationOnLogBody',
    config: { allow_all_keys: true, db_sanitizer: { sql: { enabled: true }, allow_fallback_without_system: true } },
    records: [{ attributes: {}, body: 'SELECT password FROM users WHERE id = 42' }],
    bodies: ['SELECT password FROM users WHERE id = ?'],
  },
  {
    name: 'TestURLSanitizationOnLogBody',
    config: { allow_all_keys: true, url_sanitizer: { enabled: true } },
    records: [{ attributes: {}, body: '/api/orders/12345/details' }],
    bodies: ['/api/orders/*/details'],
  },
  {
    name: 'TestDBObfuscationErrorInAttribute (on log attributes)',
    config: { allow_all_keys: true, db_sanitizer: { sql: { enabled: true, attributes: ['db.statement'] } } },
    records: [{ attributes: { 'db.system': 'mysql', 'db.statement': 'SELECT * FROM users WHERE id = 123' } }],
    checks: [{ in: ATTRS, equal: { 'db.statement': 'SELECT * FROM users WHERE id = ?' } }],
  },
];

/** Per-record expectations of the multi-record cases (the Go tests assert each record on its own). */
export const PER_RECORD: Readonly<Record<string, readonly Values[]>> = {
  'TestDBObfuscationUsesDBSystemForAttributes (on log attributes)': [
    { 'db.statement': 'SELECT id, email FROM users WHERE id = ? AND email = ?' },
    { 'db.statement': 'SET user:12345 ?' },
  ],
  'TestDBObfuscationAttributesWithoutDBSystemDoesNothing (on log attributes)': [
    { 'db.statement': 'SELECT id FROM accounts WHERE id = 42' },
    { 'db.statement': 'SET user:999 secret' },
  ],
};
