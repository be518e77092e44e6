/**
 * The `ndjson_file` archive writer: one unified event per line in segment files, rotated by size
 * and age, closed segments gzip-compressed, fsync on every flush (`ack`), and a digest chain
 * (see format.ts). Crash safety: lines are appended, then fsynced, then the open digest is replaced
 * atomically (write temp, fsync, rename, fsync the directory). After a crash the writer drops a
 * torn last line and continues; `query` never returns a partial line. Also an SDK
 * `LogRecordExporter`, so it works inside an OpenTelemetry `LoggerProvider`.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip, type Gzip, type ZlibOptions } from 'node:zlib';
import type { TransformOptions } from 'node:stream';
import { once } from 'node:events';
import { createHash, type Hash } from 'node:crypto';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { ArchiveIntegrityError } from '../../errors.js';
import type { AuditEvent } from '../../model/event.js';
import { fromLogRecord } from '../../model/otel.js';
import {
  DIGEST_FORMAT,
  OCSF_CONTENT,
  TimeRange,
  archivedIdTime,
  contentName,
  checkSignature,
  FILE_PATTERN,
  closedSegmentName,
  groupBySequence,
  digestName,
  digestText,
  lineHash,
  segmentName,
  sha256Hex,
  signDigest,
  segmentLines,
  LINE_HASH_BYTES,
  type ArchiveContent,
  type Digest,
  type SigningKey,
} from './format.js';
import { commitFile, fsyncDir, writeFileAtomic } from '../../io/durable.js';
import { anchorOf } from './anchor.js';
import { lockArchive, type ArchiveLock } from './lock.js';

import { DEFAULT_DEDUPE_WINDOW_SECS, DEFAULT_MAX_FILE_AGE_MILLIS, DEFAULT_MAX_FILE_BYTES } from './config.js';
import { IdSet } from '../../model/id-set.js';

export { DEFAULT_MAX_FILE_AGE_MILLIS, DEFAULT_MAX_FILE_BYTES } from './config.js';

/** Lines `write` holds before the caller must wait for the file (while an append or a segment close runs). */
const MAX_PENDING_BYTES = 32 << 20;
const NEWLINE = Buffer.from('\n');

export interface ArchiveWriterOptions {
  /** Archive directory (created if missing). */
  dir: string;
  /** Rotate when the open segment reaches this many bytes. Default 64 MiB. */
  maxFileBytes?: number;
  /** Rotate when the open segment is this old. Default 1 hour. */
  maxFileAgeMillis?: number;
  /** Sign every digest. */
  signingKey?: SigningKey;
  /**
   * Events whose id is in a segment written this recently are skipped (counted in `duplicates`).
   * Default 30 days; `Infinity` for every segment, 0 for no deduplication.
   */
  dedupeWindowMillis?: number;
  /** After every flush, the archive's head is written here (keep it outside the archive). */
  anchorFile?: string;
  /** Re-seal the open digest this often even without events, so `verify --max-silence-secs` sees the writer alive. */
  heartbeatMillis?: number;
  /** How long `open` waits for another writer's lock. Default 0: fail at once. */
  lockWaitMillis?: number;
  /** Told what crash recovery did (lines dropped that were never acknowledged). */
  onWarning?: (message: string) => void;
  /** Archive OCSF events, this mapping's (digests say `content: ocsf-1.8.0`), instead of unified events. */
  ocsf?: (event: AuditEvent) => object;
  /** Clock (tests). */
  now?: () => number;
}

export { ArchiveIntegrityError } from '../../errors.js';

/** Running state of the open segment. */
interface OpenSegment {
  seq: number;
  fh: FileHandle;
  hash: Hash;
  bytes: number;
  records: number;
  /** The line hashes so far, `LINE_HASH_BYTES` each, in one growing buffer. */
  lineHashes: LineHashes;
  firstTime: string | null;
  lastTime: string | null;
  /** The earliest and latest event time (digest `min_time`, `max_time`). */
  range: TimeRange;
  openedAt: number;
  /** Lines written since the last flush's digest. */
  dirty: boolean;
  /**
   * The closed segment's gzip, made as lines are appended (in zlib's thread, alongside the
   * writer) into `seg-N.ndjson.gz.tmp`, so closing only finishes it. A resumed segment has none:
   * it is compressed from its file at close.
   */
  gz?: { stream: Gzip; done: Promise<void>; tmp: string };
}

const GZIP_QUEUE_BYTES = 8 << 20;

/** A gzip of what is written to it, into `tmp` (a leftover `.tmp` is removed by the next writer). */
function startGzip(tmp: string): NonNullable<OpenSegment['gz']> {
  // Up to 8 MiB queued for zlib before the append waits: with the default 16 KiB every 1 MiB
  // chunk waited for zlib to finish it before the file write of the next could start.
  // (zlib streams take Transform options; @types/node's ZlibOptions does not list them.)
  const options: ZlibOptions & TransformOptions = { highWaterMark: GZIP_QUEUE_BYTES };
  const stream = createGzip(options);
  const done = pipeline(stream, createWriteStream(tmp));
  done.catch(() => undefined); // awaited at close; a failure there fails the close
  return { stream, done, tmp };
}

/** Drops a segment's gzip in progress (the segment stays open, or was empty). */
async function dropGzip(gz: OpenSegment['gz']): Promise<void> {
  if (!gz) return;
  gz.stream.destroy();
  await gz.done.catch(() => undefined);
  await rm(gz.tmp, { force: true });
}

/** The writer writes `schema_version` then `id` first: read the id without parsing the line. */
const ID_PREFIX = /^\{"schema_version":"[^"\\]*","id":("(?:[^"\\]|\\.)*")/;

/** The `id` of an archived line (an OCSF line's `metadata.uid`), or undefined for a line that is not an event. */
function idOf(line: Buffer): string | undefined {
  const text = line.toString('utf8');
  try {
    const m = ID_PREFIX.exec(text);
    const id = m ? (JSON.parse(m[1]!) as unknown) : archivedIdTime(JSON.parse(text)).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined; // verify reports such lines
  }
}

/** A segment's line hashes in one buffer that doubles when full (no Buffer object per line). */
class LineHashes {
  private buf = Buffer.alloc(LINE_HASH_BYTES * 1024);
  private length = 0;

  push(hash: Buffer): void {
    if (this.length + LINE_HASH_BYTES > this.buf.length) {
      const bigger = Buffer.alloc(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.length);
      this.buf = bigger;
    }
    hash.copy(this.buf, this.length, 0, LINE_HASH_BYTES);
    this.length += LINE_HASH_BYTES;
  }

  base64(): string {
    return this.buf.subarray(0, this.length).toString('base64');
  }
}

const eventTime = (line: Buffer): string | null => {
  try {
    return archivedIdTime(JSON.parse(line.toString('utf8'))).time ?? null;
  } catch {
    return null;
  }
};

export class NdjsonArchiveWriter implements LogRecordExporter {
  private readonly dir: string;
  private readonly maxFileBytes: number;
  private readonly maxFileAgeMillis: number;
  private readonly signingKey: SigningKey | undefined;
  private readonly ocsf: ((event: AuditEvent) => object) | undefined;
  private readonly content: ArchiveContent;
  private readonly now: () => number;
  private seg: OpenSegment | undefined;
  private nextSeq = 1;
  private previousDigestSha: string | null = null;
  private pending: Buffer[] = [];
  /** The event time of each pending line (known when written: no line is parsed again). */
  private pendingTimes: string[] = [];
  private pendingBytes = 0;
  /** The append `write` started that has not finished (the caller was not made to wait for it). */
  private appending: Promise<void> | undefined;
  /** The error of an append the caller did not wait for. */
  private failure: Error | undefined;
  private opened = false;
  private lock: ArchiveLock | undefined;
  private readonly lockWaitMillis: number;
  private readonly onWarning: ((message: string) => void) | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  /** Lines dropped when opening because no digest covered them (written, never acknowledged). */
  droppedUnacknowledged = 0;
  /** Records written (acknowledged by flush) since the writer was opened. */
  written = 0;
  /** Ids the archive holds within the dedupe window: an event seen again is not written twice. */
  private ids: IdSet | undefined;
  private readonly dedupeWindowMillis: number;
  private readonly anchorFile: string | undefined;
  private readonly heartbeatMillis: number | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  /** Records in the closed segments (for the anchor). */
  private closedRecords = 0;
  /** Events skipped because the archive already holds their id. */
  duplicates = 0;

  constructor(options: ArchiveWriterOptions) {
    this.dir = options.dir;
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.maxFileAgeMillis = options.maxFileAgeMillis ?? DEFAULT_MAX_FILE_AGE_MILLIS;
    this.signingKey = options.signingKey;
    this.lockWaitMillis = options.lockWaitMillis ?? 0;
    this.dedupeWindowMillis = options.dedupeWindowMillis ?? DEFAULT_DEDUPE_WINDOW_SECS * 1000;
    this.anchorFile = options.anchorFile;
    this.heartbeatMillis = options.heartbeatMillis;
    this.onWarning = options.onWarning;
    this.ocsf = options.ocsf;
    this.content = options.ocsf ? OCSF_CONTENT : undefined;
    this.now = options.now ?? Date.now;
  }

  /** Serializes operations: the writer is used from sync exporter callbacks and async code. */
  private serial<T>(op: () => Promise<T>): Promise<T> {
    const next = this.chain.then(op, op);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /**
   * Opens the archive for writing: takes its lock, then checks what it is about to adopt (the
   * digest chain and signatures, that every closed digest has its segment, the open segment's
   * lines against its digest, nothing stray past the chain) and refuses, naming the file, when
   * anything does not hold: it never signs what does not verify. Crash recovery: an interrupted
   * close is finished, lines no digest covers (written, never acknowledged) and a torn last line
   * are dropped.
   */
  open(): Promise<void> {
    return this.serial(async () => {
      if (this.opened) return;
      await mkdir(this.dir, { recursive: true });
      this.lock = await lockArchive(this.dir, this.lockWaitMillis);
      try {
        await this.adopt();
        await this.loadIds();
      } catch (err) {
        await this.seg?.fh.close();
        this.seg = undefined;
        await this.lock.release();
        this.lock = undefined;
        throw err;
      }
      this.opened = true;
      if (this.heartbeatMillis) {
        this.heartbeat = setInterval(
          () => void this.seal().catch((err: unknown) => this.onWarning?.(`heartbeat failed: ${String(err)}`)),
          this.heartbeatMillis,
        );
        this.heartbeat.unref();
      }
    });
  }

  /** A heartbeat: the open digest is written again with a new `sealed_at` (a segment is started when there is none). */
  private seal(): Promise<void> {
    return this.serial(async () => {
      if (!this.opened) return;
      const seg = this.seg ?? (await this.startSegment());
      // The digest covers every line in the file: lines `write` appended are made durable first.
      if (seg.dirty) {
        await seg.fh.sync();
        seg.dirty = false;
      }
      await this.writeOpenDigest(seg);
    });
  }

  private async writeOpenDigest(seg: OpenSegment): Promise<void> {
    const digest = this.digestOf(seg, 'open');
    await writeFileAtomic(path.join(this.dir, digestName(seg.seq)), digestText(digest));
    await this.writeAnchor(digest, this.closedRecords + seg.records);
  }

  /** Records the head in the anchor file (atomically, durably), when there is one. */
  private async writeAnchor(head: Digest, records: number): Promise<void> {
    if (this.anchorFile) await writeFileAtomic(this.anchorFile, `${JSON.stringify(anchorOf(head, records, this.signingKey), null, 1)}\n`);
  }

  private async adopt(): Promise<void> {
    const names = await readdir(this.dir);
    // Leftovers of an interrupted atomic write.
    for (const f of names) if (f.startsWith('seg-') && f.endsWith('.tmp')) await rm(path.join(this.dir, f), { force: true });
    const seqs = groupBySequence(names);
    const ordered = [...seqs.keys()].sort((a, b) => a - b);
    const refuse = (file: string, what: string): never => {
      throw new ArchiveIntegrityError(`${path.join(this.dir, file)}: ${what}; the archive is not written to (run auditkit verify)`);
    };
    // Segments without a digest first, so the error names the stray file itself. The only one a
    // writer leaves is the last, empty (a crash right after creating it, before its first digest).
    for (const [idx, seq] of ordered.entries()) {
      const kinds = seqs.get(seq)!;
      if (kinds.has('digest.json')) continue;
      const name = kinds.has('ndjson') ? segmentName(seq) : closedSegmentName(seq);
      const file = path.join(this.dir, name);
      if (idx !== ordered.length - 1 || kinds.size !== 1 || !kinds.has('ndjson') || (await stat(file)).size > 0)
        refuse(name, 'a segment with no digest (no writer flushed it)');
      await rm(file, { force: true });
      await fsyncDir(this.dir);
      ordered.pop();
    }
    for (const [idx, seq] of ordered.entries()) {
      const kinds = seqs.get(seq)!;
      const isLast = idx === ordered.length - 1;
      if (seq !== idx + 1) refuse(digestName(seq), `segments ${idx + 1} to ${seq - 1} are missing`);
      const digestFile = path.join(this.dir, digestName(seq));
      const text = await readFile(digestFile, 'utf8');
      let digest: Digest;
      try {
        digest = JSON.parse(text) as Digest;
      } catch {
        return refuse(digestName(seq), 'the digest is not JSON');
      }
      this.checkDigest(digest, seq, refuse);
      if (digest.state === 'closed') {
        if (!kinds.has('ndjson.gz')) refuse(closedSegmentName(seq), 'the segment of a closed digest is missing');
        // A close that finished its digest but not the removal of the plain file, whose content it holds.
        if (kinds.has('ndjson')) {
          const plain = path.join(this.dir, segmentName(seq));
          if (sha256Hex(await readFile(plain)) !== digest.sha256)
            refuse(segmentName(seq), 'a plain segment next to a closed one, with other content');
          await rm(plain, { force: true });
        }
        this.previousDigestSha = sha256Hex(text);
        this.closedRecords += digest.records;
      } else {
        if (!isLast) refuse(digestName(seq), 'an open digest that is not the last');
        if (!kinds.has('ndjson')) refuse(segmentName(seq), 'the segment of the open digest is missing');
        // A partial gzip of an interrupted close.
        await rm(path.join(this.dir, closedSegmentName(seq)), { force: true });
        await this.resume(seq, digest, refuse);
      }
      this.nextSeq = seq + 1;
    }
  }

  /** A digest as the chain and the key require it: sequence, chain link, signature. */
  private checkDigest(digest: Digest, seq: number, refuse: (file: string, what: string) => never): void {
    const file = digestName(seq);
    if (digest.sequence !== seq) refuse(file, `the digest names sequence ${digest.sequence}`);
    if (digest.content !== this.content)
      refuse(
        file,
        `the archive holds ${contentName(digest.content)}, this writer writes ${contentName(this.content)} (ocsf: ${String(this.content === OCSF_CONTENT)}); use another directory`,
      );
    if (digest.previous_digest_sha256 !== this.previousDigestSha)
      refuse(file, 'the previous-digest hash does not match (the chain is broken)');
    if (digest.signature && !this.signingKey)
      refuse(file, `the archive is signed (${digest.signature.algorithm}, key ${digest.signature.key_id}); open it with the signing key`);
    if (digest.signature && this.signingKey && !checkSignature(digest, this.signingKey))
      refuse(file, 'the signature does not verify with this key');
  }

  /**
   * Resumes the open segment: its lines must be those its digest covers (hash by hash); lines
   * after them (written, never acknowledged by a flush) and a torn last line are cut off.
   */
  private async resume(seq: number, digest: Digest, refuse: (file: string, what: string) => never): Promise<void> {
    const name = segmentName(seq);
    const file = path.join(this.dir, name);
    const expected = Buffer.from(digest.line_hashes, 'base64');
    const hash = createHash('sha256');
    const lineHashes = new LineHashes();
    let bytes = 0;
    let records = 0;
    let uncovered = 0;
    let firstTime: string | null = null;
    let lastTime: string | null = null;
    const range = new TimeRange();
    for await (const line of segmentLines(file)) {
      if (records === digest.records) {
        uncovered++;
        continue;
      }
      const h = lineHash(line);
      if (!h.equals(expected.subarray(records * LINE_HASH_BYTES, (records + 1) * LINE_HASH_BYTES)))
        refuse(name, `line ${records + 1} differs from its digest (modified after it was written)`);
      hash.update(line);
      hash.update('\n');
      lineHashes.push(h);
      bytes += line.length + 1;
      records++;
      const t = eventTime(line);
      firstTime ??= t;
      lastTime = t ?? lastTime;
      range.add(t);
    }
    if (records < digest.records) refuse(name, `the segment has ${records} lines, its digest covers ${digest.records} (truncated)`);
    if (
      hash.copy().digest('hex') !== digest.sha256 ||
      bytes !== digest.bytes ||
      firstTime !== digest.first_time ||
      lastTime !== digest.last_time ||
      // Older digests have no min/max (they are computed here, and written from now on).
      (digest.min_time !== undefined && digest.min_time !== range.min) ||
      (digest.max_time !== undefined && digest.max_time !== range.max)
    )
      refuse(name, 'the segment does not match its digest');
    const fh = await open(file, 'r+');
    try {
      if ((await fh.stat()).size > bytes) {
        await fh.truncate(bytes); // lines no flush acknowledged, and a torn last line
        await fh.sync();
      }
    } finally {
      await fh.close();
    }
    if (uncovered > 0) {
      this.droppedUnacknowledged += uncovered;
      this.onWarning?.(`${name}: dropped ${uncovered} lines written after the last flush (never acknowledged, so delivered again)`);
    }
    this.seg = {
      seq,
      fh: await open(file, 'a'),
      hash,
      bytes,
      records,
      lineHashes,
      firstTime,
      lastTime,
      range,
      openedAt: Date.parse(digest.opened_at),
      dirty: false,
    };
  }

  private async startSegment(): Promise<OpenSegment> {
    const seq = this.nextSeq++;
    const fh = await open(path.join(this.dir, segmentName(seq)), 'a');
    await fsyncDir(this.dir);
    this.seg = {
      seq,
      fh,
      hash: createHash('sha256'),
      bytes: 0,
      records: 0,
      lineHashes: new LineHashes(),
      firstTime: null,
      lastTime: null,
      range: new TimeRange(),
      openedAt: this.now(),
      dirty: false,
      gz: startGzip(path.join(this.dir, `${closedSegmentName(seq)}.tmp`)),
    };
    // The digest exists from the start: a segment without one was never written by a writer.
    await this.writeOpenDigest(this.seg);
    return this.seg;
  }

  private digestOf(seg: OpenSegment, state: 'open' | 'closed'): Digest {
    const digest: Digest = {
      format: DIGEST_FORMAT,
      sequence: seg.seq,
      segment: state === 'closed' ? closedSegmentName(seg.seq) : segmentName(seg.seq),
      state,
      records: seg.records,
      bytes: seg.bytes,
      sha256: seg.hash.copy().digest('hex'),
      first_time: seg.firstTime,
      last_time: seg.lastTime,
      min_time: seg.range.min,
      max_time: seg.range.max,
      line_hashes: seg.lineHashes.base64(),
      previous_digest_sha256: this.previousDigestSha,
      opened_at: new Date(seg.openedAt).toISOString(),
      sealed_at: new Date(this.now()).toISOString(),
      ...(this.content ? { content: this.content } : {}),
    };
    return this.signingKey ? signDigest(digest, this.signingKey) : digest;
  }

  /**
   * Loads the ids of the segments written within the dedupe window (by their digests' `opened_at`;
   * all of them with `Infinity`), so an event the archive already holds is not written again:
   * a convert run twice, or a pull that restarts after a crash and reads a page again.
   */
  private async loadIds(): Promise<void> {
    if (this.dedupeWindowMillis <= 0) return;
    this.ids = new IdSet();
    const from = this.now() - this.dedupeWindowMillis;
    for (const f of (await readdir(this.dir)).sort()) {
      const m = FILE_PATTERN.exec(f);
      if (!m || m[2] === 'digest.json') continue;
      const seq = Number(m[1]);
      if (seq !== this.seg?.seq) {
        const digest = await readFile(path.join(this.dir, digestName(seq)), 'utf8').then(
          (t) => JSON.parse(t) as Partial<Digest>,
          () => undefined,
        );
        const opened = Date.parse(digest?.opened_at ?? '');
        if (Number.isFinite(this.dedupeWindowMillis) && opened < from) continue;
      }
      for await (const line of segmentLines(path.join(this.dir, f))) {
        const id = idOf(line);
        if (id !== undefined) this.ids.add(id);
      }
    }
  }

  /** Queues events; they are durable once `flush` resolves. Returns a promise only when it flushed (to wait on). */
  write(events: readonly AuditEvent[]): Promise<void> | undefined {
    for (const e of events) {
      if (this.ids && !this.ids.add(e.id)) {
        this.duplicates++;
        continue;
      }
      const line = Buffer.from(JSON.stringify(this.ocsf ? this.ocsf(e) : e));
      this.pending.push(line);
      this.pendingTimes.push(e.time);
      this.pendingBytes += line.length + 1;
    }
    // Past 1 MiB the lines go to the file to bound memory; they are acknowledged (fsynced and
    // covered by the digest) only by `flush`, so a crash before it drops them on resume. The
    // caller waits only past MAX_PENDING_BYTES: while an append runs (a segment's gzip at
    // rotation takes a second for 64 MiB, in zlib's thread) it goes on making the next events.
    if (this.pendingBytes < 1 << 20) return undefined;
    if (!this.appending) {
      const run = this.serial(() => this.append());
      this.appending = run.then(
        () => {
          this.appending = undefined;
        },
        (err: unknown) => {
          this.appending = undefined;
          this.failure ??= err instanceof Error ? err : new Error(String(err));
        },
      );
    }
    return this.pendingBytes >= MAX_PENDING_BYTES ? this.appending.then(() => this.rethrow()) : undefined;
  }

  /** An append that failed in the background fails the next wait, flush and ack (nothing it held was acknowledged). */
  private rethrow(): void {
    if (this.failure) throw this.failure;
  }

  /**
   * Appends queued lines, rotating as needed, fsyncs, and rewrites the open segment's digest:
   * what `ack` waits for. Rewriting the digest (all line hashes) is the costly part, so it happens
   * here and at segment close only, not for every MiB `write` hands to the file.
   */
  flush(): Promise<void> {
    return this.serial(async () => {
      this.rethrow();
      await this.append();
      const seg = this.seg;
      if (seg?.dirty) {
        await seg.fh.sync();
        await this.writeOpenDigest(seg);
        seg.dirty = false;
      }
    });
  }

  /** Appends queued lines to the open segment (rotating as needed), not yet acknowledged. */
  private async append(): Promise<void> {
    if (!this.opened) {
      if (this.pending.length === 0) return; // nothing to write (closed, or never opened)
      throw new Error('NdjsonArchiveWriter: open() first');
    }
    const lines = this.pending;
    const times = this.pendingTimes;
    this.pending = [];
    this.pendingTimes = [];
    this.pendingBytes = 0;
    let i = 0;
    while (i < lines.length) {
      let seg = this.seg ?? (await this.startSegment());
      if (seg.records > 0 && (seg.bytes >= this.maxFileBytes || this.now() - seg.openedAt >= this.maxFileAgeMillis)) {
        await this.closeSegment(seg);
        seg = await this.startSegment();
      }
      // Lines for this segment, up to its size limit (at least one).
      const chunk: Buffer[] = [];
      let size = 0;
      while (i < lines.length && (chunk.length === 0 || seg.bytes + size + lines[i]!.length + 1 <= this.maxFileBytes)) {
        chunk.push(lines[i]!, NEWLINE);
        size += lines[i]!.length + 1;
        const line = lines[i]!;
        seg.lineHashes.push(lineHash(line));
        const t = times[i] ?? null;
        seg.firstTime ??= t;
        seg.lastTime = t ?? seg.lastTime;
        seg.range.add(t);
        seg.records++;
        i++;
      }
      const bytes = Buffer.concat(chunk, size);
      seg.hash.update(bytes); // the segment's SHA-256: one update per chunk, not two per line
      await seg.fh.write(bytes);
      // zlib compresses in its own thread; the writer waits only when it is behind. A gzip that
      // failed earlier (its file could not be written) fails this append: never a wait for a
      // 'drain' that cannot come.
      const gz = seg.gz;
      if (gz) {
        if (gz.stream.destroyed) await gz.done;
        if (!gz.stream.write(bytes)) await Promise.race([once(gz.stream, 'drain'), gz.done]);
      }
      seg.bytes += size;
      seg.dirty = true;
      this.written += chunk.length / 2;
    }
  }

  /** Closes a segment: final digest, gzip, then the plain file is removed (each step durable). */
  private async closeSegment(seg: OpenSegment): Promise<void> {
    await seg.fh.sync();
    await seg.fh.close();
    const plain = path.join(this.dir, segmentName(seg.seq));
    const gz = path.join(this.dir, closedSegmentName(seg.seq));
    if (seg.gz) {
      seg.gz.stream.end();
      await seg.gz.done;
    } else await pipeline(createReadStream(plain), createGzip(), createWriteStream(`${gz}.tmp`));
    await commitFile(`${gz}.tmp`, gz);
    const closed = this.digestOf(seg, 'closed');
    const text = digestText(closed);
    await writeFileAtomic(path.join(this.dir, digestName(seg.seq)), text);
    this.previousDigestSha = sha256Hex(text);
    this.closedRecords += seg.records;
    await this.writeAnchor(closed, this.closedRecords);
    await rm(plain, { force: true });
    await fsyncDir(this.dir);
    this.seg = undefined;
  }

  /** Flushes and closes the open segment (its digest becomes final), then releases the lock. */
  close(): Promise<void> {
    return this.flush().then(() =>
      this.serial(async () => {
        if (this.seg && this.seg.records > 0) await this.closeSegment(this.seg);
        else if (this.seg) {
          await this.seg.fh.close();
          await dropGzip(this.seg.gz);
          this.seg = undefined;
        }
        await this.unlock();
      }),
    );
  }

  /**
   * Flushes and lets go of the files and the lock without closing the open segment: it stays
   * open, as a process that exits without `close` leaves it, for the next writer to resume.
   */
  release(): Promise<void> {
    return this.flush().then(() =>
      this.serial(async () => {
        await this.seg?.fh.close();
        await dropGzip(this.seg?.gz); // the next writer resumes the segment and compresses it at close
        this.seg = undefined;
        await this.unlock();
      }),
    );
  }

  private async unlock(): Promise<void> {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    this.opened = false;
    await this.lock?.release();
    this.lock = undefined;
  }

  // ---- LogRecordExporter ------------------------------------------------------------------

  /** Exports audit event records (records without an `auditkit.id` are skipped and counted). */
  skipped = 0;
  /** Exports not finished yet: forceFlush and shutdown wait for them. */
  private readonly inflight = new Set<Promise<void>>();

  export(records: ReadableLogRecord[], resultCallback: (result: ExportResult) => void): void {
    const events: AuditEvent[] = [];
    for (const r of records) {
      const e = (() => {
        try {
          return fromLogRecord(r);
        } catch {
          return undefined;
        }
      })();
      if (e) events.push(e);
      else this.skipped++;
    }
    const done: Promise<void> = this.open()
      .then(() => this.write(events))
      .then(() => this.flush())
      .then(
        () => {
          resultCallback({ code: ExportResultCode.SUCCESS });
        },
        (error: unknown) => {
          resultCallback({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
        },
      )
      .finally(() => this.inflight.delete(done));
    this.inflight.add(done);
  }

  async forceFlush(): Promise<void> {
    await Promise.all([...this.inflight]);
    if (this.opened) await this.flush();
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.inflight]);
    if (this.opened) await this.close();
  }
}
