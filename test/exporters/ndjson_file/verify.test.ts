/**
 * `verify` never crashes on a damaged archive and names every problem (issue 10): renamed,
 * missing and directory segments, partial lines in closed segments, unsigned digests whose
 * fields disagree with their segment, and `--require-signatures`. `query` reads past damage.
 */
import { cp, mkdir, mkdtemp, rename, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import t from 'tap';
import { LINE_HASH_BYTES } from '../../../src/exporters/ndjson_file/format.js';
import { verifyArchive } from '../../../src/exporters/ndjson_file/verify.js';
import { buildArchive, editDigest, errors } from '../../helpers/archive.js';
import { cli } from '../../helpers/cli.js';

const tmp = await mkdtemp(path.join(tmpdir(), 'auditkit-verify-'));
let n = 0;
const fresh = (): string => path.join(tmp, `a${n++}`);
const unsigned = fresh();
await buildArchive(unsigned, null);
const SEG2 = 'seg-000002.ndjson.gz';

async function tampered(tamper: (dir: string) => Promise<void>): Promise<string> {
  const dir = fresh();
  await cp(unsigned, dir, { recursive: true });
  await tamper(dir);
  return dir;
}

const cases: [string, (dir: string) => Promise<void>, RegExp][] = [
  [
    'a closed segment renamed to the open name',
    (d) => rename(path.join(d, SEG2), path.join(d, 'seg-000002.ndjson')),
    /seg-000002\.ndjson: the digest is closed, so the segment should be seg-000002\.ndjson\.gz \(renamed\?\)/,
  ],
  [
    'a segment replaced by a directory',
    async (d) => {
      await rm(path.join(d, SEG2));
      await mkdir(path.join(d, SEG2));
    },
    /seg-000002\.ndjson\.gz: cannot read segment: EISDIR/,
  ],
  [
    'a partial line appended to a closed segment',
    (d) => appendFile(path.join(d, SEG2), gzipSync('{"id":"wandb:forged"')),
    /seg-000002\.ndjson\.gz: \d+ bytes after the last line \(a partial line without a newline\)/,
  ],
  [
    'an unsigned digest whose byte count was edited',
    (d) =>
      editDigest(d, 4, (dg) => {
        dg.bytes += 10;
      }),
    /seg-000004\.digest\.json: bytes is \d+, the segment has \d+/,
  ],
  [
    'an unsigned digest naming another segment file',
    (d) =>
      editDigest(d, 4, (dg) => {
        dg.segment = 'seg-000009.ndjson';
      }),
    /seg-000004\.digest\.json: segment is "seg-000009\.ndjson", expected "seg-000004\.ndjson"/,
  ],
  [
    'an unsigned digest with an impossible opened_at',
    (d) =>
      editDigest(d, 4, (dg) => {
        dg.opened_at = 'yesterday';
      }),
    /seg-000004\.digest\.json: opened_at is not an RFC 3339 time/,
  ],
  [
    'an unsigned digest whose line hashes do not match its record count',
    (d) =>
      editDigest(d, 4, (dg) => {
        const hashes = Buffer.from(dg.line_hashes, 'base64');
        dg.line_hashes = hashes.subarray(0, hashes.length - LINE_HASH_BYTES).toString('base64'); // one hash fewer
      }),
    /seg-000004\.digest\.json: line_hashes holds 4 hashes, records is 5/,
  ],
];

for (const [name, tamper, expected] of cases) {
  t.test(`verify: ${name} is reported, never a crash`, async (t) => {
    const dir = await tampered(tamper);
    const r = await verifyArchive(dir);
    t.notOk(r.ok, 'fails');
    t.ok(
      errors(r).some((e) => expected.test(e)),
      `reported as ${expected} (got ${JSON.stringify(errors(r))})`,
    );
    const viaCli = await cli(['verify', dir]);
    t.equal(viaCli.code, 1, 'auditkit verify exits 1');
    t.notMatch(viaCli.stderr, /\n\s+at /, 'no stack trace');
  });
}

t.test('verify --require-signatures fails on unsigned digests; a missing archive is exit 3', async (t) => {
  t.ok((await verifyArchive(unsigned)).ok, 'unsigned archives verify without the option');
  const r = await verifyArchive(unsigned, { requireSignatures: true });
  t.notOk(r.ok);
  t.match(errors(r).join('\n'), /seg-000001\.digest\.json: digest is not signed \(--require-signatures\)/);
  t.equal((await cli(['verify', unsigned, '--require-signatures'])).code, 1);
});

t.test('query reads past a damaged segment, names it, and exits 1', async (t) => {
  const dir = await tampered(async (d) => {
    await writeFile(path.join(d, SEG2), Buffer.from('not gzip at all'));
  });
  const r = await cli(['query', dir]);
  t.equal(r.code, 1, 'exit 1: some segment could not be read');
  t.match(r.stderr, /seg-000002\.ndjson\.gz: cannot read segment/);
  const ids = r.stdout
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { id: string }).id);
  t.equal(ids.length, 41 - 12, 'every event of the other segments');
  t.ok(ids.includes('wandb:e40'), 'including those after the damaged segment');
});
