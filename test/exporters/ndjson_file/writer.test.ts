/**
 * The writer adopts only what verifies, and one writer at a time (issue 10, items 1 and 2): a
 * forged segment or an edited open line is refused (never signed); lines no digest covers are
 * dropped as unacknowledged; a second writer fails fast (exit 3) or waits; a stale lock is taken
 * over.
 */
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { appendFile, cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import { ArchiveIntegrityError } from '../../../src/errors.js';
import { digestName, type SigningKey } from '../../../src/exporters/ndjson_file/format.js';
import { ArchiveLockedError, LOCK_FILE } from '../../../src/exporters/ndjson_file/lock.js';
import { queryArchive } from '../../../src/exporters/ndjson_file/query.js';
import { verifyArchive } from '../../../src/exporters/ndjson_file/verify.js';
import { NdjsonArchiveWriter } from '../../../src/exporters/ndjson_file/writer.js';
import { buildArchive, errors, events } from '../../helpers/archive.js';
import { cli, CLI_ARGS, childEnv } from '../../helpers/cli.js';
import { ROOT } from '../../helpers/golden.js';

const tmp = await mkdtemp(path.join(tmpdir(), 'auditkit-writer-'));
let n = 0;
const fresh = (): string => path.join(tmp, `a${n++}`);
const key: SigningKey = { algorithm: 'ed25519', keyId: 'k1', key: generateKeyPairSync('ed25519').privateKey };
const signed = fresh();
await buildArchive(signed, key);
const OPEN = 'seg-000004.ndjson';

async function copyOf(dir: string): Promise<string> {
  const d = fresh();
  await cp(dir, d, { recursive: true });
  return d;
}
const digests = async (dir: string): Promise<string[]> =>
  Promise.all(
    (await readdir(dir))
      .filter((f) => f.endsWith('.digest.json'))
      .sort()
      .map((f) => readFile(path.join(dir, f), 'utf8')),
  );

async function refused(t: Test, dir: string, expected: RegExp, signingKey: SigningKey | null = key): Promise<void> {
  const before = await digests(dir);
  const w = new NdjsonArchiveWriter({ dir, ...(signingKey ? { signingKey } : {}) });
  await t.rejects(w.open(), ArchiveIntegrityError);
  await t.rejects(new NdjsonArchiveWriter({ dir, ...(signingKey ? { signingKey } : {}) }).open(), expected);
  t.same(await digests(dir), before, 'no digest was written or signed');
  t.notOk((await readdir(dir)).includes(LOCK_FILE), 'the lock was released');
}

t.test('a forged segment with no digest, dropped past the chain, is refused', async (t) => {
  const dir = await copyOf(signed);
  await writeFile(path.join(dir, 'seg-000005.ndjson'), `${JSON.stringify(events(1, 500)[0])}\n`);
  await refused(t, dir, /seg-000005\.ndjson: a segment with no digest \(no writer flushed it\)/);
});

t.test('a forged segment replacing the open one (no digest for it) is refused', async (t) => {
  const dir = await copyOf(signed);
  const { rm } = await import('node:fs/promises');
  await rm(path.join(dir, digestName(4)));
  await refused(t, dir, /seg-000004\.ndjson: a segment with no digest \(no writer flushed it\)/);
});

t.test('a line edited in the open segment is refused, naming the line', async (t) => {
  const dir = await copyOf(signed);
  const f = path.join(dir, OPEN);
  await writeFile(f, (await readFile(f, 'utf8')).replace('user', 'evil'));
  await refused(t, dir, /seg-000004\.ndjson: line \d differs from its digest \(modified after it was written\)/);
});

t.test('a signed archive is refused without its key, or with another key', async (t) => {
  await refused(t, await copyOf(signed), /the archive is signed \(ed25519, key k1\); open it with the signing key/, null);
  const other: SigningKey = { algorithm: 'ed25519', keyId: 'k1', key: generateKeyPairSync('ed25519').privateKey };
  await refused(t, await copyOf(signed), /the signature does not verify with this key/, other);
});

t.test('a broken chain is refused', async (t) => {
  const dir = await copyOf(signed);
  await writeFile(
    path.join(dir, digestName(2)),
    (await readFile(path.join(dir, digestName(2)), 'utf8')).replace('"records": 12', '"records": 11'),
  );
  await refused(
    t,
    dir,
    /seg-000002\.digest\.json: the signature does not verify|seg-000003\.digest\.json: the previous-digest hash does not match/,
  );
});

t.test('lines no digest covers (written, never acknowledged) are dropped; the archive verifies strictly after', async (t) => {
  const dir = await copyOf(signed);
  await appendFile(path.join(dir, OPEN), `${JSON.stringify(events(1, 900)[0])}\n{"torn":`);
  const warnings: string[] = [];
  const w = new NdjsonArchiveWriter({ dir, signingKey: key, onWarning: (m) => warnings.push(m) });
  await w.open();
  t.equal(w.droppedUnacknowledged, 1);
  t.match(warnings.join('\n'), /seg-000004\.ndjson: dropped 1 lines written after the last flush/);
  await w.write(events(2, 1000));
  await w.close();
  const ids: string[] = [];
  for await (const e of queryArchive(dir)) ids.push(e.id);
  t.notOk(ids.includes('wandb:e900'), 'the unacknowledged line is gone');
  t.ok(ids.includes('wandb:e1001'));
  t.same(errors(await verifyArchive(dir, { key, strict: true })), []);
});

t.test('an empty segment left by a crash before its first digest is removed', async (t) => {
  const dir = fresh();
  const w = new NdjsonArchiveWriter({ dir });
  await w.open();
  await w.write(events(3));
  await w.close();
  await writeFile(path.join(dir, 'seg-000002.ndjson'), '');
  const again = new NdjsonArchiveWriter({ dir });
  await again.open();
  await again.write(events(3, 3));
  await again.close();
  t.same(errors(await verifyArchive(dir, { strict: true })), []);
});

t.test('one writer at a time: a second fails fast naming the holder, or waits', async (t) => {
  const dir = fresh();
  const first = new NdjsonArchiveWriter({ dir });
  await first.open();
  await t.rejects(new NdjsonArchiveWriter({ dir }).open(), ArchiveLockedError);
  await t.rejects(new NdjsonArchiveWriter({ dir }).open(), new RegExp(`archive .* is locked by pid ${process.pid} since \\d{4}-`));
  const waiting = new NdjsonArchiveWriter({ dir, lockWaitMillis: 5000 });
  const opened = waiting.open();
  await first.write(events(3));
  await first.close();
  await opened;
  await waiting.write(events(3, 3));
  await waiting.close();
  t.same(errors(await verifyArchive(dir, { strict: true })), []);
  t.notOk((await readdir(dir)).includes(LOCK_FILE), 'released on close');
});

t.test('a stale lock (same host, dead pid) is taken over', async (t) => {
  const dir = fresh();
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  await writeFile(
    path.join(dir, LOCK_FILE),
    JSON.stringify({ pid: Number(dead.stdout), host: hostname(), since: '2026-01-01T00:00:00.000Z' }),
  );
  const w = new NdjsonArchiveWriter({ dir });
  await w.open();
  await w.close();
  t.pass('opened over the stale lock');
  await writeFile(
    path.join(dir, LOCK_FILE),
    JSON.stringify({ pid: Number(dead.stdout), host: 'another-host', since: '2026-01-01T00:00:00.000Z' }),
  );
  await t.rejects(
    new NdjsonArchiveWriter({ dir }).open(),
    /locked by pid \d+ on another-host/,
    'a lock of another host is never taken over',
  );
});

t.test('CLI: two converts into one archive at once: one writes, the other exits 3 and touches nothing', async (t) => {
  const dir = fresh();
  const input = path.join(ROOT, 'examples/wandb/api-stream.ndjson');
  const run = (): Promise<{ code: number | null; stderr: string }> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [...CLI_ARGS, 'convert', input, input, input, '--to', 'archive', '-o', dir], {
        cwd: ROOT,
        env: childEnv(),
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code, stderr }));
    });
  // Hold the lock while both start, so they surely overlap.
  const holder = new NdjsonArchiveWriter({ dir });
  await holder.open();
  const [a, b] = await Promise.all([run(), run()]);
  await holder.close();
  t.same([a.code, b.code], [3, 3], 'both fail fast while another writer holds the archive');
  t.match(a.stderr, new RegExp(`is locked by pid ${process.pid}`));
  t.notMatch(a.stderr, /\n\s+at /, 'no stack trace');
  const c = await cli(['convert', input, '--to', 'archive', '-o', dir, '--wait-lock-secs', '5']);
  t.equal(c.code, 0, c.stderr);
  t.same(errors(await verifyArchive(dir, { strict: true })), []);
  const ids: string[] = [];
  for await (const e of queryArchive(dir)) ids.push(e.id);
  t.equal(ids.length, 40, 'the one run that wrote, once');
  t.equal(new Set(ids).size, ids.length);
});

t.test('CLI: convert into a tampered archive exits 1 and names the file', async (t) => {
  const dir = await copyOf(signed);
  await writeFile(path.join(dir, 'seg-000005.ndjson'), `${JSON.stringify(events(1, 500)[0])}\n`);
  const pem = path.join(tmp, 'k.pem');
  await writeFile(pem, key.key.export({ type: 'pkcs8', format: 'pem' }) as string);
  const r = await cli([
    'convert',
    path.join(ROOT, 'examples/wandb/api-stream.ndjson'),
    '--to',
    'archive',
    '-o',
    dir,
    '--sign-key-file',
    pem,
    '--sign-key-id',
    'k1',
  ]);
  t.equal(r.code, 1, r.stderr);
  t.match(r.stderr, /seg-000005/);
});

t.test('a deleted closed segment is refused by the next writer', async (t) => {
  const dir = await copyOf(signed);
  const { rm } = await import('node:fs/promises');
  await rm(path.join(dir, 'seg-000002.ndjson.gz'));
  await refused(t, dir, /seg-000002\.ndjson\.gz: the segment of a closed digest is missing/);
});

t.test('auditkit run into a tampered archive exits 1 before pulling', async (t) => {
  const dir = await copyOf(signed);
  await writeFile(path.join(dir, 'seg-000005.ndjson'), `${JSON.stringify(events(1, 500)[0])}\n`);
  const config = path.join(tmp, 'run.yaml');
  await writeFile(
    config,
    [
      'receivers:',
      '  wherobots: { url: "http://127.0.0.1:9", api_key: k, since: "2026-08-01T00:00:00Z" }',
      'exporters:',
      `  ndjson_file: { directory: ${JSON.stringify(dir)}, sign_hmac_key: wrong-kind-of-key }`,
      'service:',
      `  state_directory: ${JSON.stringify(path.join(tmp, 'run-state'))}`,
      '  pipelines: { logs: { receivers: [wherobots], exporters: [ndjson_file] } }',
      '',
    ].join('\n'),
  );
  const r = await cli(['run', '--config', config, '--once']);
  t.equal(r.code, 1, r.stderr);
  t.match(r.stderr, /cannot start: .*seg-000005\.ndjson: a segment with no digest/);
});

t.test('CLI: two converts of the same input started together with --wait-lock-secs: both succeed, each event once', async (t) => {
  const dir = fresh();
  const input = path.join(ROOT, 'examples/snorkel/audit-logs.json');
  const run = (): Promise<{ code: number | null; stderr: string }> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [...CLI_ARGS, 'convert', input, '--to', 'archive', '-o', dir, '--wait-lock-secs', '30'], {
        cwd: ROOT,
        env: childEnv(),
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code, stderr }));
    });
  const [a, b] = await Promise.all([run(), run()]);
  t.same([a.code, b.code], [0, 0], `${a.stderr}\n${b.stderr}`);
  t.match(`${a.stderr}\n${b.stderr}`, /skipped 32 already archived/, 'the later one wrote nothing twice');
  t.same(errors(await verifyArchive(dir, { strict: true })), []);
  const ids: string[] = [];
  for await (const e of queryArchive(dir)) ids.push(e.id);
  t.equal(ids.length, 32);
  t.equal(new Set(ids).size, 32);
});

t.test('write does not make the caller wait for an append under 32 MiB; an append that fails fails the next flush and ack', async (t) => {
  const dir = fresh();
  const w = new NdjsonArchiveWriter({ dir, maxFileBytes: 100_000, dedupeWindowMillis: 0 });
  await w.open();
  const batch = events(8000); // about 1.4 MiB of lines: past the 1 MiB append threshold
  t.equal(w.write(batch), undefined, 'past 1 MiB an append starts, and the caller is not made to wait');
  await w.flush();
  t.equal(w.written, 8000, 'flush waits for it: every line is in the archive');
  t.ok((await verifyArchive(dir)).ok);
  const names = await readdir(dir);
  const open = names.filter((f) => /^seg-\d+\.ndjson$/.test(f));
  t.same(
    names.filter((f) => f.endsWith('.tmp')),
    open.map((f) => `${f}.gz.tmp`),
    "the only temporary file is the open segment's gzip in progress",
  );
  // The directory goes away under the writer: the background append fails, and so does the flush.
  await rm(dir, { recursive: true, force: true });
  t.equal(w.write(events(8000, 8000)), undefined);
  await t.rejects(w.flush(), { code: 'ENOENT' }, 'the failure is not lost: flush (what ack waits for) rejects');
  await t.rejects(w.flush(), { code: 'ENOENT' }, 'and stays failed: nothing after it is acknowledged');
  await w.release().catch(() => undefined);
});

t.test('a segment gzip that failed while idle fails the next append and flush instead of hanging', async (t) => {
  const dir = fresh();
  const w = new NdjsonArchiveWriter({ dir, dedupeWindowMillis: 0 });
  await w.open();
  w.write(events(10));
  await w.flush();
  // The gzip of the open segment fails between appends (as a full disk would fail its file).
  const seg = (w as unknown as { seg: { gz: { stream: { destroy(e: Error): void } } } }).seg;
  seg.gz.stream.destroy(new Error('no space left on the gzip'));
  await new Promise((r) => setTimeout(r, 20));
  w.write(events(8000, 10)); // past 1 MiB: an append starts
  const outcome = await Promise.race([
    w.flush().then(
      () => 'resolved',
      (e: unknown) => (e as Error).message,
    ),
    new Promise<string>((r) => setTimeout(() => r('hung'), 5000)),
  ]);
  t.equal(outcome, 'no space left on the gzip', 'flush rejects with the gzip error (not a hang, not a success)');
  await w.release().catch(() => undefined);
});
