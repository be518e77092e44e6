/**
 * Misbehaving servers (issue 11, item 5 and 6): a page cut off cleanly is asked for again and
 * never advances the checkpoint; bodies are capped; a cursor cycle or an endless cursor stops
 * the pull (exit 3) with the checkpoint at the last good page; checkpoints cost O(overlap).
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { ENVELOPE_KEYS, adapterFor, envelopeKeyOf } from '../../../src/components/adapters.js';
import type { ReceiverSink } from '../../../src/components/receiver-sink.js';
import type { AuditEvent } from '../../../src/model/event.js';
import { pullSource, type PullSourceOptions } from '../../../src/receivers/vendor_api/pull.js';
import { cli } from '../../helpers/cli.js';
import { VendorServer, wandbRecords, wandbServer } from '../../helpers/vendor-servers.js';

const tmp = await mkdtemp(path.join(tmpdir(), 'auditkit-hostile-'));
let n = 0;
const fresh = (): string => path.join(tmp, `s${n++}`);
const T0 = Date.UTC(2026, 7, 1);
const DAY = 86_400_000;

function sink(): ReceiverSink & { events: AuditEvent[] } {
  const s = {
    events: [] as AuditEvent[],
    write: (evs: readonly AuditEvent[]) => {
      s.events.push(...evs);
      return undefined;
    },
    ack: () => Promise.resolve(),
    reject: () => undefined,
  };
  return s;
}

const wandbPull = (url: string, state: string, extra: Partial<PullSourceOptions> = {}): PullSourceOptions => ({
  adapter: adapterFor('wandb')!,
  readOptions: { envelopeKeyOf, envelopeKeys: ENVELOPE_KEYS },
  source: 'wandb',
  url,
  credentials: { apiKey: 'wandb-key', username: 'admin' },
  vendorOptions: { page_size: 100 },
  since: new Date(T0).toISOString(),
  until: new Date(T0 + DAY).toISOString(),
  stateDir: state,
  http: { minBackoffMillis: 10, maxBackoffMillis: 100, timeoutMillis: 2000 },
  ...extra,
});

async function started<T extends VendorServer>(t: { teardown: (fn: () => Promise<void>) => void }, server: T): Promise<T> {
  await server.start();
  t.teardown(() => server.stop());
  return server;
}

t.test('a W&B page cut off by a proxy but ending cleanly is asked for again: nothing lost', async (t) => {
  const records = wandbRecords(1000, T0, 60_000);
  const server = await started(t, wandbServer(records));
  server.faults = [{ cutCleanly: true }, {}, { cutCleanly: true }];
  const retries: string[] = [];
  const s = sink();
  const counts = await pullSource(
    wandbPull(server.url, fresh(), { http: { minBackoffMillis: 10, maxBackoffMillis: 100, onRetry: (m) => retries.push(m) } }),
    s,
  );
  t.equal(s.events.length, 1000, 'every event delivered');
  t.equal(counts.rejected, 0, 'no dead letter for a cut page');
  t.equal(retries.length, 2, 'each cut page was asked for again');
  t.match(retries[0], /unreadable answer .*cut/);
});

t.test('an endless body stops at max_response_bytes, quickly and in bounded memory', async (t) => {
  const server = await started(
    t,
    new VendorServer((_url, _req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = (): void => {
        while (res.write(chunk));
        res.once('drain', pump);
      };
      res.write('{"audit_logs":[');
      pump();
    }),
  );
  const state = fresh();
  const started_ = Date.now();
  const rssBefore = process.memoryUsage().rss;
  await t.rejects(
    pullSource(wandbPull(server.url, state, { http: { maxResponseBytes: 8 * 1024 * 1024, retries: 0 } }), sink()),
    /exceeds max_response_bytes \(8388608\)/,
  );
  const ms = Date.now() - started_;
  const grew = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
  t.ok(ms < 5000, `stopped after ${ms} ms`);
  t.ok(grew < 100, `memory grew ${grew.toFixed(0)} MB`);
});

t.test('a cursor cycle A -> B -> A stops the pull; the checkpoint stays at the last good page', async (t) => {
  const records = wandbRecords(30, T0, 60_000);
  let calls = 0;
  const server = await started(
    t,
    new VendorServer((url, _req, res) => {
      calls++;
      const cursor = url.searchParams.get('cursor');
      const next = cursor === 'A' ? 'B' : 'A';
      const page = cursor === null ? records.slice(0, 10) : cursor === 'A' ? records.slice(10, 20) : records.slice(20, 30);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ audit_logs: page, next_cursor: next }));
    }),
  );
  const state = fresh();
  const s = sink();
  await t.rejects(pullSource(wandbPull(server.url, state), s), /a cursor it gave before in this window \(a cursor cycle\)/);
  t.equal(calls, 3, 'three requests, then it stopped');
  t.equal(s.events.length, 20, 'the pages before the cycle were delivered');
  const cp = JSON.parse(await readFile(path.join(state, 'wandb.checkpoint.json'), 'utf8')) as { current?: { cursor?: string } };
  t.equal(cp.current?.cursor, 'B', 'the checkpoint is where the last good page left it');
});

t.test('a new cursor on every empty page stops at max_pages (CLI: exit 3)', async (t) => {
  let calls = 0;
  const server = await started(
    t,
    new VendorServer((_url, _req, res) => {
      calls++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ audit_logs: [], next_cursor: `c${calls}` }));
    }),
  );
  process.env.AUDITKIT_TEST_HOSTILE_KEY = 'wandb-key';
  const r = await cli(
    [
      'pull',
      'wandb',
      '--url',
      server.url,
      '--username',
      'admin',
      '--api-key-env',
      'AUDITKIT_TEST_HOSTILE_KEY',
      '--since',
      '2026-08-01T00:00:00Z',
      '--until',
      '2026-08-02T00:00:00Z',
      '--state',
      fresh(),
      '--max-pages',
      '50',
    ],
    {},
  );
  t.equal(r.code, 3, r.stderr);
  t.match(r.stderr, /50 pages in one window \(max_pages\)/);
  t.equal(calls, 50);
});

t.test('checkpoints cost O(overlap): a 100,000-event pull writes checkpoint bytes for the overlap, not the range', async (t) => {
  const records = wandbRecords(100_000, T0, 800); // a little less than a day
  const server = await started(t, wandbServer(records));
  const s = sink();
  const counts = await pullSource(wandbPull(server.url, fresh(), { vendorOptions: { page_size: 1000 }, overlapMillis: 10 * 60_000 }), s);
  t.equal(s.events.length, 100_000);
  t.equal(counts.pages, 100);
  // The overlap (10 minutes) holds 750 events; a page's checkpoint about 70 bytes each.
  t.ok(counts.checkpointBytes < 10 * 1024 * 1024, `checkpoint bytes written: ${counts.checkpointBytes} (quadratic would be ~350 MB)`);
  t.comment(`checkpoint bytes written for 100,000 events in 100 pages: ${counts.checkpointBytes}`);
});
