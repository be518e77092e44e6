import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { pullSource } from '../../../src/receivers/vendor_api/pull.js';
import type { ReceiverSink } from '../../../src/components/receiver-sink.js';
import { ENVELOPE_KEYS, adapterFor, envelopeKeyOf } from '../../../src/components/adapters.js';
import type { AuditEvent, Vendor } from '../../../src/model/event.js';
import type { DeadLetter } from '../../../src/model/dead-letter.js';
import { queryArchive } from '../../../src/exporters/ndjson_file/query.js';
import { verifyArchive } from '../../../src/exporters/ndjson_file/verify.js';
import { cli, CLI_ARGS, childEnv } from '../../helpers/cli.js';
import { ROOT } from '../../helpers/golden.js';
import {
  snorkelServer,
  wandbRecords,
  wandbServer,
  wherobotsRecords,
  wherobotsServer,
  type VendorServer,
} from '../../helpers/vendor-servers.js';

const tmp = await mkdtemp(path.join(tmpdir(), 'auditkit-pull-'));
let n = 0;
const fresh = (): string => path.join(tmp, `d${n++}`);
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 7, 1);

function memorySink(): ReceiverSink & { events: AuditEvent[]; letters: DeadLetter[]; acks: number } {
  const s = {
    events: [] as AuditEvent[],
    letters: [] as DeadLetter[],
    acks: 0,
    write: async (evs: AuditEvent[]) => void s.events.push(...evs),
    ack: async () => {
      s.acks++;
    },
    reject: async (l: DeadLetter) => void s.letters.push(l),
  };
  return s;
}

async function started<T extends VendorServer>(t: { teardown: (fn: () => Promise<void>) => void }, server: T): Promise<T> {
  await server.start();
  t.teardown(() => server.stop());
  return server;
}

/** `auditkit pull wandb` over a range from 2026-08-01. */
const wandbPull = (url: string, until: string): string[] => [
  'pull',
  'wandb',
  '--url',
  url,
  '--since',
  '2026-08-01T00:00:00Z',
  '--until',
  until,
];

const fast = { minBackoffMillis: 20, maxBackoffMillis: 2000, timeoutMillis: 1000 };

function pull(vendor: Vendor, url: string, state: string, extra: Partial<Parameters<typeof pullSource>[0]> = {}) {
  return {
    adapter: adapterFor(vendor)!,
    readOptions: { envelopeKeyOf, envelopeKeys: ENVELOPE_KEYS },
    source: vendor,
    url,
    credentials:
      vendor === 'wandb' ? { apiKey: 'wandb-key', username: 'admin' } : { apiKey: vendor === 'snorkel' ? 'snorkel-key' : 'wherobots-key' },
    vendorOptions: {},
    since: new Date(T0).toISOString(),
    until: new Date(T0 + 3 * DAY).toISOString(),
    stateDir: state,
    http: fast,
    ...extra,
  };
}

t.test('W&B Self-Managed: envelope pages by cursor, Basic auth, startDate/endDate/limit', async (t) => {
  const records = wandbRecords(2500, T0, 100_000); // ~2.9 days
  const server = await started(t, wandbServer(records));
  const sink = memorySink();
  const counts = await pullSource(pull('wandb', server.url, fresh(), { vendorOptions: { page_size: 500 } }), sink);
  t.equal(sink.events.length, 2500, 'every record delivered');
  t.equal(new Set(sink.events.map((e) => e.id)).size, 2500, 'once each');
  t.equal(counts.pages, 5);
  t.equal(sink.acks, 5, 'each page acknowledged before the checkpoint moved');
  const first = server.requests[0]!.url;
  t.equal(first.pathname, '/admin/audit_logs');
  t.same(
    [first.searchParams.get('startDate'), first.searchParams.get('endDate'), first.searchParams.get('limit')],
    ['2026-08-01T00:00:00', '2026-08-04T00:00:00', '500'],
  );
  t.ok(
    server.requests.slice(1).every((r) => r.url.searchParams.get('cursor')),
    'later pages carry the cursor',
  );
});

t.test('W&B: NDJSON answers (older servers) and anonymize', async (t) => {
  const server = await started(t, wandbServer(wandbRecords(30, T0, 60_000), { ndjsonOnly: true }));
  const sink = memorySink();
  await pullSource(pull('wandb', server.url, fresh(), { vendorOptions: { anonymize: true } }), sink);
  t.equal(sink.events.length, 30);
  t.equal(server.requests[0]!.url.searchParams.get('anonymize'), 'true');
  t.ok(
    sink.events.every((e) => e.actor?.email === undefined && !e.resources?.some((r) => r.name)),
    'no e-mails or names when anonymized',
  );
});

t.test('W&B Multi-tenant: /audit_logs one day at a time (numDays=0), with the 7-day warning', async (t) => {
  const server = await started(t, wandbServer(wandbRecords(300, T0, 600_000)));
  const sink = memorySink();
  const warnings: string[] = [];
  await pullSource(
    pull('wandb', server.url, fresh(), {
      vendorOptions: { deployment: 'multi-tenant' },
      onWarning: (w) => warnings.push(w),
      now: () => T0 + 30 * DAY,
    }),
    sink,
  );
  t.equal(sink.events.length, 300);
  const days = server.requests.map((r) => [r.url.pathname, r.url.searchParams.get('startDate'), r.url.searchParams.get('numDays')]);
  t.same(days.slice(0, 3), [
    ['/audit_logs', '2026-08-01', '0'],
    ['/audit_logs', '2026-08-02', '0'],
    ['/audit_logs', '2026-08-03', '0'],
  ]);
  t.match(warnings[0], /Multi-tenant keeps audit logs for 7 days/);
});

t.test('401, 403 and the multi-organization 403 are explained; nothing secret is printed', async (t) => {
  const server = await started(t, wandbServer(wandbRecords(5, T0, 1000)));
  await t.rejects(
    pullSource(pull('wandb', server.url, fresh(), { credentials: { apiKey: 'wrong-key-123', username: 'admin' } }), memorySink()),
    /W&B rejected the credentials \(401\)/,
  );
  const multi = await started(t, wandbServer([], { multiOrg: true }));
  await t.rejects(
    pullSource(pull('wandb', multi.url, fresh()), memorySink()),
    /several Multi-tenant organizations and has no Default API organization/,
  );
  const wb = await started(t, wherobotsServer([]));
  await t.rejects(
    pullSource(pull('wherobots', wb.url, fresh(), { credentials: { apiKey: 'bad' } }), memorySink()),
    /Organization Admin.*INSUFFICIENT_PERMISSIONS_ERROR/,
  );
  const sn = await started(t, snorkelServer([]));
  await t.rejects(pullSource(pull('snorkel', sn.url, fresh(), { credentials: { apiKey: 'bad' } }), memorySink()), /SuperAdmins only/);
  process.env.AUDITKIT_TEST_WANDB_KEY = 'wrong-key-123';
  const r = await cli([
    ...wandbPull(server.url, '2026-08-02T00:00:00Z'),
    '--state',
    fresh(),
    '--api-key-env',
    'AUDITKIT_TEST_WANDB_KEY',
    '--username',
    'admin',
  ]);
  t.equal(r.code, 3, 'auditkit pull exits 3');
  t.match(r.stderr, /401/);
  t.notMatch(r.stderr + r.stdout, /wrong-key-123/, 'the key is never printed');
  const usage = await cli([
    'pull',
    'wandb',
    '--url',
    server.url,
    '--since',
    '2026-08-01',
    '--state',
    fresh(),
    '--api-key-env',
    'AUDITKIT_TEST_UNSET_VAR',
  ]);
  t.equal(usage.code, 2);
  t.match(usage.stderr, /--api-key-env: environment variable AUDITKIT_TEST_UNSET_VAR is not set/);
  t.match(usage.stderr, /--username: required/);
});

t.test('429 with Retry-After, 500s, a truncated answer and a slow answer are retried', async (t) => {
  const server = await started(t, wherobotsServer(wherobotsRecords(250, T0, 60_000)));
  server.faults = [
    { status: 429, retryAfter: 1, body: JSON.stringify({ errors: [{ code: 'RATE_LIMIT_ERROR', message: 'slow down' }] }) },
    { status: 500 },
    { status: 503 },
    {},
    { truncate: true },
    {},
    { delayMillis: 1500 },
  ];
  const retries: string[] = [];
  const began = Date.now();
  const sink = memorySink();
  await pullSource(pull('wherobots', server.url, fresh(), { http: { ...fast, onRetry: (m) => retries.push(m) } }), sink);
  t.equal(sink.events.length, 250, 'nothing lost');
  t.equal(new Set(sink.events.map((e) => e.id)).size, 250, 'nothing twice');
  t.ok(Date.now() - began >= 1000, 'waited for Retry-After');
  t.match(retries.join('\n'), /429 \(rate limited\)/);
  t.match(retries.join('\n'), /: 500;/);
  t.match(retries.join('\n'), /timed out/);
  t.ok(retries.length >= 5, `${retries.length} retries`);
});

t.test('retries are bounded: a server that keeps failing ends the pull with a clear error', async (t) => {
  const server = await started(t, wherobotsServer([]));
  server.faults = Array.from({ length: 10 }, () => ({ status: 502 }));
  await t.rejects(
    pullSource(pull('wherobots', server.url, fresh(), { http: { ...fast, retries: 2 } }), memorySink()),
    /giving up after retries: .*502/,
  );
});

t.test('Wherobots: paged API (size 100) and the CSV export mode', async (t) => {
  const records = wherobotsRecords(350, T0, 60_000);
  const server = await started(t, wherobotsServer(records));
  const api = memorySink();
  await pullSource(pull('wherobots', server.url, fresh()), api);
  t.equal(api.events.length, 350);
  t.same(
    server.requests.map((r) => r.url.searchParams.get('cursor')),
    [null, '100', '200', '300'],
  );
  t.equal(server.requests[0]!.url.searchParams.get('size'), '100');
  const csv = memorySink();
  await pullSource(pull('wherobots', server.url, fresh(), { vendorOptions: { mode: 'csv' } }), csv);
  t.equal(csv.events.length, 350, 'CSV export read with its UI header');
  t.equal(server.requests.at(-1)!.url.pathname, '/audit-log/export');
  t.equal(csv.events[3]!.resources?.[0]?.name, 'job "nightly", run 3', 'quoted CSV fields');
});

t.test('Snorkel Flow: /audit-logs?limit=N with a configurable key header; the range is applied after', async (t) => {
  const records = Array.from({ length: 40 }, (_, i) => ({
    event_id: i + 1,
    event_time: new Date(T0 + i * 3_600_000).toISOString().slice(0, 26),
    event_name: 'dataset',
    event_type: 'create',
    event_details: { dataset_uid: i },
    user_uid: 2,
  }));
  const server = await started(t, snorkelServer(records, { header: 'x-snorkel-key', value: 'snorkel-key' }));
  const sink = memorySink();
  const counts = await pullSource(
    pull('snorkel', server.url, fresh(), {
      vendorOptions: { api_key_header: 'X-Snorkel-Key', limit: 30 },
      until: new Date(T0 + 20 * 3_600_000).toISOString(),
    }),
    sink,
  );
  t.same(
    server.requests.map((r) => r.url.searchParams.get('limit')),
    ['30', '60'],
    'the newest 30 did not reach back to the start: asked again with the limit doubled',
  );
  t.equal(sink.events.length, 20, 'all 40, of which 20 in the range');
  t.equal(counts.outsideRange, 20);
  t.same(counts.gaps, []);
});

t.test('checkpoints: a later pull continues from the watermark; the overlap is deduplicated', async (t) => {
  const records = wandbRecords(200, T0, 600_000);
  const server = await started(t, wandbServer(records));
  const state = fresh();
  const a = memorySink();
  await pullSource(pull('wandb', server.url, state, { until: new Date(T0 + 100 * 600_000).toISOString() }), a);
  t.equal(a.events.length, 100);
  const b = memorySink();
  const counts = await pullSource(pull('wandb', server.url, state, { until: new Date(T0 + 200 * 600_000).toISOString() }), b);
  t.equal(b.events.length, 100, 'only the new events');
  t.ok(counts.duplicates >= 1, `the overlap's events were seen again and dropped (${counts.duplicates})`);
  t.equal(new Set([...a.events, ...b.events].map((e) => e.id)).size, 200);
  const c = memorySink();
  await pullSource(pull('wandb', server.url, state, { until: new Date(T0 + 200 * 600_000).toISOString() }), c);
  t.equal(c.events.length, 0, 'nothing new: nothing delivered');
});

t.test('fault test: pull SIGKILLed at random moments and restarted; the archive holds each event once', async (t) => {
  const records = wandbRecords(2000, T0, 80_000);
  const server = await started(t, wandbServer(records));
  const slow = (): void => {
    server.faults = Array.from({ length: 100 }, () => ({ delayMillis: 40 }));
  };
  const archive = fresh();
  const state = fresh();
  const args = [
    ...CLI_ARGS,
    ...wandbPull(server.url, '2026-08-03T00:00:00Z'),
    '--state',
    state,
    '--api-key-env',
    'AUDITKIT_TEST_WANDB',
    '--username',
    'admin',
    '--page-size',
    '40',
    '--to',
    'archive',
    '-o',
    archive,
    '-q',
  ];
  let exit: number | null = null;
  let kills = 0;
  for (let attempt = 0; attempt < 30 && exit !== 0; attempt++) {
    slow();
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: childEnv({ AUDITKIT_TEST_WANDB: 'wandb-key' }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const kill = attempt < 6 ? setTimeout(() => child.kill('SIGKILL'), 900 + Math.floor(Math.random() * 1000)) : undefined;
    exit = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    if (kill) clearTimeout(kill);
    if (exit === null) kills++;
    else if (exit !== 0) t.fail(`pull exited ${exit}: ${stderr.slice(0, 300)}`);
  }
  t.equal(exit, 0, 'the pull completes after restarts');
  t.ok(kills >= 1, `${kills} runs were killed mid-pull (the first always is: it needs over 2 s)`);
  const ids: string[] = [];
  for await (const e of queryArchive(archive)) ids.push(e.id);
  t.equal(ids.length, 2000, 'every event is in the archive');
  t.equal(new Set(ids).size, 2000, 'each exactly once');
  t.ok((await verifyArchive(archive, { strict: true })).ok, 'and the archive verifies');
});
