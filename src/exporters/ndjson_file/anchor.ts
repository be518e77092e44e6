/**
 * The head anchor, in the spirit of CloudTrail's digest chain delivered elsewhere: after every
 * flush the writer records the archive's head (segment, how many of its lines, a hash of their
 * line hashes, the chain link before it, the total record count), signed like the digests, into
 * a file the operator keeps outside the archive (another disk, a WORM bucket). `verify
 * --anchor-file` then notices an archive that ends before the head (a deleted tail, a rollback to
 * an older copy) or holds another history.
 */
import { readFile } from 'node:fs/promises';
import { checkSignature, LINE_HASH_BYTES, sha256Hex, signDigest, type Digest, type DigestSignature, type SigningKey } from './format.js';

export const ANCHOR_FORMAT = 'auditkit-anchor/v1';

export interface Anchor {
  format: typeof ANCHOR_FORMAT;
  /** Sequence of the head segment. */
  sequence: number;
  /** Lines of the head segment covered when the anchor was written. */
  segment_records: number;
  /** SHA-256 of those lines' hashes (the first `segment_records` of the digest's `line_hashes`). */
  line_hashes_sha256: string;
  /** The head digest's link to the closed digest before it. */
  previous_digest_sha256: string | null;
  /** Records in the archive up to the head. */
  records: number;
  last_time: string | null;
  sealed_at: string;
  signature?: DigestSignature;
}

const prefixHash = (digest: Digest, records: number): string =>
  sha256Hex(Buffer.from(digest.line_hashes, 'base64').subarray(0, records * LINE_HASH_BYTES));

/** The anchor of a head digest, signed when a key is given. */
export function anchorOf(head: Digest, records: number, key: SigningKey | undefined): Anchor {
  const anchor: Anchor = {
    format: ANCHOR_FORMAT,
    sequence: head.sequence,
    segment_records: head.records,
    line_hashes_sha256: prefixHash(head, head.records),
    previous_digest_sha256: head.previous_digest_sha256,
    records,
    last_time: head.last_time,
    sealed_at: head.sealed_at ?? new Date().toISOString(),
  };
  return key ? signDigest(anchor, key) : anchor;
}

/** Reads an anchor file; throws with the reason when it is not one. */
export async function readAnchor(file: string): Promise<Anchor> {
  const anchor = JSON.parse(await readFile(file, 'utf8')) as Partial<Anchor> | null;
  if (anchor?.format !== ANCHOR_FORMAT || typeof anchor.sequence !== 'number' || typeof anchor.segment_records !== 'number')
    throw new Error(`${file} is not an ${ANCHOR_FORMAT} anchor`);
  return anchor as Anchor;
}

/** What is wrong with the archive's digests against the anchor (empty when it holds the anchored head). */
export function checkAnchor(anchor: Anchor, digests: ReadonlyMap<number, Digest>, key: SigningKey | undefined): string[] {
  const problems: string[] = [];
  if (key) {
    if (!anchor.signature) problems.push('the anchor is not signed');
    else if (!checkSignature(anchor, key)) problems.push('the anchor signature does not verify: the anchor was edited or forged');
  }
  const head = digests.get(anchor.sequence);
  const ends = `the archive ends before the anchored head (segment ${anchor.sequence}, line ${anchor.segment_records}, ${anchor.records} records, sealed ${anchor.sealed_at}): a deleted tail or a rollback to an older copy`;
  if (!head || head.records < anchor.segment_records) problems.push(ends);
  else if (
    prefixHash(head, anchor.segment_records) !== anchor.line_hashes_sha256 ||
    head.previous_digest_sha256 !== anchor.previous_digest_sha256
  )
    problems.push(`the archive diverges from the anchored head (segment ${anchor.sequence}): it holds another history`);
  else {
    let total = 0;
    for (const [seq, d] of digests) if (seq < anchor.sequence) total += d.records;
    if (total + anchor.segment_records !== anchor.records)
      problems.push(`the archive holds ${total + anchor.segment_records} records up to the anchored head, the anchor ${anchor.records}`);
  }
  return problems;
}
