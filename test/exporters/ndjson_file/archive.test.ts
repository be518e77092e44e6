import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { cp, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import fc from 'fast-check';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { NdjsonArchiveWriter } from '../../../src/exporters/ndjson_file/writer.js';
import { verifyArchive } from '../../../src/exporters/ndjson_file/verify.js';
import { queryArchive, type QueryFilter } from '../../../src/exporters/ndjson_file/query.js';
import {
  digestName,
  digestText,
  lineHash,
  sha256Hex,
  signDigest,
  type Digest,
  type SigningKey,
} from '../../../src/exporters/ndjson_file/format.js';
import { AuditLogProcessor } from '../../../src/sdk/audit-log-processor.js';
import type { AuditEvent } from '../../../src/model/event.js';
import { auditEvents } from '../../helpers/event-arbitrary.js';
import { buildArchive as buildArchiveWith, editDigest, errors, events, gzLines, writeGzLines } from '../../helpers/archive.js';
import { childEnv, cli } from '../../helpers/cli.js';
import { ROOT } from '../../helpers/golden.js';

const tmp = await mkdtemp(path.join(tmpdir(), 'auditkit-archive-'));
let n = 0;
const fresh = (): string => path.join(tmp, `a${n++}`);

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const signer: SigningKey = { algorithm: 'ed25519', keyId: 'test-2026', key: privateKey };
const checker: SigningKey = { algorithm: 'ed25519', keyId: 'test-2026', key: publicKey };

const buildArchive = (dir: string, key: SigningKey | null = signer): Promise<void> => buildArchiveWith(dir, key);

const pristine = fresh();
await buildArchive(pristine);

t.test('an untouched archive verifies, signatures included', async (t) => {
  const r = await verifyArchive(pristine, { key: checker });
  t.same(errors(r), []);
  t.ok(r.ok);
  t.equal(r.segments, 4);
  t.equal(r.records, 41);
  t.same((await readdir(pristine)).sort(), [
    'seg-000001.digest.json',
    'seg-000001.ndjson.gz',
    'seg-000002.digest.json',
    'seg-000002.ndjson.gz',
    'seg-000003.digest.json',
    'seg-000003.ndjson.gz',
    'seg-000004.digest.json',
    'seg-000004.ndjson',
  ]);
});

const SEG2 = 'seg-000002.ndjson.gz';
const tamperings: [string, (dir: string) => Promise<void>, RegExp][] = [
  [
    'change one byte in a line',
    async (d) => {
      const lines = await gzLines(path.join(d, SEG2));
      lines[4] = lines[4]!.replace('user', 'usEr');
      await writeGzLines(path.join(d, SEG2), lines);
    },
    /seg-000002\.ndjson\.gz:5: line modified/,
  ],
  [
    'delete a line',
    async (d) => {
      const lines = await gzLines(path.join(d, SEG2));
      lines.splice(6, 1);
      await writeGzLines(path.join(d, SEG2), lines);
    },
    /seg-000002\.ndjson\.gz:7: line 7 of the digest is missing here \(deleted\)/,
  ],
  [
    'insert a line',
    async (d) => {
      const lines = await gzLines(path.join(d, SEG2));
      lines.splice(3, 0, JSON.stringify(events(1, 999)[0]));
      await writeGzLines(path.join(d, SEG2), lines);
    },
    /seg-000002\.ndjson\.gz:4: line inserted/,
  ],
  [
    'swap two lines',
    async (d) => {
      const lines = await gzLines(path.join(d, SEG2));
      [lines[2], lines[3]] = [lines[3]!, lines[2]!];
      await writeGzLines(path.join(d, SEG2), lines);
    },
    /seg-000002\.ndjson\.gz:3: lines 3 and 4 are swapped/,
  ],
  ['delete a segment', async (d) => rm(path.join(d, SEG2)), /seg-000002\.ndjson\.gz: segment file is missing/],
  [
    'swap two segments',
    async (d) => {
      await rename(path.join(d, SEG2), path.join(d, 'x'));
      await rename(path.join(d, 'seg-000003.ndjson.gz'), path.join(d, SEG2));
      await rename(path.join(d, 'x'), path.join(d, 'seg-000003.ndjson.gz'));
    },
    /seg-000002\.ndjson\.gz: segment holds the content recorded for seg-000003/,
  ],
  [
    'truncate a segment',
    async (d) => {
      const lines = await gzLines(path.join(d, SEG2));
      await writeGzLines(path.join(d, SEG2), lines.slice(0, 5));
    },
    /seg-000002\.ndjson\.gz: segment has 5 lines, the digest records 12/,
  ],
  [
    'truncate the open segment',
    async (d) => {
      const f = path.join(d, 'seg-000004.ndjson');
      const text = await readFile(f, 'utf8');
      await writeFile(f, text.split('\n').slice(0, 2).join('\n') + '\n');
    },
    /seg-000004\.ndjson: segment has 2 lines, the digest covers 5 \(truncated\)/,
  ],
  [
    'edit a digest',
    (d) =>
      editDigest(d, 2, (dg) => {
        dg.last_time = '2030-01-01T00:00:00Z';
      }),
    /seg-000002\.digest\.json: signature does not verify/,
  ],
  [
    'delete a segment and its digest',
    async (d) => {
      await rm(path.join(d, SEG2));
      await rm(path.join(d, digestName(2)));
    },
    /seg-000003\.digest\.json: segments 2 to 2 are missing together with their digests/,
  ],
  [
    'forge a digest without the signing key',
    async (d) => {
      // The forger rewrites a line and recomputes the digest (and the chain after it), signing
      // with a key of their own.
      const lines = await gzLines(path.join(d, SEG2));
      lines[0] = lines[0]!.replace('user', 'evil');
      await writeGzLines(path.join(d, SEG2), lines);
      const forger: SigningKey = { algorithm: 'ed25519', keyId: 'test-2026', key: generateKeyPairSync('ed25519').privateKey };
      let previous: string | null = sha256Hex(await readFile(path.join(d, digestName(1))));
      for (const seq of [2, 3, 4]) {
        const f = path.join(d, digestName(seq));
        const dg = JSON.parse(await readFile(f, 'utf8')) as Digest;
        if (seq === 2) {
          const text = `${lines.join('\n')}\n`;
          dg.sha256 = sha256Hex(text);
          dg.line_hashes = Buffer.concat(lines.map((l) => lineHash(l))).toString('base64');
        }
        dg.previous_digest_sha256 = previous;
        const forged = digestText(signDigest({ ...dg, signature: undefined }, forger));
        await writeFile(f, forged);
        previous = dg.state === 'closed' ? sha256Hex(forged) : previous;
      }
    },
    /seg-000002\.digest\.json: signature does not verify/,
  ],
];

t.test('tamper matrix: every change is found and named (segment, line, what)', async (t) => {
  for (const [name, tamper, expected] of tamperings) {
    const dir = fresh();
    await cp(pristine, dir, { recursive: true });
    await tamper(dir);
    const r = await verifyArchive(dir, { key: checker });
    t.notOk(r.ok, `${name}: verify fails`);
    t.ok(
      errors(r).some((e) => expected.test(e)),
      `${name}: reported as ${expected} (got ${JSON.stringify(errors(r))})`,
    );
    const viaCli = await cli(['verify', dir, '--public-key', pemFile]);
    t.equal(viaCli.code, 1, `${name}: auditkit verify exits 1`);
  }
});

const pemFile = path.join(tmp, 'public.pem');
await writeFile(pemFile, publicKey.export({ type: 'spki', format: 'pem' }));

t.test('signed archives need a key to verify; HMAC signing works too', async (t) => {
  const r = await verifyArchive(pristine);
  t.notOk(r.ok, 'no key given: fail closed');
  t.match(errors(r)[0], /digest is signed \(ed25519, key test-2026\); pass the key/);
  const dir = fresh();
  const hmac: SigningKey = { algorithm: 'hmac-sha256', keyId: 'h1', key: 'hmac-secret' };
  await buildArchive(dir, hmac);
  t.ok((await verifyArchive(dir, { key: hmac })).ok);
  t.notOk((await verifyArchive(dir, { key: { ...hmac, key: 'wrong' } })).ok, 'another HMAC key fails');
  const viaCli = await cli(['verify', dir, '--hmac-key-env', 'AUDITKIT_TEST_HMAC'], {});
  t.equal(viaCli.code, 2, 'an unset key variable is a usage error');
});

t.test('unsigned archives: the chain still finds edits that are not recomputed', async (t) => {
  const dir = fresh();
  await buildArchive(dir, null);
  t.ok((await verifyArchive(dir)).ok);
  await editDigest(dir, 1, (dg) => {
    dg.records = 11;
  });
  const r = await verifyArchive(dir);
  t.ok(
    errors(r).some((e) => e.includes('seg-000002.digest.json: previous-digest hash does not match')),
    'the next digest no longer chains',
  );
});

t.test('crash test: SIGKILL at random moments; the archive verifies up to the last flush and query returns no partial line', async (t) => {
  for (let round = 0; round < 5; round++) {
    const dir = fresh();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/fixtures/archive-crash-writer.ts'), dir, '150000'], {
      cwd: ROOT,
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let flushed = 0;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const started = new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        const m = /flushed (\d+)\n(?![\s\S]*flushed)/.exec(d.toString());
        if (m) flushed = Number(m[1]);
        resolve();
      });
    });
    await started;
    await new Promise((r) => setTimeout(r, 50 + Math.floor(Math.random() * 700)));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    t.ok(flushed > 0, `round ${round}: ${flushed} records flushed before the kill ${stderr ? stderr.slice(0, 200) : ''}`);
    const r = await verifyArchive(dir);
    t.same(errors(r), [], `round ${round}: verifies (warnings only for lines after the last flush)`);
    const ids: string[] = [];
    for await (const e of queryArchive(dir)) ids.push(e.id);
    t.ok(ids.length >= flushed, `round ${round}: query returns at least the ${flushed} flushed records (${ids.length})`);
    t.equal(new Set(ids).size, ids.length, `round ${round}: no duplicates, no partial lines`);
    // Restart: the writer recovers (drops a torn line) and the archive stays valid.
    const w = new NdjsonArchiveWriter({ dir, maxFileBytes: 150_000 });
    await w.open();
    await w.write(events(10, 100_000));
    await w.close();
    const after = await verifyArchive(dir, { strict: true });
    t.same(errors(after), [], `round ${round}: after restart and close, verifies strictly`);
    t.same(
      (await readdir(dir)).filter((f) => f.endsWith('.tmp')),
      [],
      `round ${round}: the killed writer's gzip in progress (.gz.tmp) is gone`,
    );
  }
});

t.test('rotation by age and by size', async (t) => {
  const dir = fresh();
  let clock = Date.UTC(2026, 7, 1);
  const w = new NdjsonArchiveWriter({ dir, maxFileAgeMillis: 60_000, now: () => clock });
  await w.open();
  await w.write(events(3));
  await w.flush();
  clock += 61_000;
  await w.write(events(3, 3));
  await w.close();
  t.same((await readdir(dir)).filter((f) => f.endsWith('.gz')).length, 2, 'a segment older than max age is closed before the next write');
  t.ok((await verifyArchive(dir, { strict: true })).ok);
});

/** An independent, plain filter the query must agree with. */
function plainFilter(events: AuditEvent[], f: QueryFilter): AuditEvent[] {
  const ns = (t: string): bigint => {
    const m = /^(.*?)(?:\.(\d+))?Z$/.exec(t)!;
    return BigInt(Date.parse(`${m[1]}Z`)) * 1_000_000n + BigInt((m[2] ?? '').slice(0, 9).padEnd(9, '0'));
  };
  const lc = (s: string | undefined): string => (s ?? '').toLowerCase();
  return events.filter((e) => {
    if (f.since && ns(e.time) < ns(f.since)) return false;
    if (f.until && ns(e.time) >= ns(f.until)) return false;
    if (f.vendor && e.vendor !== f.vendor) return false;
    if (f.actor && ![e.actor?.id, e.actor?.email, e.actor?.name].some((v) => v !== undefined && lc(v).includes(lc(f.actor)))) return false;
    if (
      f.action &&
      !(lc(e.action.name).includes(lc(f.action)) || e.action.category === lc(f.action) || e.action.operation === lc(f.action))
    )
      return false;
    if (f.search) {
      // "any field": every value, at any depth (not keys, not JSON syntax)
      const values: string[] = [];
      const walk = (v: unknown): void => {
        if (typeof v === 'string') values.push(v);
        else if (typeof v === 'number' || typeof v === 'boolean') values.push(String(v));
        else if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === 'object') Object.keys(v).forEach((k) => walk((v as Record<string, unknown>)[k]));
      };
      walk(e);
      if (!values.some((s) => lc(s).includes(lc(f.search)))) return false;
    }
    return true;
  });
}

t.test('property: query equals a plain filter over the same events', async (t) => {
  let runs = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(auditEvents(), { minLength: 0, maxLength: 25 }),
      fc.record(
        {
          since: fc.option(fc.constantFrom('1980-01-01T00:00:00Z', '2000-06-01T12:00:00.5Z', '2050-01-01T00:00:00Z'), { nil: undefined }),
          until: fc.option(fc.constantFrom('1990-01-01T00:00:00Z', '2030-01-01T00:00:00.000000001Z', '2099-01-01T00:00:00Z'), {
            nil: undefined,
          }),
          vendor: fc.option(fc.constantFrom('wandb', 'snorkel', 'wherobots'), { nil: undefined }),
          actor: fc.option(fc.string({ minLength: 1, maxLength: 2 }), { nil: undefined }),
          action: fc.option(fc.oneof(fc.string({ minLength: 1, maxLength: 2 }), fc.constantFrom('create', 'read')), { nil: undefined }),
          search: fc.option(fc.oneof(fc.string({ minLength: 1, maxLength: 2 }), fc.constantFrom('{', '"', ':', 'wandb', 'a')), {
            nil: undefined,
          }),
        },
        { requiredKeys: [] },
      ),
      fc.integer({ min: 300, max: 5000 }),
      async (evs, filter, maxBytes) => {
        const dir = fresh();
        const w = new NdjsonArchiveWriter({ dir, maxFileBytes: maxBytes });
        await w.open();
        await w.write(evs);
        // Closed and open segments both.
        if (evs.length % 2 === 0) await w.close();
        else await w.release();
        const got: AuditEvent[] = [];
        for await (const e of queryArchive(dir, filter)) got.push(e);
        // Every writer archives an id once (issue 10): the first event of each id is what is there.
        const seen = new Set<string>();
        const archived = evs.filter((e) => !seen.has(e.id) && Boolean(seen.add(e.id)));
        const want = plainFilter(archived, filter);
        if (JSON.stringify(got) !== JSON.stringify(want))
          throw new Error(`query ${JSON.stringify(filter)} gave ${got.length}, plain filter ${want.length}`);
        runs++;
      },
    ),
    { numRuns: 200 },
  );
  t.equal(runs, 200);
});

t.test('as an SDK LogRecordExporter inside a LoggerProvider', async (t) => {
  const dir = fresh();
  const archive = new NdjsonArchiveWriter({ dir });
  const provider = new LoggerProvider({
    processors: [new AuditLogProcessor({ next: new SimpleLogRecordProcessor({ exporter: archive }) })],
  });
  const logger = provider.getLogger('x');
  for (const line of (await readFile(path.join(ROOT, 'examples/wandb/api-stream.ndjson'), 'utf8')).trim().split('\n')) {
    logger.emit({ body: line, attributes: { 'auditkit.vendor': 'wandb' } });
  }
  await provider.shutdown();
  const got: AuditEvent[] = [];
  for await (const e of queryArchive(dir)) got.push(e);
  t.equal(got.length, 40);
  t.equal(got[0]!.actor?.email, '****', 'redacted on the way in');
  t.ok((await verifyArchive(dir, { strict: true })).ok);
});

t.test('CLI: convert --to archive, verify, query in every format', async (t) => {
  const dir = fresh();
  const inputs = ['wandb/api-stream.ndjson', 'snorkel/audit-logs.json', 'wherobots/audit-log-export.csv'].map((f) =>
    path.join(ROOT, 'examples', f),
  );
  const convertArgs = [
    'convert',
    ...inputs,
    '--to',
    'archive',
    '-o',
    dir,
    '--max-file-bytes',
    '20000',
    '--sign-key-file',
    path.join(tmp, 'private.pem'),
  ];
  const c = await cli(convertArgs);
  t.equal(c.code, 2, 'a missing key file is a usage error');
  await writeFile(path.join(tmp, 'private.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const ok = await cli(convertArgs);
  t.equal(ok.code, 0, ok.stderr);
  t.notMatch(ok.stderr + ok.stdout, /PRIVATE KEY/, 'key material never printed');
  const v = await cli(['verify', dir, '--public-key', pemFile]);
  t.equal(v.code, 0, v.stdout + v.stderr);
  t.match(v.stderr, /120 records, 0 errors, 0 warnings, signatures checked: OK/);
  const nd = await cli(['query', dir, '--vendor', 'wherobots', '--since', '2026-02-10T00:00:00Z', '--until', '2026-02-20T00:00:00Z']);
  const rows = nd.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as AuditEvent);
  t.ok(
    rows.length > 0 && rows.every((e) => e.vendor === 'wherobots' && e.time >= '2026-02-10' && e.time < '2026-02-20'),
    `${rows.length} filtered events`,
  );
  const csv = await cli(['query', dir, '--search', 'acme-ml', '--format', 'csv']);
  t.ok(csv.stdout.startsWith('\ufefftime,vendor,action,'), 'CSV with a BOM and a header');
  t.match(csv.stdout, /\r\n2026-08-01T/, 'CRLF rows');
  const table = await cli(['query', dir, '--actor', 'dana', '--format', 'table']);
  t.match(table.stdout.split('\n')[0], /^time\s+vendor\s+action/);
  t.equal((await cli(['query', dir, '--since', 'yesterday'])).code, 2, 'a bad time is a usage error');
});
