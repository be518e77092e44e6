/**
 * A deleted tail and a rollback are caught (issue 10, item 4): with the head anchor kept outside
 * the archive, and without it by the heartbeat's `--max-silence-secs`.
 */
import { generateKeyPairSync } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { readAnchor } from '../../../src/exporters/ndjson_file/anchor.js';
import { closedSegmentName, digestName, type Digest, type SigningKey } from '../../../src/exporters/ndjson_file/format.js';
import { verifyArchive } from '../../../src/exporters/ndjson_file/verify.js';
import { NdjsonArchiveWriter } from '../../../src/exporters/ndjson_file/writer.js';
import { errors, events } from '../../helpers/archive.js';
import { cli } from '../../helpers/cli.js';

const tmp = await mkdtemp(path.join(tmpdir(), 'auditkit-anchor-'));
let n = 0;
const fresh = (): string => path.join(tmp, `a${n++}`);
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const signer: SigningKey = { algorithm: 'ed25519', keyId: 'k1', key: privateKey };
const checker: SigningKey = { algorithm: 'ed25519', keyId: 'k1', key: publicKey };
const one = JSON.stringify(events(1)[0]).length + 1;

/** Writes `count` events in `runs` runs (each closes its segment) with the anchor at `anchorFile`. */
async function write(dir: string, anchorFile: string, from: number, count: number): Promise<void> {
  const w = new NdjsonArchiveWriter({ dir, maxFileBytes: one * 10, signingKey: signer, anchorFile });
  await w.open();
  await w.write(events(count, from));
  await w.close();
}

t.test('the anchor records the head after every flush, signed', async (t) => {
  const dir = fresh();
  const anchorFile = path.join(tmp, 'head.json');
  await write(dir, anchorFile, 0, 25);
  const anchor = await readAnchor(anchorFile);
  t.equal(anchor.records, 25);
  t.ok(anchor.signature, 'signed like the digests');
  t.same(errors(await verifyArchive(dir, { key: checker, anchor: { anchor, file: anchorFile } })), []);
});

t.test('deleting the newest segment and its digest passes plain verify but not verify --anchor-file', async (t) => {
  const dir = fresh();
  const anchorFile = path.join(tmp, 'head2.json');
  await write(dir, anchorFile, 0, 35);
  const anchor = await readAnchor(anchorFile);
  const last = anchor.sequence;
  await rm(path.join(dir, closedSegmentName(last)), { force: true });
  await rm(path.join(dir, `seg-${String(last).padStart(6, '0')}.ndjson`), { force: true });
  await rm(path.join(dir, digestName(last)));
  t.ok((await verifyArchive(dir, { key: checker })).ok, 'without the anchor the cut is not visible');
  const r = await verifyArchive(dir, { key: checker, anchor: { anchor, file: anchorFile } });
  t.match(errors(r).join('\n'), /head2\.json: the archive ends before the anchored head \(segment \d+/);
  const viaCli = await cli(['verify', dir, '--public-key', await pem(), '--anchor-file', anchorFile]);
  t.equal(viaCli.code, 1);
  t.match(viaCli.stdout, /the archive ends before the anchored head/);
});

t.test('rolling the archive back to an older copy of itself is caught with the anchor', async (t) => {
  const dir = fresh();
  const anchorFile = path.join(tmp, 'head3.json');
  await write(dir, anchorFile, 0, 12);
  const old = fresh();
  await cp(dir, old, { recursive: true });
  await write(dir, anchorFile, 12, 20);
  await rm(dir, { recursive: true });
  await cp(old, dir, { recursive: true });
  t.ok((await verifyArchive(dir, { key: checker })).ok, 'the older copy verifies on its own');
  const r = await verifyArchive(dir, { key: checker, anchor: { anchor: await readAnchor(anchorFile), file: anchorFile } });
  t.match(errors(r).join('\n'), /the archive ends before the anchored head/);
});

t.test('an archive with another history is caught, and an edited anchor does not verify', async (t) => {
  const anchorFile = path.join(tmp, 'head4.json');
  await write(fresh(), anchorFile, 0, 15);
  const other = fresh();
  await write(other, path.join(tmp, 'other.json'), 500, 15);
  const anchor = await readAnchor(anchorFile);
  t.match(
    errors(await verifyArchive(other, { key: checker, anchor: { anchor, file: anchorFile } })).join('\n'),
    /diverges from the anchored head/,
  );
  await writeFile(anchorFile, JSON.stringify({ ...anchor, records: 1 }));
  t.match(
    errors(await verifyArchive(other, { key: checker, anchor: { anchor: await readAnchor(anchorFile), file: anchorFile } })).join('\n'),
    /the anchor signature does not verify/,
  );
});

t.test('the heartbeat re-seals the open digest; --max-silence-secs notices silence without an anchor', async (t) => {
  const dir = fresh();
  let clock = Date.UTC(2026, 7, 1, 12);
  const w = new NdjsonArchiveWriter({ dir, heartbeatMillis: 30, now: () => clock });
  await w.open();
  await w.write(events(3));
  await w.flush();
  clock += 60_000;
  await new Promise((r) => setTimeout(r, 120));
  const digest = JSON.parse(await readFile(path.join(dir, digestName(1)), 'utf8')) as Digest;
  t.equal(digest.sealed_at, new Date(clock).toISOString(), 'sealed again without new events');
  await w.release();
  t.ok((await verifyArchive(dir, { maxSilenceSecs: 120, now: () => clock + 60_000 })).ok, 'sealed 60 s ago: within 120 s');
  const r = await verifyArchive(dir, { maxSilenceSecs: 120, now: () => clock + 600_000 });
  t.match(errors(r).join('\n'), /seg-000001\.digest\.json: the newest digest was sealed at .*, 600 s ago, more than 120 s/);
});

async function pem(): Promise<string> {
  const file = path.join(tmp, 'public.pem');
  await writeFile(file, publicKey.export({ type: 'spki', format: 'pem' }));
  return file;
}
