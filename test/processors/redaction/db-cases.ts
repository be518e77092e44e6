/**
 * Database sanitizer cases, as data: the Collector's redactionprocessor internal/db/db_test.go
 * (TestObfuscate, TestObfuscateWithSystem, TestObfuscateAttribute at 805527a9, Apache-2.0), which
 * build the obfuscator with the processor's own configuration.
 */
import type { DbSanitizerOptions } from '../../../src/processors/redaction/db-sanitizer.js';

const SQL = { enabled: true, attributes: ['db.statement'] };
const REDIS = { enabled: true, attributes: ['db.statement'] };

export interface DbAttributeCase {
  name: string;
  config: DbSanitizerOptions;
  value: string;
  key: string;
  system: string;
  expected: string;
}

export const DB_ATTRIBUTE_CASES: readonly DbAttributeCase[] = [
  {
    name: 'sql statement',
    config: { sql: SQL },
    value: 'SELECT * FROM users WHERE id = 123',
    key: 'db.statement',
    system: 'mysql',
    expected: 'SELECT * FROM users WHERE id = ?',
  },
  {
    name: 'sql statement with mariadb system',
    config: { sql: SQL },
    value: 'UPDATE accounts SET balance = 10 WHERE id = 7',
    key: 'db.statement',
    system: 'mariadb',
    expected: 'UPDATE accounts SET balance = ? WHERE id = ?',
  },
  {
    name: 'non-db attribute',
    config: { sql: SQL },
    value: 'SELECT * FROM users',
    key: 'other.field',
    system: 'mysql',
    expected: 'SELECT * FROM users',
  },
  {
    name: 'missing db.system leaves attribute unchanged',
    config: { sql: SQL, redis: REDIS },
    value: 'SET user:123 john',
    key: 'db.statement',
    system: '',
    expected: 'SET user:123 john',
  },
  {
    name: 'missing db.system with fallback obfuscates sequentially',
    config: { sql: SQL, redis: REDIS, allow_fallback_without_system: true },
    value: 'SET user:123 john',
    key: 'db.statement',
    system: '',
    expected: 'SET user:? ?',
  },
  {
    name: 'no specific attributes',
    config: { sql: { enabled: true } },
    value: 'SELECT * FROM users',
    key: 'db.statement',
    system: 'mysql',
    expected: 'SELECT * FROM users',
  },
  {
    name: 'redis system selects redis obfuscator',
    config: { sql: SQL, redis: REDIS },
    value: 'SET user:123 john',
    key: 'db.statement',
    system: 'redis',
    expected: 'SET user:123 ?',
  },
  {
    name: 'valkey system uses valkey obfuscator',
    config: { valkey: { enabled: true, attributes: ['db.statement'] } },
    value: 'SET key value',
    key: 'db.statement',
    system: 'valkey',
    expected: 'SET key ?',
  },
  {
    name: 'mismatched system leaves attribute unchanged',
    config: { sql: SQL, redis: REDIS },
    value: 'SET user:123 john',
    key: 'db.statement',
    system: 'cassandra',
    expected: 'SET user:123 john',
  },
];

export interface DbSystemCase {
  name: string;
  config: DbSanitizerOptions;
  value: string;
  system: string;
  expected?: string;
  contains?: string;
}

const ALL: DbSanitizerOptions = {
  sql: SQL,
  redis: REDIS,
  memcached: { enabled: true, attributes: ['db.statement'] },
  mongo: { enabled: true, attributes: ['db.statement'] },
  opensearch: { enabled: true },
  es: { enabled: true },
};

export const DB_SYSTEM_CASES: readonly DbSystemCase[] = [
  {
    name: 'TestObfuscate: sql query',
    config: { sql: SQL, redis: REDIS, allow_fallback_without_system: true },
    value: 'SELECT * FROM users WHERE id = 123',
    system: '',
    expected: 'SELECT * FROM users WHERE id = ?',
  },
  {
    name: 'TestObfuscate: redis command',
    config: { sql: SQL, redis: REDIS, allow_fallback_without_system: true },
    value: 'SET user:123 john',
    system: '',
    expected: 'SET user:? ?',
  },
  {
    name: 'sql system',
    config: ALL,
    value: 'SELECT * FROM users WHERE id = 1',
    system: 'mysql',
    expected: 'SELECT * FROM users WHERE id = ?',
  },
  { name: 'redis system', config: ALL, value: 'SET user:1 top-secret', system: 'redis', expected: 'SET user:1 ?' },
  { name: 'memcached system', config: ALL, value: 'set mykey 0 60 5\r\nsecret\r\n', system: 'memcached', expected: 'set mykey 0 60 5' },
  { name: 'mongodb system', config: ALL, value: '{"find":"users","filter":{"name":"john"}}', system: 'mongodb', contains: '"find":"?"' },
  {
    name: 'opensearch system',
    config: ALL,
    value: '{"query":{"match":{"title":"secret"}}}',
    system: 'opensearch',
    contains: '"title":"?"',
  },
  {
    name: 'elasticsearch system',
    config: ALL,
    value: '{"query":{"match":{"title":"secret"}}}',
    system: 'elasticsearch',
    contains: '"title":"?"',
  },
  {
    name: 'missing system leaves value unchanged',
    config: ALL,
    value: 'SELECT * FROM users WHERE id = 1',
    system: '',
    expected: 'SELECT * FROM users WHERE id = 1',
  },
  { name: 'unknown system leaves unchanged', config: ALL, value: 'SET key value', system: 'unknown', expected: 'SET key value' },
];
