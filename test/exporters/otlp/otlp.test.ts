/**
 * OTLP export checked by a real receiver on loopback that decodes what the official exporters
 * sent (protobuf with protobufjs and the OTLP definitions, JSON by parsing).
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import t from 'tap';
import type { AuditEvent } from '../../../src/model/event.js';
import { timeToHrTime } from '../../../src/model/otel.js';
import { cli } from '../../helpers/cli.js';
import { ROOT } from '../../helpers/golden.js';
import { OtlpReceiver } from '../../helpers/otlp-receiver.js';
import { run as runSdkExample } from '../../../examples/sdk/audit-log-processor.js';

const inputs = ['wandb/api-stream.ndjson', 'snorkel/audit-logs.json', 'wherobots/audit-log-export.csv'].map((f) =>
  path.join(ROOT, 'examples', f),
);
const expected = (await cli(['convert', ...inputs])).stdout
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as AuditEvent);
const nanos = (time: string): string => {
  const [s, ns] = timeToHrTime(time);
  return (BigInt(s) * 1_000_000_000n + BigInt(ns)).toString();
};

/** `auditkit convert` of every example to OTLP at `endpoint`, with more flags. */
const toOtlp = (endpoint: string, ...flags: string[]): string[] => ['convert', ...inputs, '--to', 'otlp', '--endpoint', endpoint, ...flags];

for (const protocol of ['http/protobuf', 'http/json'] as const) {
  t.test(`convert --to otlp --otlp-protocol ${protocol}: counts, exact timestamps, attributes, gzip, headers`, async (t) => {
    const receiver = await new OtlpReceiver().start();
    t.teardown(() => receiver.stop());
    const r = await cli(toOtlp(receiver.url, '--otlp-protocol', protocol, '--header', 'x-api-key=SECRET-123'));
    t.equal(r.code, 0, r.stderr);
    t.match(r.stderr, new RegExp(`delivered ${expected.length} over OTLP`));
    t.notMatch(r.stderr, /SECRET-123/, 'the header value is never printed');
    const got = receiver.records;
    t.equal(got.length, expected.length, 'every event arrived');
    t.ok(
      receiver.requests.every((q) => q.contentEncoding === 'gzip'),
      'gzip by default',
    );
    t.ok(
      receiver.requests.every((q) => q.headers['x-api-key'] === 'SECRET-123'),
      'headers sent',
    );
    t.ok(
      receiver.requests.every((q) => q.contentType.includes(protocol === 'http/json' ? 'json' : 'protobuf')),
      'content type of the protocol',
    );
    const byId = new Map(got.map((g) => [g.attributes['auditkit.id'], g]));
    t.equal(byId.size, expected.length, 'no duplicates');
    let exact = 0;
    for (const e of expected) {
      const g = byId.get(e.id);
      if (!g) {
        t.fail(`missing ${e.id}`);
        continue;
      }
      if (g.timeUnixNano === nanos(e.time) && g.attributes['auditkit.time'] === e.time) exact++;
      if (g.eventName !== 'auditkit.event' || g.severityNumber !== (e.outcome.result === 'failure' ? 13 : 9))
        t.fail(`event name/severity of ${e.id}`);
      if (
        g.attributes['auditkit.action.name'] !== e.action.name ||
        g.attributes['user.email'] !== e.actor?.email ||
        g.attributes['client.address'] !== e.actor?.ip
      )
        t.fail(`attributes of ${e.id}`);
    }
    t.equal(exact, expected.length, 'every timestamp exact to the nanosecond');
    const w = byId.get(expected[0]!.id)!;
    t.same(w.attributes['auditkit.resources'], expected[0]!.resources, 'resources as an array of maps');
  });
}

t.test('a backend that answers 503 and 429 (Retry-After) is retried; nothing lost, nothing twice', async (t) => {
  const receiver = await new OtlpReceiver().start();
  t.teardown(() => receiver.stop());
  receiver.failNext = [{ status: 503 }, { status: 429, retryAfter: 0 }];
  const r = await cli(['convert', inputs[1]!, '--to', 'otlp', '--endpoint', receiver.url]);
  t.equal(r.code, 0, r.stderr);
  t.equal(receiver.records.length, 32);
  t.equal(new Set(receiver.records.map((x) => x.attributes['auditkit.id'])).size, 32);
});

t.test('an unreachable backend: exit 3, a clear message, no credentials printed', async (t) => {
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const r = await cli([
    'convert',
    inputs[1]!,
    '--to',
    'otlp',
    '--endpoint',
    `http://svc:hunter2@127.0.0.1:${port}/v1/logs?token=abc`,
    '--timeout-ms',
    '2000',
  ]);
  t.equal(r.code, 3);
  t.match(r.stderr, /32 events could not be delivered to http:\/\/127\.0\.0\.1:\d+\/v1\/logs/);
  t.notMatch(r.stderr, /hunter2|token=abc/);
});

t.test('leak check end to end: --redact default sends no e-mail, IP or name of the examples', async (t) => {
  const receiver = await new OtlpReceiver().start();
  t.teardown(() => receiver.stop());
  const r = await cli(toOtlp(receiver.url, '--redact', 'default', '--otlp-protocol', 'http/json'));
  t.equal(r.code, 0, r.stderr);
  const bytes = Buffer.concat(receiver.requests.map((q) => q.body)).toString('utf8');
  const pii = new Set<string>();
  for (const e of expected) {
    for (const v of [e.actor?.email, e.actor?.ip, e.actor?.name, e.target_user?.email, ...(e.resources ?? []).map((x) => x.name)])
      if (v) pii.add(v);
  }
  t.ok(pii.size > 20, `${pii.size} distinct PII values in the input`);
  const leaked = [...pii].filter((v) => bytes.includes(v));
  t.same(leaked, [], 'none of them in the exported bytes');
});

t.test('usage errors: --to otlp needs an endpoint; a bad header; -o with otlp', async (t) => {
  t.equal((await cli(['convert', inputs[1]!, '--to', 'otlp'])).code, 2);
  const bad = await cli(['convert', inputs[1]!, '--to', 'otlp', '--endpoint', 'http://127.0.0.1:1', '--header', 'novalue']);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /--header: expected key=value/);
  t.equal((await cli(['convert', inputs[1]!, '--to', 'otlp', '--endpoint', 'ftp://x', '-o', 'x'])).code, 2);
});

t.test('examples/sdk: an existing LoggerProvider with AuditLogProcessor in front of BatchLogRecordProcessor + OTLP', async (t) => {
  const receiver = await new OtlpReceiver().start();
  t.teardown(() => receiver.stop());
  const audit = await runSdkExample(receiver.url, inputs[0]!);
  t.same(audit.stats, { received: 41, forwarded: 41, dropped: 0, deadLettered: 0, errors: 0 });
  t.equal(audit.passedThrough, 1, 'the ordinary log line passed through');
  const got = receiver.records;
  t.equal(got.length, 41, '40 audit records and 1 ordinary record received over OTLP/protobuf');
  t.equal(got.filter((g) => g.eventName === 'auditkit.event').length, 40);
  t.ok(
    got
      .filter((g) => g.eventName === 'auditkit.event')
      .every((g) => g.attributes['auditkit.actor.email'] === '****' && g.attributes['user.email'] === undefined),
    'PII redacted',
  );
});
