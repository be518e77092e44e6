/**
 * auditkit as an OTLP hop (`auditkit run` with the otlp receiver), in process: a Collector
 * configuration runs unchanged; records pass through exactly; audit records are validated,
 * normalized and archived; rejected records are answered with exact partial-success counts;
 * the HTTP answers of the receiver's table; gRPC in, through the official gRPC exporter.
 */
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { OTLPLogExporter as GrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { parseConfig } from '../../../src/pipeline/config.js';
import { Runtime } from '../../../src/pipeline/runtime.js';
import { OtlpReceiver } from '../../helpers/otlp-receiver.js';
import { RequestType, encode, logRecord, post, request } from '../../helpers/otlp-client.js';
import { until } from '../../helpers/wait.js';

const WANDB = {
  timestamp: '2026-08-01T09:00:00.482913Z',
  action: 'artifact:create',
  actor_user_id: 1187,
  actor_ip: '203.0.113.24',
  actor_email: 'maria.garcia@acme-ml.com',
  entity_name: 'vision-research',
  project_name: 'detr-finetune',
  response_code: 200,
};

async function startRuntime(
  yaml: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ runtime: Runtime; url: string; grpc?: string; log: string[] }> {
  const log: string[] = [];
  const runtime = new Runtime(parseConfig(yaml, env), { log: (l) => log.push(l), queueBackoffMillis: { min: 20, max: 100 } });
  await runtime.start();
  const where = [...runtime.listening.values()][0]!;
  return { runtime, url: `http://${where.http}/v1/logs`, ...(where.grpc ? { grpc: where.grpc } : {}), log };
}

/** A pipeline that only forwards: the otlp receiver (HTTP, and gRPC when asked) to an otlphttp exporter. */
const forwardOnly = (dir: string, downstream: string, o: { grpc?: boolean; exporter?: string } = {}): string => `
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:0${o.grpc ? '\n      grpc:\n        endpoint: 127.0.0.1:0' : ''}
exporters:
  otlphttp:
    endpoint: ${downstream}${o.exporter ? `\n${o.exporter}` : ''}
service:
  state_directory: ${dir}
  pipelines:
    logs:
      receivers: [otlp]
      exporters: [otlphttp]
`;

t.test('a Collector configuration (otlp receiver, batch and redaction processors, otlphttp exporter) runs unchanged', async (t) => {
  const downstream = await new OtlpReceiver().start();
  const dir = await mkdtemp(path.join(tmpdir(), 'auditkit-gw-'));
  const { runtime, url } = await startRuntime(`
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:0
processors:
  batch:
    timeout: 1s
    send_batch_size: 1024
  redaction:
    allow_all_keys: true
    blocked_values: ["4[0-9]{12}(?:[0-9]{3})?"]
    summary: debug
exporters:
  otlphttp:
    endpoint: ${downstream.url}
    compression: gzip
    timeout: 5s
    retry_on_failure:
      enabled: true
      initial_interval: 100ms
    sending_queue:
      queue_size: 100
service:
  state_directory: ${dir}
  pipelines:
    logs:
      receivers: [otlp]
      processors: [batch, redaction]
      exporters: [otlphttp]
`);
  t.teardown(async () => {
    await runtime.close();
    await downstream.stop();
  });
  const r = await post(
    url,
    request([logRecord({ card: 'visa 4111111111111111', user: 'ok' }, 'paid with 4111111111111111')], {
      'service.name': 'shop',
      'billing.card': '4111111111111111',
    }),
  );
  t.same([r.status, r.rejected], [200, 0], 'accepted');
  await until(() => downstream.records.length === 1);
  const got = downstream.records[0]!;
  t.equal(got.attributes.card, 'visa ****', 'record attribute redacted');
  t.equal(got.attributes.user, 'ok');
  t.equal(got.body, 'paid with ****', 'body redacted');
  t.equal(got.attributes['redaction.masked.keys'], 'card');
  t.equal(got.resource['billing.card'], '****', 'resource attribute redacted, as the Collector does');
  t.equal(got.resource['service.name'], 'shop', 'the sender resource is kept');
  t.same(got.scope, { name: 'test-client', version: '1' }, 'the sender scope is kept');
});

t.test('records that are not audit records pass through exactly (types, 64-bit integers, bytes, ids)', async (t) => {
  const downstream = await new OtlpReceiver().start();
  const dir = await mkdtemp(path.join(tmpdir(), 'auditkit-gw-'));
  const { runtime, url } = await startRuntime(forwardOnly(dir, downstream.url, { exporter: '    sending_queue:\n      enabled: false' }));
  t.teardown(async () => {
    await runtime.close();
    await downstream.stop();
  });
  const req = {
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }], droppedAttributesCount: 2 },
        schemaUrl: 'https://opentelemetry.io/schemas/1.37.0',
        scopeLogs: [
          {
            scope: { name: 'lib', version: '2.1', attributes: [{ key: 'k', value: { boolValue: true } }] },
            logRecords: [
              {
                timeUnixNano: '1785542400123456789',
                observedTimeUnixNano: '1785542400223456789',
                severityNumber: 17,
                severityText: 'ERROR',
                eventName: 'app.crash',
                body: {
                  kvlistValue: {
                    values: [
                      { key: 'ratio', value: { doubleValue: 1 } },
                      { key: 'big', value: { intValue: '9007199254740993' } },
                    ],
                  },
                },
                attributes: [
                  { key: 'bytes', value: { bytesValue: Buffer.from([0, 1, 255]).toString('base64') } },
                  { key: 'list', value: { arrayValue: { values: [{ intValue: '1' }, { doubleValue: 2.5 }, {}] } } },
                ],
                droppedAttributesCount: 3,
                flags: 1,
                traceId: Buffer.from('0102030405060708090a0b0c0d0e0f10', 'hex').toString('base64'),
                spanId: Buffer.from('1112131415161718', 'hex').toString('base64'),
              },
            ],
          },
        ],
      },
    ],
  };
  const sent = encode(req);
  t.equal((await post(url, sent)).status, 200);
  t.equal(downstream.requests.length, 1, 'forwarded in one request');
  const canon = (b: Buffer): unknown => RequestType.toObject(RequestType.decode(b), { longs: String, bytes: String });
  t.same(canon(downstream.requests[0]!.body), canon(sent), 'the downstream request decodes to exactly what was sent');
  t.ok(Buffer.from(downstream.requests[0]!.body).equals(sent), 'byte for byte');
});

t.test(
  'audit records: raw vendor records normalized, events re-validated, rejections answered exactly, the archive holds the accepted',
  async (t) => {
    const downstream = await new OtlpReceiver().start();
    const dir = await mkdtemp(path.join(tmpdir(), 'auditkit-gw-'));
    const { runtime, url } = await startRuntime(
      `
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:0
    auth:
      bearer_token: \${env:GW_TOKEN}
processors:
  redact:
    preset: default
  validate:
    on_invalid: drop
exporters:
  ndjson_file:
    directory: ${path.join(dir, 'archive')}
  otlphttp:
    endpoint: ${downstream.url}
service:
  state_directory: ${path.join(dir, 'state')}
  pipelines:
    logs:
      receivers: [otlp]
      processors: [redact, validate]
      exporters: [ndjson_file, otlphttp]
`,
      { GW_TOKEN: 'gw-secret-token' },
    );
    t.teardown(async () => {
      await runtime.close();
      await downstream.stop();
    });
    const auth = { headers: { authorization: 'Bearer gw-secret-token' } };
    const records = [
      logRecord({ 'auditkit.vendor': 'wandb' }, JSON.stringify(WANDB)),
      logRecord({ 'auditkit.vendor': 'W&B' }, { ...WANDB, timestamp: '2026-08-01T09:05:00Z' }),
      logRecord({ 'auditkit.vendor': 'wandb' }, '{"action": "run:create"'), // broken JSON
      logRecord({ 'auditkit.vendor': 'wandb' }, { action: 'run:create' }), // no timestamp
      logRecord({ 'auditkit.vendor': 'acme' }, { any: 1 }), // a vendor auditkit does not read
      logRecord({ 'app.note': 'just a log' }, 'hello'),
    ];
    t.equal((await post(url, request(records))).status, 401, 'no token: 401');
    t.equal((await post(url, request(records), { headers: { authorization: 'Bearer wrong' } })).status, 401, 'wrong token: 401');
    const r = await post(url, request(records), { ...auth, gzip: true });
    t.equal(r.status, 200);
    t.equal(r.rejected, 3, 'exactly the 3 bad records are rejected');
    t.match(r.message, /3 of 6 records rejected/);
    t.notMatch(r.message, /gw-secret-token/);
    await until(() => downstream.records.length === 3);
    t.equal(downstream.records.length, 3, '2 audit events and the plain log go downstream');
    const events = downstream.records.filter((x) => x.eventName === 'auditkit.event');
    t.equal(events.length, 2);
    t.ok(
      events.every((x) => x.attributes['auditkit.vendor'] === 'wandb' && x.attributes['user.email'] === undefined),
      'normalized and redacted (no e-mail in clear)',
    );
    t.ok(
      events.every((x) => x.resource['service.name'] === 'sender'),
      'the sender resource is kept',
    );
    t.ok(
      downstream.records.some((x) => x.body === 'hello'),
      'the plain log passed through',
    );
    const archive = path.join(dir, 'archive');
    const lines = (
      await Promise.all(
        (await readdir(archive))
          .filter((f) => f.endsWith('.ndjson'))
          .map(async (f) => (await readFile(path.join(archive, f), 'utf8')).split('\n')),
      )
    )
      .flat()
      .filter(Boolean);
    t.equal(lines.length, 2, 'the archive holds the 2 audit events and nothing else');
    t.ok(
      lines.every((l) => !l.includes('maria.garcia@acme-ml.com')),
      'redacted before archiving',
    );

    // An audit event record (as another auditkit sends it) is re-validated and kept as it was.
    const sentEvent = downstream.requests.at(-1)!.body;
    const again = await post(url, sentEvent, auth);
    t.same([again.status, again.rejected], [200, 0], 'an auditkit-made request is accepted as it is');
    const lines2 = (await readdir(archive)).length;
    t.ok(lines2 >= 1, 'archive still there');
  },
);

t.test('the receiver answers malformed, oversized and unsupported requests by the table', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'auditkit-gw-'));
  const { runtime, url } = await startRuntime(`
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:0
        max_request_body_size: 2048
exporters:
  ndjson_file:
    directory: ${path.join(dir, 'archive')}
service:
  state_directory: ${path.join(dir, 'state')}
  pipelines:
    logs:
      receivers: [otlp]
      exporters: [ndjson_file]
`);
  t.teardown(() => runtime.close());
  t.equal((await post(url, Buffer.from('not protobuf at all \u00ff'))).status, 400, 'malformed protobuf: 400');
  t.equal((await post(url, Buffer.from('{"resourceLogs": ['), { json: true })).status, 400, 'malformed JSON: 400');
  const big = request([logRecord({ pad: 'x'.repeat(4000) })]);
  t.equal((await post(url, big)).status, 413, 'over the limit: 413');
  t.equal(
    (await post(url, request([logRecord({ pad: 'y'.repeat(100_000) })]), { gzip: true })).status,
    413,
    'over the limit once decompressed: 413',
  );
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' });
  t.equal(res.status, 415, 'unsupported content type: 415');
  const res2 = await fetch(url.replace('/v1/logs', '/v1/traces'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf' },
    body: '',
  });
  t.equal(res2.status, 404, 'other paths: 404');
  const ok = await post(url, request([logRecord({ a: 1 })]), { json: true });
  t.same([ok.status, ok.rejected], [200, 0], 'OTLP/JSON accepted');
});

t.test('OTLP/gRPC in, from the official gRPC exporter', async (t) => {
  const downstream = await new OtlpReceiver().start();
  const dir = await mkdtemp(path.join(tmpdir(), 'auditkit-gw-'));
  const { runtime, grpc } = await startRuntime(forwardOnly(dir, downstream.url, { grpc: true }));
  t.teardown(async () => {
    await runtime.close();
    await downstream.stop();
  });
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'grpc-client' }),
    processors: [new SimpleLogRecordProcessor({ exporter: new GrpcLogExporter({ url: `http://${grpc!}` }) })],
  });
  const logger = provider.getLogger('grpc-test');
  for (let i = 0; i < 5; i++) logger.emit({ body: `line ${i}`, attributes: { n: i } });
  await provider.forceFlush();
  await provider.shutdown();
  await until(() => downstream.records.length === 5);
  t.same(downstream.records.map((r) => r.body).sort(), ['line 0', 'line 1', 'line 2', 'line 3', 'line 4'], 'all 5 records forwarded');
  t.ok(
    downstream.records.every((r) => r.resource['service.name'] === 'grpc-client'),
    'with their resource',
  );
});

t.test('a redaction processor next to a vendor pull is refused: it works on OTLP records', async (t) => {
  t.throws(
    () =>
      parseConfig(
        `
receivers:
  wherobots:
    url: http://127.0.0.1:9
    api_key: k
    since: "2026-08-01T00:00:00Z"
processors:
  redaction:
    allow_all_keys: true
exporters:
  ndjson_file:
    directory: /tmp/x
service:
  pipelines:
    logs:
      receivers: [wherobots]
      processors: [redaction]
      exporters: [ndjson_file]
`,
        {},
      ),
    /redaction works on OTLP records from an otlp receiver; wherobots delivers audit events: use a redact processor/,
  );
});
