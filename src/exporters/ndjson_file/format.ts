/**
 * The archive's on-disk format, shared by the writer, `verify` and `query`.
 *
 *   DIR/seg-000001.ndjson.gz      closed segment: one unified event per line, gzip
 *   DIR/seg-000001.digest.json    its digest (closed)
 *   DIR/seg-000002.ndjson         the open segment
 *   DIR/seg-000002.digest.json    its digest as of the last flush (state "open")
 *
 * A digest, in the spirit of CloudTrail's digest files, records the segment's SHA-256 (of the
 * uncompressed NDJSON), its record count, first and last event time, the earliest and latest
 * event time (`min_time`, `max_time`: `query --since/--until` skips closed segments outside the
 * range; absent in digests written before they were added), a short hash of every line
 * (so `verify` can name the line that changed), and the SHA-256 of the previous closed digest
 * file, which chains the segments. It may be signed (Ed25519 or HMAC-SHA256) over its canonical
 * form without the signature.
 *
 * An archive holds one kind of event: unified audit events (digests without `content`) or, written
 * by an `ndjson_file` exporter with `ocsf: true`, OCSF 1.8.0 events (`content: "ocsf-1.8.0"`). An
 * OCSF line's id is its `metadata.uid` and its time `metadata.original_time` (the unified event's
 * `id` and `time`), so digests, deduplication and `verify` work the same on both.
 */
import { createReadStream } from 'node:fs';
import { cutLines } from '../../io/lines.js';
import { chunksUntilError, gunzipOf } from '../../io/stream-chunks.js';
import { createHash, createHmac, sign as edSign, timingSafeEqual, verify as edVerify, type KeyObject, hash } from 'node:crypto';
import { canonicalJson } from '../../model/canonical.js';
import { timeToHrTime } from '../../model/time.js';

export const DIGEST_FORMAT = 'auditkit-digest/v1';
/** The `content` of the digests of an archive of OCSF events. */
export const OCSF_CONTENT = 'ocsf-1.8.0';
/** What an archive holds: `undefined` for unified audit events. */
export type ArchiveContent = typeof OCSF_CONTENT | undefined;
/** Bytes of SHA-256 kept per line in `line_hashes`. */
export const LINE_HASH_BYTES = 8;

export interface DigestSignature {
  algorithm: 'ed25519' | 'hmac-sha256';
  key_id: string;
  /** base64 */
  value: string;
}

export interface Digest {
  format: typeof DIGEST_FORMAT;
  sequence: number;
  /** File name of the segment, relative to the archive directory. */
  segment: string;
  state: 'open' | 'closed';
  records: number;
  /** Bytes of uncompressed NDJSON. */
  bytes: number;
  /** SHA-256 (hex) of the uncompressed NDJSON. */
  sha256: string;
  first_time: string | null;
  last_time: string | null;
  /** The earliest and latest event time of the lines (by instant); absent in older digests. */
  min_time?: string | null;
  max_time?: string | null;
  /** base64 of the first 8 bytes of SHA-256 of each line (without its newline), in order. */
  line_hashes: string;
  /** SHA-256 (hex) of the previous closed digest file; null for the first segment. */
  previous_digest_sha256: string | null;
  /** When the segment was opened (RFC 3339), for rotation by age. */
  opened_at: string;
  /** When this digest was written (a flush, a close or a heartbeat); absent in older digests. */
  sealed_at?: string;
  /** What the lines are: absent for unified audit events. */
  content?: typeof OCSF_CONTENT;
  signature?: DigestSignature;
}

/** The earliest and latest of the event times added (by instant, to the nanosecond); text that is not a time is left out. */
export class TimeRange {
  min: string | null = null;
  max: string | null = null;
  private minS = 0;
  private minN = 0;
  private maxS = 0;
  private maxN = 0;

  add(time: string | null | undefined): void {
    if (time === null || time === undefined || time === this.max) return;
    let s: number;
    let n: number;
    try {
      [s, n] = timeToHrTime(time);
    } catch {
      return;
    }
    if (Number.isNaN(s)) return;
    if (this.min === null || s < this.minS || (s === this.minS && n < this.minN)) [this.min, this.minS, this.minN] = [time, s, n];
    if (this.max === null || s > this.maxS || (s === this.maxS && n > this.maxN)) [this.max, this.maxS, this.maxN] = [time, s, n];
  }
}

/** What the lines of an archive's kind of content are, in words (for errors). */
export const contentName = (content: ArchiveContent): string => (content === OCSF_CONTENT ? 'OCSF 1.8.0 events' : 'unified audit events');

/** The id and event time of a parsed archive line: a unified event's `id` and `time`, an OCSF event's `metadata.uid` and `metadata.original_time`. */
export function archivedIdTime(value: unknown): { id: string | undefined; time: string | undefined } {
  if (value === null || typeof value !== 'object') return { id: undefined, time: undefined };
  const v = value as { id?: unknown; time?: unknown; metadata?: unknown };
  const m = v.metadata !== null && typeof v.metadata === 'object' ? (v.metadata as { uid?: unknown; original_time?: unknown }) : undefined;
  const id = typeof v.id === 'string' ? v.id : typeof m?.uid === 'string' ? m.uid : undefined;
  const time = typeof v.time === 'string' ? v.time : typeof m?.original_time === 'string' ? m.original_time : undefined;
  return { id, time };
}

/** How digests are signed (writer) or checked (verify). */
export type SigningKey =
  { algorithm: 'ed25519'; keyId: string; key: KeyObject } | { algorithm: 'hmac-sha256'; keyId: string; key: string | Buffer };

export const segmentName = (seq: number): string => `seg-${String(seq).padStart(6, '0')}.ndjson`;
export const closedSegmentName = (seq: number): string => `${segmentName(seq)}.gz`;
export const digestName = (seq: number): string => `seg-${String(seq).padStart(6, '0')}.digest.json`;
export const FILE_PATTERN = /^seg-(\d{6,})\.(ndjson|ndjson\.gz|digest\.json)$/;

/** Archive file names grouped by segment sequence: sequence -> kinds (`ndjson`, `ndjson.gz`, `digest.json`). */
export function groupBySequence(names: readonly string[]): Map<number, Set<string>> {
  const seqs = new Map<number, Set<string>>();
  for (const f of names) {
    const m = FILE_PATTERN.exec(f);
    if (!m) continue;
    const seq = Number(m[1]);
    if (!seqs.has(seq)) seqs.set(seq, new Set());
    seqs.get(seq)!.add(m[2]!);
  }
  return seqs;
}

export const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
export const lineHash = (line: string | Buffer): Buffer => hash('sha256', line, 'buffer').subarray(0, LINE_HASH_BYTES);

/** Something signed the way digests are: its canonical JSON without `signature`. */
interface Signed {
  signature?: DigestSignature | undefined;
}

/** The bytes that are signed: the canonical JSON without `signature`. */
function signedBytes(digest: Signed): Buffer {
  const { signature: _signature, ...rest } = digest;
  return Buffer.from(canonicalJson(rest));
}

export function signDigest<T extends Signed>(digest: T, key: SigningKey): T {
  const data = signedBytes(digest);
  const value =
    key.algorithm === 'ed25519'
      ? edSign(null, data, key.key).toString('base64')
      : createHmac('sha256', key.key).update(data).digest('base64');
  return { ...digest, signature: { algorithm: key.algorithm, key_id: key.keyId, value } };
}

/** True when the signature is valid for `key` (the public key for Ed25519). */
export function checkSignature(digest: Signed, key: SigningKey): boolean {
  const sig = digest.signature;
  if (sig?.algorithm !== key.algorithm) return false;
  const data = signedBytes(digest);
  try {
    if (key.algorithm === 'ed25519') return edVerify(null, data, key.key, Buffer.from(sig.value, 'base64'));
    const expected = createHmac('sha256', key.key).update(data).digest('base64');
    const given = Buffer.from(sig.value, 'base64');
    const want = Buffer.from(expected, 'base64');
    return given.length === want.length && timingSafeEqual(given, want);
  } catch {
    return false;
  }
}

/** A digest file's text (stable formatting; its SHA-256 chains the next segment). */
export const digestText = (digest: Digest): string => `${JSON.stringify(digest, null, 1)}\n`;

/**
 * Complete lines of a segment file (uncompressed or gzip), as bytes. Bytes after the last
 * newline (a torn or appended partial line) are not returned; `onPartial` is told how many there
 * were. A read or decompression error rejects the iteration (never an unhandled stream error).
 */
export async function* segmentLines(file: string, onPartial?: (bytes: number) => void): AsyncGenerator<Buffer> {
  for await (const batch of segmentLineBatches(file, onPartial)) yield* batch;
}

/** The lines of a segment as `segmentLines` reads them, a batch per chunk read (one async step per chunk, not per line). */
export async function* segmentLineBatches(file: string, onPartial?: (bytes: number) => void): AsyncGenerator<Buffer[]> {
  const source = createReadStream(file, { highWaterMark: 256 * 1024 });
  const stream = file.endsWith('.gz') ? gunzipOf(source) : source;
  let carry = Buffer.alloc(0);
  try {
    for await (const chunk of chunksUntilError(stream)) {
      const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const lines: Buffer[] = [];
      // Lines are hashed as written: a `\r` stays part of its line.
      const rest = cutLines(buf, 0, false, (start, end) => lines.push(buf.subarray(start, end)));
      if (lines.length) yield lines;
      carry = Buffer.from(buf.subarray(rest));
    }
  } finally {
    source.destroy();
  }
  if (carry.length) onPartial?.(carry.length);
}
