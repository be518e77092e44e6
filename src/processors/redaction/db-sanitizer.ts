/**
 * The Collector redactionprocessor's `db_sanitizer`: literal values are taken out of database
 * statements and commands so `SELECT * FROM users WHERE email = 'a@b.c'` keeps its shape and
 * loses the address. The Collector delegates this to Datadog's obfuscator; these are its rules as
 * the Collector's tests and documentation show them, reimplemented here:
 *
 * | system | db.system(.name) values | what is replaced |
 * |---|---|---|
 * | `sql` | other_sql, mysql, postgresql, mariadb, sqlite | string literals (`'…'`, `E'…'`, `$$…$$`) and numbers become `?`; digits inside identifiers become `?` (`users_2019` → `users_?`); quoted identifiers, comments, bind parameters (`?`, `$1`, `:name`) stay |
 * | `redis`, `valkey` | redis, valkey | the values of commands that write (`SET k v` → `SET k ?`, `HSET k f v` → `HSET k f ?`, `AUTH …` → `AUTH ?`); reads (`GET k`) are unchanged |
 * | `memcached` | memcached | everything after the command line (the data block) |
 * | `mongo`, `opensearch`, `es` | mongodb, opensearch, elasticsearch | every scalar of a JSON document becomes `"?"` (compact JSON out); text that is not a JSON object or array is unchanged |
 *
 * Selection, as in the Collector: an attribute listed by an enabled sanitizer is rewritten by the
 * first enabled sanitizer whose system matches the record's `db.system.name` (or `db.system`);
 * with no system the value is left alone unless `allow_fallback_without_system`, which runs every
 * sanitizer listing the attribute in turn. A string log body is rewritten by the sanitizer of the
 * record's system, or with the fallback by every enabled one.
 */

/** One sanitizer's options. */
export interface DbSystemOptions {
  enabled?: boolean;
  attributes?: string[];
}

/** `db_sanitizer`. */
export interface DbSanitizerOptions {
  sql?: DbSystemOptions;
  redis?: DbSystemOptions;
  valkey?: DbSystemOptions;
  memcached?: DbSystemOptions;
  mongo?: DbSystemOptions;
  opensearch?: DbSystemOptions;
  es?: DbSystemOptions;
  allow_fallback_without_system?: boolean;
}

type Kind = Exclude<keyof DbSanitizerOptions, 'allow_fallback_without_system'>;

// ---------------------------------------------------------------------------------------------
// SQL

const IDENT_START = /[A-Za-z_@#\u0080-\uffff]/;
const IDENT_PART = /[A-Za-z0-9_$@#\u0080-\uffff]/;

/** The end of a quoted run starting at `i` (the quote), honouring doubled quotes and backslashes. */
function quotedEnd(s: string, i: number, quote: string): number {
  let j = i + 1;
  while (j < s.length) {
    const c = s[j]!;
    if (c === '\\' && quote === "'") j += 2;
    else if (c === quote) {
      if (s[j + 1] === quote) j += 2;
      else return j + 1;
    } else j++;
  }
  return s.length;
}

/** SQL with its literals replaced by `?`. */
export function obfuscateSql(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    const next = s[i + 1];
    if (c === '-' && next === '-') {
      const end = s.indexOf('\n', i);
      const stop = end === -1 ? s.length : end;
      out += s.slice(i, stop);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = s.indexOf('*/', i + 2);
      const stop = end === -1 ? s.length : end + 2;
      out += s.slice(i, stop);
      i = stop;
    } else if (c === "'") {
      out += '?';
      i = quotedEnd(s, i, "'");
    } else if (c === '"' || c === '`') {
      const stop = quotedEnd(s, i, c);
      out += s.slice(i, stop);
      i = stop;
    } else if (c === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(s.slice(i));
      if (tag) {
        const end = s.indexOf(tag[0], i + tag[0].length);
        out += '?';
        i = end === -1 ? s.length : end + tag[0].length;
      } else {
        const param = /^\$\d+/.exec(s.slice(i));
        const len = param ? param[0].length : 1;
        out += s.slice(i, i + len);
        i += len;
      }
    } else if (/[0-9]/.test(c) || (c === '.' && next !== undefined && /[0-9]/.test(next))) {
      // A number (decimal, hex, exponent); the identifier case below takes digits after letters.
      let j = i + 1;
      while (j < s.length && /[0-9A-Fa-fxX.]/.test(s[j]!)) {
        if ((s[j] === 'e' || s[j] === 'E') && (s[j + 1] === '+' || s[j + 1] === '-')) j++;
        j++;
      }
      out += '?';
      i = j;
    } else if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < s.length && IDENT_PART.test(s[j]!)) j++;
      const word = s.slice(i, j);
      // N'…', E'…', X'…', B'…': a literal with a prefix.
      if (s[j] === "'" && /^[NnEeXxBbUu]$/.test(word)) {
        out += '?';
        i = quotedEnd(s, j, "'");
        continue;
      }
      out += word.replace(/[0-9]+/g, '?');
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Redis / Valkey

/** How many arguments a writing command keeps before its values become `?`. */
const REDIS_KEEP: ReadonlyMap<string, number> = new Map([
  ...['AUTH'].map((c) => [c, 0] as const),
  ...['APPEND', 'GETSET', 'LPUSHX', 'RPUSHX', 'SET', 'SETNX', 'SISMEMBER', 'ZRANK', 'ZREVRANK', 'ZSCORE', 'GEORADIUSBYMEMBER'].map(
    (c) => [c, 1] as const,
  ),
  ...['HSETNX', 'LREM', 'LSET', 'SETBIT', 'SETEX', 'PSETEX', 'SETRANGE', 'ZINCRBY', 'SMOVE', 'RESTORE'].map((c) => [c, 2] as const),
  ...['LINSERT'].map((c) => [c, 3] as const),
  // Key, then members: the members are values.
  ...['LPUSH', 'RPUSH', 'SADD', 'SREM', 'ZREM', 'GEOHASH', 'GEOPOS', 'GEODIST'].map((c) => [c, 1] as const),
]);
/** Commands of key/field then value pairs: every second argument after `skip` is a value. */
const REDIS_PAIRS: ReadonlyMap<string, number> = new Map([
  ['HSET', 1],
  ['HMSET', 1],
  ['MSET', 0],
  ['MSETNX', 0],
]);

function redisTokens(line: string): string[] {
  return line.match(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\S+/g) ?? [];
}

function obfuscateRedisLine(line: string): string {
  const tokens = redisTokens(line);
  if (tokens.length < 2) return line;
  const [cmd, ...args] = tokens as [string, ...string[]];
  const upper = cmd.toUpperCase();
  if (upper === 'CONFIG' && args[0]?.toUpperCase() === 'SET' && args.length > 2) return [cmd, args[0], args[1], '?'].join(' ');
  const keep = REDIS_KEEP.get(upper);
  if (keep !== undefined) return args.length > keep ? [cmd, ...args.slice(0, keep), '?'].join(' ') : line;
  const skip = REDIS_PAIRS.get(upper);
  if (skip !== undefined) return [cmd, ...args.map((a, i) => (i >= skip && (i - skip) % 2 === 1 ? '?' : a))].join(' ');
  return line;
}

/** Redis commands (one per line) with the values they write replaced by `?`. */
export function obfuscateRedis(s: string): string {
  return s
    .split('\n')
    .map((line) => obfuscateRedisLine(line.trim()))
    .join('\n');
}

// ---------------------------------------------------------------------------------------------
// Memcached, JSON stores

/** A memcached command without its data block. */
export function obfuscateMemcached(s: string): string {
  const end = s.indexOf('\r\n');
  return (end === -1 ? s : s.slice(0, end)).trim();
}

function scrubJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(scrubJson);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v))
      Object.defineProperty(out, k, { value: scrubJson(x), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return '?';
}

/** A JSON query (MongoDB, OpenSearch, Elasticsearch) with every scalar replaced by `"?"`. */
export function obfuscateJson(s: string): string {
  const t = s.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return s;
  try {
    return JSON.stringify(scrubJson(JSON.parse(t)));
  } catch {
    return s;
  }
}

// ---------------------------------------------------------------------------------------------
// Selection

const SYSTEMS: Record<Kind, { systems: readonly string[]; obfuscate: (s: string) => string }> = {
  sql: { systems: ['other_sql', 'mysql', 'postgresql', 'mariadb', 'sqlite'], obfuscate: obfuscateSql },
  redis: { systems: ['redis'], obfuscate: obfuscateRedis },
  valkey: { systems: ['valkey'], obfuscate: obfuscateRedis },
  memcached: { systems: ['memcached'], obfuscate: obfuscateMemcached },
  mongo: { systems: ['mongodb'], obfuscate: obfuscateJson },
  opensearch: { systems: ['opensearch'], obfuscate: obfuscateJson },
  es: { systems: ['elasticsearch'], obfuscate: obfuscateJson },
};
/** The Collector's order: the first match wins. */
export const DB_KINDS: readonly Kind[] = ['sql', 'redis', 'valkey', 'memcached', 'mongo', 'opensearch', 'es'];

/** A compiled `db_sanitizer`. */
export interface DbSanitizer {
  /** True when some enabled sanitizer lists attributes. */
  readonly hasAttributes: boolean;
  /** The attribute's value rewritten for the record's system (`''` when it has none). */
  attribute(value: string, key: string, system: string): string;
  /** A string body rewritten for the record's system. */
  body(value: string, system: string): string;
}

interface Compiled {
  attributes: ReadonlySet<string>;
  systems: ReadonlySet<string>;
  obfuscate: (s: string) => string;
}

/** Compiles `db_sanitizer`; undefined when no sanitizer is enabled. */
export function dbSanitizer(options: DbSanitizerOptions | undefined): DbSanitizer | undefined {
  if (!options) return undefined;
  const compiled: Compiled[] = [];
  for (const kind of DB_KINDS) {
    const o = options[kind];
    if (o?.enabled !== true) continue;
    compiled.push({ attributes: new Set(o.attributes ?? []), systems: new Set(SYSTEMS[kind].systems), obfuscate: SYSTEMS[kind].obfuscate });
  }
  if (compiled.length === 0) return undefined;
  const fallback = options.allow_fallback_without_system === true;
  const hasAttributes = compiled.some((c) => c.attributes.size > 0);
  return {
    hasAttributes,
    attribute(value, key, system) {
      if (!hasAttributes) return value;
      const sys = system.toLowerCase();
      if (sys === '') {
        if (!fallback) return value;
        let out = value;
        for (const c of compiled) if (c.attributes.has(key)) out = c.obfuscate(out);
        return out;
      }
      const c = compiled.find((x) => x.systems.has(sys) && x.attributes.has(key));
      return c ? c.obfuscate(value) : value;
    },
    body(value, system) {
      const sys = system.toLowerCase();
      if (sys === '') {
        if (!fallback) return value;
        let out = value;
        for (const c of compiled) out = c.obfuscate(out);
        return out;
      }
      const c = compiled.find((x) => x.systems.has(sys));
      return c ? c.obfuscate(value) : value;
    },
  };
}
