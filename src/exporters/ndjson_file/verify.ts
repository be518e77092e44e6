/**
 * `auditkit verify`: checks every segment against its digest and every digest against the
 * chain (and its signature when the archive is signed), and names each problem with the
 * segment, the line and what is wrong. Finds a modified, inserted, deleted or reordered line, a
 * truncated, deleted or swapped segment, an edited digest, and a digest forged without the key.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import {
  LINE_HASH_BYTES,
  OCSF_CONTENT,
  TimeRange,
  archivedIdTime,
  contentName,
  groupBySequence,
  checkSignature,
  closedSegmentName,
  digestName,
  lineHash,
  segmentLines,
  segmentName,
  sha256Hex,
  type Digest,
  type SigningKey,
} from './format.js';
import { checkAnchor, type Anchor } from './anchor.js';

export interface VerifyProblem {
  /** File the problem is in. */
  file: string;
  /** 1-based line in the segment, where one applies. */
  line?: number;
  severity: 'error' | 'warning';
  message: string;
}

export interface VerifyResult {
  segments: number;
  records: number;
  problems: VerifyProblem[];
  /** True when there is no error. */
  ok: boolean;
}

export interface VerifyOptions {
  /** Key to check signatures with (the public key for Ed25519). Signed digests need one. */
  key?: SigningKey;
  /** Treat warnings (lines written after the last flush) as errors. */
  strict?: boolean;
  /** Fail on any digest that is not signed (so stripping signatures is caught without a key). */
  requireSignatures?: boolean;
  /** The head anchor the writer kept outside the archive, and where it was read from. */
  anchor?: { anchor: Anchor; file: string };
  /** Fail when the newest digest was sealed longer ago than this (a deleted tail, or a stopped writer). */
  maxSilenceSecs?: number;
  /** Clock (tests). */
  now?: () => number;
}

/** Diagnoses line differences between what the digest recorded and what the segment holds. */
export function diagnoseLines(expected: readonly string[], actual: readonly string[]): { line: number; message: string }[] {
  const out: { line: number; message: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < actual.length || j < expected.length) {
    if (i < actual.length && j < expected.length && actual[i] === expected[j]) {
      i++;
      j++;
    } else if (i + 1 < actual.length && j + 1 < expected.length && actual[i] === expected[j + 1] && actual[i + 1] === expected[j]) {
      out.push({ line: i + 1, message: `lines ${i + 1} and ${i + 2} are swapped` });
      i += 2;
      j += 2;
    } else if (j < expected.length && (i >= actual.length || actual[i] === expected[j + 1])) {
      out.push({ line: i + 1, message: `line ${j + 1} of the digest is missing here (deleted)` });
      j++;
    } else if (i < actual.length && (j >= expected.length || actual[i + 1] === expected[j])) {
      out.push({ line: i + 1, message: 'line inserted (not in the digest)' });
      i++;
    } else {
      out.push({ line: i + 1, message: 'line modified (its hash differs from the digest)' });
      i++;
      j++;
    }
  }
  return out;
}

/** RFC 3339 date-time, as the writer writes `opened_at`. */
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

const splitHashes = (b64: string): string[] => {
  const buf = Buffer.from(b64, 'base64');
  const out: string[] = [];
  for (let o = 0; o + LINE_HASH_BYTES <= buf.length; o += LINE_HASH_BYTES) out.push(buf.subarray(o, o + LINE_HASH_BYTES).toString('hex'));
  return out;
};

/** Verifies the archive in `dir`. Never throws for a damaged archive: everything is a problem. */
export async function verifyArchive(dir: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const problems: VerifyProblem[] = [];
  const err = (file: string, message: string, line?: number): void =>
    void problems.push({ file, severity: 'error', message, ...(line !== undefined ? { line } : {}) });
  const warn = (file: string, message: string): void =>
    void problems.push({ file, severity: options.strict ? 'error' : 'warning', message });

  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    err(dir, `cannot read the archive directory: ${(e as Error).message}`);
    return { segments: 0, records: 0, problems, ok: false };
  }
  const seqs = groupBySequence(names);
  const ordered = [...seqs.keys()].sort((a, b) => a - b);
  if (ordered.length === 0) err(dir, 'no segments or digests found');

  // Read every digest first: swapped segments are recognized by another digest's hash.
  const digests = new Map<number, { digest: Digest; text: string }>();
  for (const seq of ordered) {
    if (!seqs.get(seq)!.has('digest.json')) continue;
    const file = digestName(seq);
    try {
      const text = await readFile(path.join(dir, file), 'utf8');
      digests.set(seq, { digest: JSON.parse(text) as Digest, text });
    } catch (e) {
      err(file, `digest unreadable: ${(e as Error).message}`);
    }
  }
  const bySha = new Map<string, number>();
  for (const [seq, { digest }] of digests) bySha.set(digest.sha256, seq);

  let previous: string | null = null;
  /** The content of the first digest: every segment must hold the same kind of event. */
  let content: { seq: number; value: unknown } | undefined;
  let expectSeq = ordered[0] ?? 1;
  let segments = 0;
  let records = 0;
  for (const [idx, seq] of ordered.entries()) {
    const kinds = seqs.get(seq)!;
    const isLast = idx === ordered.length - 1;
    if (seq !== expectSeq) err(digestName(seq), `segments ${expectSeq} to ${seq - 1} are missing together with their digests`);
    expectSeq = seq + 1;
    const entry = digests.get(seq);
    if (!entry) {
      if (!kinds.has('digest.json')) {
        if (isLast && kinds.has('ndjson') && !kinds.has('ndjson.gz'))
          warn(segmentName(seq), 'the open segment has no digest yet (nothing flushed); its lines are not covered');
        else err(kinds.has('ndjson.gz') ? closedSegmentName(seq) : segmentName(seq), 'segment has no digest');
      }
      continue;
    }
    const { digest, text } = entry;
    const dfile = digestName(seq);
    segments++;
    if (digest.sequence !== seq) err(dfile, `digest names sequence ${digest.sequence}, expected ${seq}`);
    const kind: unknown = digest.content; // parsed from a file
    if (kind !== undefined && kind !== OCSF_CONTENT) err(dfile, `content is ${JSON.stringify(kind)}, expected "${OCSF_CONTENT}" or none`);
    else if (content && content.value !== kind)
      err(
        dfile,
        `holds ${contentName(kind)}, ${digestName(content.seq)} ${contentName(content.value as typeof OCSF_CONTENT | undefined)} (one archive, one kind)`,
      );
    content ??= { seq, value: kind };
    if (options.requireSignatures && !digest.signature) err(dfile, 'digest is not signed (--require-signatures)');
    if (options.key) {
      if (!digest.signature) {
        if (!options.requireSignatures) err(dfile, 'digest is not signed');
      } else if (!checkSignature(digest, options.key))
        err(dfile, 'signature does not verify: the digest was edited or forged without the signing key');
    } else if (digest.signature) {
      err(dfile, `digest is signed (${digest.signature.algorithm}, key ${digest.signature.key_id}); pass the key to check it`);
    }
    if (digest.previous_digest_sha256 !== previous) {
      err(dfile, 'previous-digest hash does not match: a digest before this one was edited, removed or reordered');
    }
    const open = digest.state === 'open';
    const state: unknown = digest.state; // parsed from a file: not trusted to be one of the two
    if (state !== 'open' && state !== 'closed') err(dfile, `state is ${JSON.stringify(state)}, expected "open" or "closed"`);
    if (open && !isLast) err(dfile, 'an open digest that is not the last segment');
    const segFile = open ? segmentName(seq) : closedSegmentName(seq);
    // What the signature covers, checked field by field too (an unsigned digest has only this).
    if (digest.segment !== segFile) err(dfile, `segment is ${JSON.stringify(digest.segment)}, expected ${JSON.stringify(segFile)}`);
    if (typeof digest.opened_at !== 'string' || !RFC3339.test(digest.opened_at) || Number.isNaN(Date.parse(digest.opened_at)))
      err(dfile, 'opened_at is not an RFC 3339 time');
    const hashBytes = Buffer.from(typeof digest.line_hashes === 'string' ? digest.line_hashes : '', 'base64').length;
    const hashCount = Math.floor(hashBytes / LINE_HASH_BYTES);
    const stray = hashBytes % LINE_HASH_BYTES;
    if (hashCount !== digest.records || stray)
      err(dfile, `line_hashes holds ${hashCount} hashes${stray ? ` and ${stray} stray bytes` : ''}, records is ${digest.records}`);
    if (!kinds.has(open ? 'ndjson' : 'ndjson.gz')) {
      const other = open ? closedSegmentName(seq) : segmentName(seq);
      if (kinds.has(open ? 'ndjson.gz' : 'ndjson'))
        err(other, `the digest is ${digest.state}, so the segment should be ${segFile} (renamed?)`);
      else err(segFile, 'segment file is missing (deleted)');
      if (!open) previous = sha256Hex(text);
      continue;
    }
    // Read the segment's complete lines.
    const actual: string[] = [];
    const hash = createHash('sha256');
    let firstTime: string | null = null;
    let lastTime: string | null = null;
    const range = new TimeRange();
    let covered = 0;
    let coveredBytes = 0;
    let partial = 0;
    try {
      for await (const line of segmentLines(path.join(dir, segFile), (bytes) => (partial = bytes))) {
        if (covered < digest.records || !open) {
          hash.update(line);
          hash.update('\n');
          covered++;
          coveredBytes += line.length + 1;
        }
        actual.push(lineHash(line).toString('hex'));
        try {
          const t = archivedIdTime(JSON.parse(line.toString('utf8'))).time;
          if (t !== undefined && actual.length <= digest.records) {
            firstTime ??= t;
            lastTime = t;
            range.add(t);
          }
        } catch {
          // not JSON: the hash comparison reports it
        }
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      err(segFile, `cannot read segment: ${code && !(e as Error).message.startsWith(code) ? `${code}: ` : ''}${(e as Error).message}`);
      if (!open) previous = sha256Hex(text);
      continue;
    }
    if (partial > 0) {
      if (open) warn(segFile, `${partial} bytes after the last line (a torn line; the next writer removes it)`);
      else err(segFile, `${partial} bytes after the last line (a partial line without a newline)`);
    }
    const sha = hash.digest('hex');
    const expected = splitHashes(digest.line_hashes);
    const compared = open ? actual.slice(0, digest.records) : actual;
    if (sha !== digest.sha256 || compared.length !== digest.records) {
      const other = bySha.get(sha);
      if (other !== undefined && other !== seq)
        err(segFile, `segment holds the content recorded for ${segmentName(other)} (segments swapped or replaced)`);
      else if (open && actual.length < digest.records)
        err(segFile, `segment has ${actual.length} lines, the digest covers ${digest.records} (truncated)`);
      else {
        const diag = diagnoseLines(expected, open ? actual.slice(0, digest.records) : actual);
        if (diag.length === 0) err(segFile, 'segment content does not match its digest');
        for (const d of diag) err(segFile, d.message, d.line);
        if (!open && actual.length !== digest.records)
          err(segFile, `segment has ${actual.length} lines, the digest records ${digest.records}`);
      }
    } else if (firstTime !== digest.first_time || lastTime !== digest.last_time) {
      err(dfile, 'time range does not match the segment');
    } else if (
      (digest.min_time !== undefined && digest.min_time !== range.min) ||
      (digest.max_time !== undefined && digest.max_time !== range.max)
    ) {
      // query skips segments by these: a false range would hide events from it.
      err(dfile, 'min_time/max_time do not match the segment');
    } else if (coveredBytes !== digest.bytes) {
      err(dfile, `bytes is ${digest.bytes}, the segment has ${coveredBytes}`);
    }
    if (open && actual.length > digest.records)
      warn(segFile, `${actual.length - digest.records} lines written after the last flush are not covered by a digest yet`);
    records += Math.min(actual.length, digest.records);
    if (!open) previous = sha256Hex(text);
  }
  if (options.anchor) {
    const parsed = new Map<number, Digest>([...digests].map(([seq, { digest }]) => [seq, digest]));
    for (const message of checkAnchor(options.anchor.anchor, parsed, options.key)) err(options.anchor.file, message);
  }
  if (options.maxSilenceSecs !== undefined) {
    const newest = digests.get(ordered.at(-1) ?? 0)?.digest;
    const sealed = Date.parse(newest?.sealed_at ?? newest?.opened_at ?? '');
    const now = (options.now ?? Date.now)();
    if (!Number.isFinite(sealed) || now - sealed > options.maxSilenceSecs * 1000) {
      err(
        newest ? digestName(newest.sequence) : dir,
        `the newest digest was sealed ${Number.isFinite(sealed) ? `at ${new Date(sealed).toISOString()}, ${Math.round((now - sealed) / 1000)} s ago` : 'never'}, more than ${options.maxSilenceSecs} s: a deleted tail, or a writer that stopped`,
      );
    }
  }
  return { segments, records, problems, ok: !problems.some((p) => p.severity === 'error') };
}
