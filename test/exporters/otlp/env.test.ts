/**
 * The OTLP exporter's environment variables, as the specification says
 * (opentelemetry-specification, protocol/exporter.md), through the CLI as a user runs it,
 * against real receivers on loopback (issue 14, item 1): one test per row of the table,
 * and the precedence flag > OTEL_EXPORTER_OTLP_LOGS_* > OTEL_EXPORTER_OTLP_* > default.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { spawnCli } from '../../helpers/cli.js';
import { ROOT } from '../../helpers/golden.js';
import { OtlpGrpcReceiver } from '../../helpers/otlp-grpc-receiver.js';
import { OtlpReceiver } from '../../helpers/otlp-receiver.js';

const input = path.join(ROOT, 'examples/wandb/api-stream.ndjson');
const EVENTS = 40;
/** `auditkit convert --to otlp` with only these variables set (and no --endpoint unless given). */
const convert = (vars: Record<string, string>, ...flags: string[]) =>
  spawnCli(['convert', input, '--to', 'otlp', ...flags], undefined, [], ['env', ...Object.entries(vars).map(([k, v]) => `${k}=${v}`)]);

async function receiver(
  t: { teardown: (fn: () => Promise<void>) => void },
  setup: (r: OtlpReceiver) => void = () => undefined,
): Promise<OtlpReceiver> {
  const r = new OtlpReceiver();
  setup(r);
  await r.start();
  t.teardown(() => r.stop());
  return r;
}

t.test('OTEL_EXPORTER_OTLP_ENDPOINT with a path: /v1/logs is appended to it', async (t) => {
  const r = await receiver(t, (x) => (x.path = '/prefix/v1/logs'));
  const ok = await convert({ OTEL_EXPORTER_OTLP_ENDPOINT: `${r.url}/prefix` });
  t.equal(ok.code, 0, ok.stderr);
  t.equal(r.records.length, EVENTS, 'delivered to /prefix/v1/logs');
  t.same(r.otherPaths, []);
});

t.test('OTEL_EXPORTER_OTLP_LOGS_ENDPOINT is used as is', async (t) => {
  const r = await receiver(t, (x) => (x.path = '/'));
  const run = await convert({ OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: r.url, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9/ignored' });
  t.equal(run.code, 0, run.stderr);
  t.equal(r.records.length, EVENTS, 'delivered to / (no /v1/logs added), and the generic variable lost');
});

for (const variable of ['OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL']) {
  t.test(`${variable}=http/json sends JSON`, async (t) => {
    const r = await receiver(t);
    const run = await convert({ [variable]: 'http/json', OTEL_EXPORTER_OTLP_ENDPOINT: r.url });
    t.equal(run.code, 0, run.stderr);
    t.match(r.requests[0]?.contentType, /application\/json/);
    t.equal(r.records.length, EVENTS);
  });
}

t.test('OTEL_EXPORTER_OTLP_PROTOCOL=grpc sends OTLP/gRPC (the official exporter), headers as metadata', async (t) => {
  const g = new OtlpGrpcReceiver();
  await g.start();
  t.teardown(() => g.stop());
  const run = await convert({
    OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
    OTEL_EXPORTER_OTLP_ENDPOINT: g.url,
    OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=acme',
  });
  t.equal(run.code, 0, run.stderr);
  t.equal(g.records.length, EVENTS, 'every record over gRPC');
  t.equal(g.metadata[0]?.['x-tenant'], 'acme');
  t.equal(g.records[0]?.eventName, 'auditkit.event');
});

for (const variable of ['OTEL_EXPORTER_OTLP_COMPRESSION', 'OTEL_EXPORTER_OTLP_LOGS_COMPRESSION']) {
  t.test(`${variable}=none sends uncompressed bodies`, async (t) => {
    const r = await receiver(t);
    const run = await convert({ [variable]: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: r.url });
    t.equal(run.code, 0, run.stderr);
    t.equal(r.requests[0]?.contentEncoding, undefined, 'no Content-Encoding');
    const gz = await receiver(t);
    await convert({ OTEL_EXPORTER_OTLP_ENDPOINT: gz.url });
    t.equal(gz.requests[0]?.contentEncoding, 'gzip', "auditkit's default stays gzip");
  });
}

t.test('OTEL_EXPORTER_OTLP_TIMEOUT=500 against a backend that answers after 3 s: not delivered', async (t) => {
  const r = await receiver(t, (x) => (x.delayMillis = 3000));
  const run = await convert({ OTEL_EXPORTER_OTLP_TIMEOUT: '500', OTEL_EXPORTER_OTLP_ENDPOINT: r.url });
  t.equal(run.code, 3, 'the export timed out');
  t.match(run.stderr, /could not be delivered/);
});

t.test('precedence: flag over OTEL_EXPORTER_OTLP_LOGS_* over OTEL_EXPORTER_OTLP_*', async (t) => {
  const r = await receiver(t);
  const logsWins = await convert({
    OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/json',
    OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
    OTEL_EXPORTER_OTLP_ENDPOINT: r.url,
  });
  t.equal(logsWins.code, 0, logsWins.stderr);
  t.match(r.requests.at(-1)?.contentType, /json/, 'the signal-specific variable wins');
  const flagWins = await convert(
    { OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_ENDPOINT: r.url },
    '--otlp-protocol',
    'http/protobuf',
  );
  t.equal(flagWins.code, 0, flagWins.stderr);
  t.match(r.requests.at(-1)?.contentType, /protobuf/, 'the flag wins');
  const endpointFlag = await convert({ OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://127.0.0.1:9/nowhere' }, '--endpoint', r.url);
  t.equal(endpointFlag.code, 0, 'the --endpoint flag wins over the variable');
});

t.test('invalid values are exit 2 naming the variable', async (t) => {
  const cases: [Record<string, string>, RegExp][] = [
    [
      { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/xml', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' },
      /OTEL_EXPORTER_OTLP_PROTOCOL: must be one of/,
    ],
    [
      { OTEL_EXPORTER_OTLP_LOGS_TIMEOUT: 'soon', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' },
      /OTEL_EXPORTER_OTLP_LOGS_TIMEOUT: must be a positive/,
    ],
    [
      { OTEL_EXPORTER_OTLP_COMPRESSION: 'br', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' },
      /OTEL_EXPORTER_OTLP_COMPRESSION: must be gzip or none/,
    ],
    [
      { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'collector:4318' },
      /OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: must be an http or https URL|OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: not a valid URL/,
    ],
    [{}, /--endpoint: required with --to otlp/],
  ];
  for (const [vars, says] of cases) {
    const r = await convert(vars);
    t.equal(r.code, 2, JSON.stringify(vars));
    t.match(r.stderr, says);
  }
});

t.test('the resource: telemetry.sdk.*, service.name auditkit and its version; the scope names the version', async (t) => {
  const version = (JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const r = await receiver(t);
  const run = await convert({ OTEL_EXPORTER_OTLP_ENDPOINT: r.url });
  t.equal(run.code, 0, run.stderr);
  const rec = r.records[0]!;
  t.match(rec.resource, {
    'service.name': 'auditkit',
    'service.version': version,
    'telemetry.sdk.name': 'opentelemetry',
    'telemetry.sdk.language': 'nodejs',
  });
  t.match(rec.resource['telemetry.sdk.version'], /^\d+\.\d+\.\d+/);
  t.same(rec.scope, { name: 'auditkit', version });
});

t.test('OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES are applied; OTEL_SERVICE_NAME wins for service.name', async (t) => {
  const r = await receiver(t);
  const run = await convert({
    OTEL_EXPORTER_OTLP_ENDPOINT: r.url,
    OTEL_SERVICE_NAME: 'audit-gateway',
    OTEL_RESOURCE_ATTRIBUTES: 'service.name=ignored,deployment.environment.name=prod%20eu,service.namespace=security',
  });
  t.equal(run.code, 0, run.stderr);
  t.match(r.records[0]!.resource, {
    'service.name': 'audit-gateway',
    'deployment.environment.name': 'prod eu',
    'service.namespace': 'security',
  });
  const bad = await convert({ OTEL_EXPORTER_OTLP_ENDPOINT: r.url, OTEL_RESOURCE_ATTRIBUTES: 'novalue' });
  t.equal(bad.code, 2, 'a malformed OTEL_RESOURCE_ATTRIBUTES is a usage error');
  t.match(bad.stderr, /OTEL_RESOURCE_ATTRIBUTES: expected key=value pairs/);
});
