/**
 * Finds e-mail addresses, IP addresses and secrets in free text, by a table of detectors
 * (`DETECTORS`): each has a name, a cheap prefilter, a linear-time pattern (bounded
 * repetitions, no nested quantifiers over overlapping classes) and, where a bare pattern would
 * be too eager, a context rule (the text just before the match, or the key the value is under).
 *
 * Text is decoded before matching where it is encoded (`%40`, `\u0040`, `&#64;`, `&commat;`,
 * full-width forms such as `＠`), and a finding covers the whole encoded run in the original.
 * Key names classify their value whatever it looks like (`classifyKey`).
 */
import { isIPv6 } from 'node:net';

/** What a span of text is. */
export type TextFinding = 'email' | 'ip' | 'secret';

/** One detector of the table. */
export interface Detector {
  name: string;
  kind: TextFinding;
  /** What it matches, for README. */
  what: string;
  /** A value it must find (README's example; test/redact/detectors.test.ts checks each). */
  example: string;
  /** A cheap test on the (decoded) text; the pattern runs only when it holds (or when `key` holds). */
  prefilter: RegExp;
  /** Global pattern, linear-time. */
  pattern?: RegExp;
  /** For what a pattern cannot say: every [start, end) found. */
  find?: (text: string) => Iterable<readonly [number, number]>;
  /** The match counts only when this holds of it (e.g. base64 that decodes to `user:password`). */
  check?: (match: string) => boolean;
  /** Context: the match counts only when the 48 characters before it end with this, or the key matches `key`. */
  before?: RegExp;
  key?: RegExp;
  /** Never under a key that matches this (e.g. `artifact_digest`, `cli_version`). */
  notKey?: RegExp;
  /** Where the match ends when it runs on (a private key block without its END line runs to the end). */
  extend?: (text: string, end: number) => number;
}

const EMAIL_LOCAL = "[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~.-]{1,64}";
const EMAIL_DOMAIN = '[\\p{L}\\p{N}-]{1,63}(?:\\.[\\p{L}\\p{N}-]{1,63}){0,16}';
const OCTET = '(?:25[0-5]|2[0-4][0-9]|[01]?[0-9]?[0-9])';
/** Keys whose values are versions, digests and hashes: never read as IPs or keys. */
const BENIGN_KEY = /version|build|release|digest|hash|sha\d*|checksum|etag|md5|commit|revision/i;
/** Key-like names: a 40-hex value under them is a key. */
const KEYISH = /key|token|secret|auth|credential|password|passwd/i;
const ASSIGN = `["']?\\s{0,3}[:=]\\s{0,3}["']?`;

/** The longest textual IPv6 address (eight groups, embedded IPv4). */
const IPV6_MAX = 45;
const IPV6_RUN = /[0-9A-Fa-f:.]{2,256}/g;

function* findIpv6(text: string): Iterable<readonly [number, number]> {
  for (const m of text.matchAll(IPV6_RUN)) {
    const run = m[0];
    if (run.split(':').length < 3) continue;
    // The longest address starting at each position, so addresses written together
    // (`2001:db8::12001:db8::2`) or glued to other hex text are each found. Bounded: at most
    // 45 lengths per position of a run of at most 256 characters.
    for (let i = 0; i < run.length - 1;) {
      let found = 0;
      for (let end = Math.min(run.length, i + IPV6_MAX); end > i + 1; end--) {
        if (isIPv6(run.slice(i, end))) {
          found = end;
          break;
        }
      }
      if (found) {
        yield [m.index + i, m.index + found];
        i = found;
      } else i++;
    }
  }
}

/** A base64 token that decodes to printable `user:password`. */
function isBasicCredential(match: string): boolean {
  const token = match.replace(/^Basic[ \t]+/i, '');
  const text = Buffer.from(token, 'base64').toString('latin1');
  return text.includes(':') && /^[\x20-\x7e]+$/.test(text);
}

/** A private key block runs to its END line, or to the end of the text when there is none. */
function toEndLine(text: string, end: number): number {
  const at = text.indexOf('-----END ', end);
  if (at < 0) return text.length;
  const close = text.indexOf('-----', at + 9);
  return close < 0 ? text.length : close + 5;
}

export const DETECTORS: readonly Detector[] = [
  {
    name: 'email',
    kind: 'email',
    what: 'an e-mail address, internationalized ones included, also encoded (`%40`, `\\u0040`, `&#64;`, `＠`)',
    example: 'jó.müller@bücher-idn.de',
    prefilter: /@/,
    pattern: new RegExp(`${EMAIL_LOCAL}@${EMAIL_DOMAIN}`, 'gu'),
  },
  {
    name: 'email-quoted',
    kind: 'email',
    what: 'an e-mail address with a quoted local part',
    example: '"first.last"@example.com',
    prefilter: /"@/,
    pattern: new RegExp(`"[^"\\\\\\r\\n]{1,64}"@${EMAIL_DOMAIN}`, 'gu'),
  },
  {
    name: 'ipv4',
    kind: 'ip',
    what: 'an IPv4 address, leading zeros included (not under a version, build or digest key)',
    example: '010.020.030.040',
    prefilter: /[0-9]\.[0-9]/,
    pattern: new RegExp(`${OCTET}(?:\\.${OCTET}){3}`, 'g'),
    notKey: BENIGN_KEY,
  },
  {
    name: 'ipv6',
    kind: 'ip',
    what: 'an IPv6 address (confirmed by node:net)',
    example: '2001:db8:4f2a::17',
    prefilter: /:[0-9A-Fa-f]*:/,
    find: findIpv6,
    notKey: BENIGN_KEY,
  },
  {
    name: 'private-key',
    kind: 'secret',
    what: 'a PEM or PGP private key block, to its END line or, without one, to the end of the text',
    example: '-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBF...',
    prefilter: /-----BEGIN /,
    pattern: /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/g,
    extend: toEndLine,
  },
  {
    name: 'api-key-prefixed',
    kind: 'secret',
    what: 'OpenAI and Stripe style keys (`sk-`, `pk_live_`, `rk_test_`, ...)',
    example: 'sk_live_4eC39HqLyjWDarjtT1zdp7dc',
    prefilter: /[spr]k[-_]/,
    pattern: /\b(?:sk|pk|rk)[-_](?:live[-_]|test[-_]|proj[-_])?[A-Za-z0-9_-]{16,}/g,
  },
  {
    name: 'github-token',
    kind: 'secret',
    what: 'GitHub tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`)',
    example: 'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
    prefilter: /gh[pousr]_|github_pat_/,
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})/g,
  },
  {
    name: 'gitlab-token',
    kind: 'secret',
    what: 'GitLab tokens (`glpat-`, `gldt-`, `glrt-`, `glptt-`)',
    example: 'glpat-xxxxxxxxxxxxxxxxxxxx',
    prefilter: /gl(?:pat|dt|rt|ptt)-/,
    pattern: /\bgl(?:pat|dt|rt|ptt)-[A-Za-z0-9_-]{20,}/g,
  },
  {
    name: 'aws-access-key-id',
    kind: 'secret',
    what: 'AWS access key ids (`AKIA…`, `ASIA…`)',
    example: 'AKIAIOSFODNN7EXAMPLE',
    prefilter: /AKIA|ASIA/,
    pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  },
  {
    name: 'aws-secret-access-key',
    kind: 'secret',
    what: '40 base64 characters after `aws_secret_access_key`, `SecretAccessKey` and the like',
    example: 'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    prefilter: /secret.?access.?key/i,
    pattern: /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])/g,
    before: new RegExp(`secret.?access.?key${ASSIGN}$`, 'i'),
    key: /secret.?access.?key/i,
  },
  {
    name: 'google-api-key',
    kind: 'secret',
    what: 'Google API keys (`AIza…`)',
    example: 'AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe',
    prefilter: /AIza/,
    pattern: /\bAIza[0-9A-Za-z_-]{35}/g,
  },
  {
    name: 'slack-token',
    kind: 'secret',
    what: 'Slack tokens (`xoxb-`, `xoxp-`, ...)',
    example: 'xoxb-123456789012-abcdefghij',
    prefilter: /xox[abprs]-/,
    pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/g,
  },
  {
    name: 'jwt',
    kind: 'secret',
    what: 'JSON Web Tokens, an empty signature included',
    example: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiIxMjMifQ.',
    prefilter: /eyJ/,
    pattern: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g,
  },
  {
    name: 'authorization',
    kind: 'secret',
    what: '`Bearer` or `Basic` and a token of 8 or more characters with a digit or symbol in it, or of 20 or more (prose such as "Basic authentication" is not a token)',
    example: 'Bearer abc.def.ghi-long-token',
    prefilter: /bearer|basic/i,
    pattern: /\b(?:Bearer|Basic)[ \t]+[A-Za-z0-9._~+/=-]{8,4096}/gi,
    check: (m) => {
      const token = m.replace(/^\S+[ \t]+/, '');
      return token.length >= 20 || /[0-9._~+/=-]/.test(token);
    },
  },
  {
    name: 'authorization-short',
    kind: 'secret',
    what: 'any `Bearer`, `Basic` or `Token` value right after `Authorization:`, however short',
    example: 'Authorization: Token abc',
    prefilter: /authorization/i,
    pattern: /\b(?:Bearer|Basic|Token)[ \t]+[A-Za-z0-9._~+/=-]{1,4096}/gi,
    before: new RegExp(`authorization${ASSIGN}$`, 'i'),
  },
  {
    name: 'basic-credentials',
    kind: 'secret',
    what: '`Basic` and base64 of `user:password`, however short',
    example: 'Basic YTpi',
    prefilter: /basic/i,
    pattern: /\bBasic[ \t]+[A-Za-z0-9+/]{2,4096}={0,2}(?![A-Za-z0-9+/=])/gi,
    check: isBasicCredential,
  },
  {
    name: 'url-query-secret',
    kind: 'secret',
    what: 'the value of a secret query parameter (`access_token=`, `token=`, `api_key=`, `password=`, `signature=`, `X-Amz-Signature=`, ...)',
    example: 'https://h.example/cb?access_token=ya29.a0AfH6SM',
    prefilter: /[?&;][\w-]{2,40}=/,
    pattern:
      /(?<=[?&;](?:access_token|refresh_token|id_token|token|api_key|apikey|key|password|passwd|pwd|secret|client_secret|signature|sig|auth|code|x-amz-signature|x-amz-credential|x-amz-security-token)=)[^&#\s"'<>]{1,4096}/gi,
  },
  {
    name: 'url-userinfo',
    kind: 'secret',
    what: 'the password in a URL (`https://user:password@host`)',
    example: 'https://admin:hunter2@wandb.example.com',
    prefilter: /:\/\//,
    pattern: /(?<=[A-Za-z][A-Za-z0-9+.-]{0,20}:\/\/[^/\s:@]{0,128}:)[^/\s@]{1,128}(?=@)/g,
  },
  {
    name: 'wandb-api-key',
    kind: 'secret',
    what: 'a W&B API key: 40 hex characters under a key-like name or after `api_key`, `WANDB_API_KEY`, `Authorization` (never under a digest or hash key)',
    example: 'WANDB_API_KEY=0123456789abcdef0123456789abcdef01234567',
    prefilter: /api.?key|authorization|token|secret|password|credential/i,
    pattern: /(?<![0-9A-Fa-f])[0-9a-f]{40}(?![0-9A-Fa-f])/g,
    before: new RegExp(`(?:api.?key|authorization|token|secret|password|credential)s?${ASSIGN}(?:(?:Bearer|Basic)[ \\t]+)?$`, 'i'),
    key: KEYISH,
    notKey: BENIGN_KEY,
  },
];

/** Key names that classify their value (case- and separator-insensitive words). */
export type KeyClass = 'email' | 'name' | 'ip' | 'secret';

const NAME_KEYS = new Set([
  'username',
  'fullname',
  'displayname',
  'firstname',
  'lastname',
  'realname',
  'givenname',
  'familyname',
  'nickname',
]);
const SECRET_WORDS = new Set([
  'password',
  'passwords',
  'passwd',
  'pwd',
  'secret',
  'secrets',
  'token',
  'tokens',
  'apikey',
  'credential',
  'credentials',
  'authorization',
  'privatekey',
  'passphrase',
]);
/** A last word that makes the key describe a secret rather than hold it (`token_count`). */
const ABOUT_WORDS = new Set([
  'count',
  'length',
  'size',
  'type',
  'kind',
  'expiry',
  'expires',
  'expired',
  'ttl',
  'limit',
  'used',
  'id',
  'name',
]);

/** Splits a key into lower-case words: `apiKey`, `api_key`, `API-Key` and `api key` all give [api, key]. */
function words(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** Audit logs repeat the same keys: their classes are remembered (bounded). */
const KEY_CLASSES = new Map<string, KeyClass | null>();

/** What a key name says its value is, if anything. */
export function classifyKey(key: string): KeyClass | undefined {
  let cls = KEY_CLASSES.get(key);
  if (cls === undefined) {
    if (KEY_CLASSES.size >= 10_000) KEY_CLASSES.clear();
    cls = classifyKeyUncached(key) ?? null;
    KEY_CLASSES.set(key, cls);
  }
  return cls ?? undefined;
}

function classifyKeyUncached(key: string): KeyClass | undefined {
  if (key.length > 64) return undefined;
  const w = words(key);
  if (w.length === 0) return undefined;
  const joined = w.join('');
  const last = w[w.length - 1]!;
  const pairs = w.slice(1).map((x, i) => w[i]! + x);
  if (!ABOUT_WORDS.has(last) && (w.some((x) => SECRET_WORDS.has(x)) || pairs.some((p) => SECRET_WORDS.has(p)) || SECRET_WORDS.has(joined)))
    return 'secret';
  if (w.includes('email') || w.includes('emails') || joined.endsWith('emailaddress') || w.includes('mail')) return 'email';
  if ([...NAME_KEYS].some((n) => joined === n || joined.endsWith(n))) return 'name';
  if (w.includes('ip') || w.includes('ips') || joined.endsWith('ipaddress') || joined.endsWith('ipaddr')) return 'ip';
  return undefined;
}

interface Span {
  start: number;
  end: number;
  kind: TextFinding;
}

/** Encoded forms that are decoded before matching. */
const ENCODED = /%[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}|&#|&commat;|&period;|[\uFE6B\uFF01-\uFF5E]/;

/** The text decoded, with the original index of each decoded character (and one past the end). */
function decodeView(text: string): { text: string; origin: Int32Array } | undefined {
  if (!ENCODED.test(text)) return undefined;
  let out = '';
  const origin: number[] = [];
  const hex = (s: string): number => parseInt(s, 16);
  for (let i = 0; i < text.length;) {
    const c = text.charCodeAt(i);
    let ch: string | undefined;
    let len = 1;
    if (c === 37 /* % */ && /^[0-7][0-9A-Fa-f]$/.test(text.slice(i + 1, i + 3))) {
      ch = String.fromCharCode(hex(text.slice(i + 1, i + 3)));
      len = 3;
    } else if (c === 92 /* \ */ && text[i + 1] === 'u' && /^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6))) {
      ch = String.fromCharCode(hex(text.slice(i + 2, i + 6)));
      len = 6;
    } else if (c === 38 /* & */) {
      const m = /^&(?:#(\d{1,6})|#[xX]([0-9A-Fa-f]{1,6})|(commat)|(period));/.exec(text.slice(i, i + 12));
      if (m) {
        const code = m[1] ? Number(m[1]) : m[2] ? hex(m[2]) : m[3] ? 64 : 46;
        if (code <= 0x10ffff) {
          ch = String.fromCodePoint(code);
          len = m[0].length;
        }
      }
    } else if (c >= 0xff01 && c <= 0xff5e) ch = String.fromCharCode(c - 0xfee0);
    else if (c === 0xfe6b) ch = '@';
    ch ??= text[i]!;
    // One origin per UTF-16 code unit (a decoded astral character is two).
    origin.push(...new Array<number>(ch.length).fill(i));
    out += ch;
    i += len;
  }
  origin.push(text.length);
  return { text: out, origin: Int32Array.from(origin) };
}

/** An address found inside a longer run of address characters is ambiguous: the whole run is masked. */
const isAddressChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102) || c === 58 || c === 46; // 0-9 A-F a-f : .

function widenAddress(text: string, span: Span): Span {
  let s = span.start;
  let e = span.end;
  while (s > 0 && isAddressChar(text.charCodeAt(s - 1))) s--;
  while (e < text.length && isAddressChar(text.charCodeAt(e))) e++;
  while (e > span.end && (text[e - 1] === '.' || text[e - 1] === ':')) e--;
  while (s < span.start && (text[s] === '.' || text[s] === ':')) s++;
  return s === span.start && e === span.end ? span : { start: s, end: e, kind: 'secret' };
}

const EMAIL_CHAR = /[\p{L}\p{N}!#$%&'*+/=?^_`{|}~.@-]/u;

/**
 * An e-mail match is widened to the whole run of e-mail characters around it: addresses
 * written together (`a@b.coc@d.org`) are then replaced as one. Trailing dots are punctuation.
 */
function widenEmail(text: string, span: Span): Span {
  let s = span.start;
  let e = span.end;
  while (s > 0 && EMAIL_CHAR.test(text[s - 1]!)) s--;
  while (e < text.length && EMAIL_CHAR.test(text[e]!)) e++;
  while (e > span.end && (text[e - 1] === '.' || text[e - 1] === '-')) e--;
  return { start: s, end: e, kind: 'email' };
}

/** Any detector's prefilter (a superset: case-insensitive): most strings fail it and skip the table. */
const ANY_PREFILTER = new RegExp(DETECTORS.map((d) => `(?:${d.prefilter.source})`).join('|'), 'i');
/** Whether a key can make a detector run without its prefilter. */
const keyMatters = (key: string): boolean => DETECTORS.some((d) => d.key?.test(key));

/** Every finding of every detector in `text` (already decoded), merged. */
function collect(text: string, key: string | undefined, kinds: ReadonlySet<TextFinding> | undefined): Span[] {
  if (!ANY_PREFILTER.test(text) && (key === undefined || !keyMatters(key))) return [];
  const spans: Span[] = [];
  for (const d of DETECTORS) {
    if (kinds && !kinds.has(d.kind)) continue;
    if (key !== undefined && d.notKey?.test(key)) continue;
    const byKey = key !== undefined && (d.key?.test(key) ?? false);
    if (!byKey && !d.prefilter.test(text)) continue;
    const found: Iterable<readonly [number, number]> = d.find
      ? d.find(text)
      : [...text.matchAll(d.pattern!)].map((m) => [m.index, m.index + m[0].length] as const);
    // A widened finding covers its whole run: later matches inside it add nothing (and widening
    // each again would be quadratic on a run such as `1.1.1.1.1…`).
    let coveredUntil = -1;
    for (const [start, end0] of found) {
      if (start < coveredUntil) continue;
      if (d.check && !d.check(text.slice(start, end0))) continue;
      if (d.before && !byKey && !d.before.test(text.slice(Math.max(0, start - 48), start))) continue;
      const end = d.extend ? d.extend(text, end0) : end0;
      const span: Span = { start, end, kind: d.kind };
      const widened = d.kind === 'email' ? widenEmail(text, span) : d.kind === 'ip' ? widenAddress(text, span) : span;
      if (widened !== span) coveredUntil = widened.end;
      spans.push(widened);
    }
  }
  return mergeSpans(spans);
}

/**
 * Overlapping findings are merged into one span (a finding is never dropped for overlapping
 * another); a merge of different kinds is treated as a secret, i.e. masked whole.
 */
function mergeSpans(spans: Span[]): Span[] {
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s.start < last.end) {
      if (s.end > last.end || s.kind !== last.kind) {
        last.end = Math.max(last.end, s.end);
        if (s.kind !== last.kind) last.kind = 'secret';
      }
    } else merged.push({ ...s });
  }
  return merged;
}

/**
 * Rewrites every finding in `text` with `replace(kind, decoded match, original text)`; returns the text
 * unchanged (same string) when nothing is found. `key` is the name the text is under, for the
 * detectors' context rules; `kinds` limits the detectors to those kinds. An encoded finding is
 * replaced whole, its encoding included.
 */
export function replaceFindings(
  text: string,
  replace: (kind: TextFinding, match: string, original: string) => string,
  key?: string,
  kinds?: ReadonlySet<TextFinding>,
): string {
  if (text.length < 4) return text; // shorter than any address or token
  // The text as written, and decoded where it is encoded: a finding of either counts (decoding
  // can also hide one, `%0a@example.com` is an address as written), mapped back to the original.
  let spans = collect(text, key, kinds);
  const view = decodeView(text);
  if (view) {
    const decoded = collect(view.text, key, kinds).map((s) => ({ start: view.origin[s.start]!, end: view.origin[s.end]!, kind: s.kind }));
    if (decoded.length) spans = mergeSpans([...spans, ...decoded]);
  }
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const s of spans) {
    const original = text.slice(s.start, s.end);
    out += text.slice(at, s.start) + replace(s.kind, view ? (decodeView(original)?.text ?? original) : original, original);
    at = s.end;
  }
  return out + text.slice(at);
}
