/**
 * Finds e-mail addresses, IP addresses and secret-looking tokens in free text. Every pattern
 * here is written for linear-time matching: bounded repetitions, no nested quantifiers over
 * overlapping classes, and a fixed prefix for the secret formats.
 */
import { isIPv6 } from 'node:net';

/** What a span of text is. */
export type TextFinding = 'email' | 'ip' | 'secret';

const EMAIL = /[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,16}/g;
const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
// No digit boundaries: two addresses written together (`10.0.0.110.0.0.2`) are both found;
// masking a little too much is the safe side for a redactor.
const IPV4 = new RegExp(`${OCTET}(?:\\.${OCTET}){3}`, 'g');
// Candidate IPv6 runs; addresses inside a run are confirmed by node:net isIPv6.
const IPV6_RUN = /[0-9A-Fa-f:.]{2,256}/g;
/** The longest textual IPv6 address (eight groups, embedded IPv4). */
const IPV6_MAX = 45;
const SECRETS: readonly RegExp[] = [
  /\b(?:sk|pk|rk)[-_](?:live[-_]|test[-_]|proj[-_])?[A-Za-z0-9_-]{16,}/g, // OpenAI / Stripe style keys
  /\bgh[pousr]_[A-Za-z0-9]{30,}/g, // GitHub tokens
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, // AWS access key ids
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, // JWTs
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, // Slack tokens
  /\b(?:Bearer|Basic)[ \t]+[A-Za-z0-9._~+/=-]{8,}/gi, // Authorization header values
  /-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----[\s\S]{0,16384}?-----END [A-Z ]{0,40}PRIVATE KEY-----/g,
];

/** Keys whose values are secrets whatever they look like (details maps, bodies). */
export const SECRET_KEY = /pass(?:word|wd)?|secret|token|api[-_]?key|authorization|credential|private[-_]?key/i;

interface Span {
  start: number;
  end: number;
  kind: TextFinding;
}

const isAddressChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102) || c === 58 || c === 46; // 0-9 A-F a-f : .

/**
 * An address found inside a longer run of address characters (`4.0.0.14.0.0.1`, addresses
 * written together) is ambiguous: truncating a guessed part could leave another address
 * readable. The whole run is then masked. Sentence punctuation around a run is not part of it.
 */
function widenAddress(text: string, span: Span): Span {
  let s = span.start;
  let e = span.end;
  while (s > 0 && isAddressChar(text.charCodeAt(s - 1))) s--;
  while (e < text.length && isAddressChar(text.charCodeAt(e))) e++;
  while (e > span.end && (text[e - 1] === '.' || text[e - 1] === ':')) e--;
  while (s < span.start && (text[s] === '.' || text[s] === ':')) s++;
  return s === span.start && e === span.end ? span : { start: s, end: e, kind: 'secret' };
}

const EMAIL_CHAR = /[A-Za-z0-9!#$%&'*+/=?^_`{|}~.@-]/;

/**
 * An e-mail match is widened to the whole run of e-mail characters around it: addresses
 * written together (`a@b.coc@d.org`) are then replaced as one, so no part of a second address
 * is left to be read again next to the replacement. Trailing dots are sentence punctuation.
 */
function widenEmail(text: string, span: Span): Span {
  let s = span.start;
  let e = span.end;
  while (s > 0 && EMAIL_CHAR.test(text[s - 1]!)) s--;
  while (e < text.length && EMAIL_CHAR.test(text[e]!)) e++;
  while (e > span.end && (text[e - 1] === '.' || text[e - 1] === '-')) e--;
  return { start: s, end: e, kind: 'email' };
}

/** Cheap tests that rule a pattern out before it runs (most strings hold no PII at all). */
const SECRET_HINT = /sk[-_]|pk[-_]|rk[-_]|gh[pousr]_|AKIA|ASIA|eyJ|xox[abprs]-|Bearer|Basic|-----BEGIN/i;
const IPV4_HINT = /[0-9]\.[0-9]/;

function collect(text: string): Span[] {
  const spans: Span[] = [];
  if (SECRET_HINT.test(text)) {
    for (const re of SECRETS) for (const m of text.matchAll(re)) spans.push({ start: m.index, end: m.index + m[0].length, kind: 'secret' });
  }
  if (text.includes('@')) {
    for (const m of text.matchAll(EMAIL)) spans.push(widenEmail(text, { start: m.index, end: m.index + m[0].length, kind: 'email' }));
  }
  if (IPV4_HINT.test(text)) {
    for (const m of text.matchAll(IPV4)) spans.push(widenAddress(text, { start: m.index, end: m.index + m[0].length, kind: 'ip' }));
  }
  const firstColon = text.indexOf(':');
  if (firstColon >= 0 && text.includes(':', firstColon + 1)) {
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
          spans.push(widenAddress(text, { start: m.index + i, end: m.index + found, kind: 'ip' }));
          i = found;
        } else i++;
      }
    }
  }
  // Overlapping findings are merged into one span (a finding is never dropped for overlapping
  // another); a merge of different kinds is treated as a secret, i.e. masked whole.
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
 * Rewrites every finding in `text` with `replace(kind, match)`; returns the text unchanged
 * (same string) when nothing is found.
 */
export function replaceFindings(text: string, replace: (kind: TextFinding, match: string) => string): string {
  if (text.length < 7) return text; // shorter than any address or token
  const spans = collect(text);
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + replace(s.kind, text.slice(s.start, s.end));
    at = s.end;
  }
  return out + text.slice(at);
}
