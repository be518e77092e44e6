/**
 * The Collector redactionprocessor's `url_sanitizer`: a URL path loses its variable parts (ids,
 * UUIDs, numbers, random tokens), each replaced by `*`, so `/users/123/profile` becomes
 * `/users/*\/profile`. The Collector delegates this to grafana/clusterurl; these are its rules,
 * reimplemented from its documented behaviour and tested against its own cases
 * (test/processors/redaction/url-cases.ts):
 *
 * | step | rule |
 * |---|---|
 * | query | everything from the first `?`, `&` or `#` is dropped |
 * | segments | text between `/`; after the 10th `/` the rest is dropped (with that `/`) |
 * | characters | a segment of ASCII letters, `-`, `_`, `.` and spaces may be a word; any other character makes it `*`, except one such character in second place (`v1`, `k6-test-runs`, `j4elk`) |
 * | words | a candidate word is kept unless the gibberish model (url-model.ts) says its letter pairs are improbable (`fdklsd` → `*`); the segment cut by `?&#` is kept without that test |
 * | empty | empty segments stay empty (`/products//org`) |
 */
import { ALPHABET, LOG_PROB, THRESHOLD } from './url-model.js';

/** Segments kept: the 10th `/` and what follows it are dropped. */
const MAX_SEGMENTS = 10;
const WORD_MEMO_LIMIT = 8192;

/** ASCII letters and `-`, `_`, `.`, space. */
function wordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 45 || c === 95 || c === 46 || c === 32;
}

const INDEX = new Map(Array.from(ALPHABET, (ch, i) => [ch, i]));

/** True when the letters of `word` follow each other as improbably as in a random token. */
export function isGibberish(word: string): boolean {
  const letters: number[] = [];
  for (const ch of word.toLowerCase()) {
    const i = INDEX.get(ch);
    if (i !== undefined) letters.push(i);
  }
  let sum = 0;
  let pairs = 0;
  for (let k = 1; k < letters.length; k++) {
    sum += LOG_PROB[letters[k - 1]!]![letters[k]!]!;
    pairs++;
  }
  return Math.exp(sum / Math.max(pairs, 1)) <= THRESHOLD;
}

/** A compiled URL sanitizer (the word test is remembered per word: routes repeat). */
export interface UrlSanitizer {
  /** The path with its variable segments replaced by `*`. */
  sanitize(url: string): string;
}

export function urlSanitizer(): UrlSanitizer {
  const words = new Map<string, boolean>();
  const okWord = (w: string): boolean => {
    let ok = words.get(w);
    if (ok === undefined) {
      ok = !isGibberish(w);
      if (words.size < WORD_MEMO_LIMIT) words.set(w, ok);
    }
    return ok;
  };

  /** One segment: itself, `*`, or empty. `cut` marks the segment ended by `?&#` (no word test). */
  const segment = (s: string, cut: boolean): string => {
    if (s === '') return s;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (wordChar(c)) continue;
      // One character outside the word set is forgiven in second place (v1, k6-...), ASCII only.
      if (i === 1 && c < 128) continue;
      return '*';
    }
    return cut || okWord(s) ? s : '*';
  };

  return {
    sanitize(url: string): string {
      if (url === '') return url;
      const q = url.search(/[?&#]/);
      const path = q === -1 ? url : url.slice(0, q);
      const parts = path.split('/');
      const kept = parts.slice(0, MAX_SEGMENTS);
      const cutLast = q !== -1 && kept.length === parts.length;
      return kept.map((s, i) => segment(s, cutLast && i === kept.length - 1)).join('/');
    },
  };
}
