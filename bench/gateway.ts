/**
 * The OTLP gateway (`auditkit run` with the otlp receiver, in process): records per second with
 * protobuf in and the archive plus an otlphttp exporter (its sending queue on disk) out, against
 * the same requests through a plain Node HTTP server that only decodes and re-encodes them with
 * protobufjs and the same definitions. The client posts prebuilt requests of 500 records one
 * after another; the gateway's time includes draining its queue to a loopback sink.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { otlpTypes } from '../src/model/otlp-wire.js';
import { parseConfig } from '../src/pipeline/config.js';
import { Runtime } from '../src/pipeline/runtime.js';
import { interleaved, row, wandbRecord, type BenchRow } from './lib.js';

const PER_REQUEST = 500;

const kv = (key: string, value: unknown): Record<string, unknown> => ({
  key,
  value: typeof value === 'number' ? { intValue: value } : { stringValue: String(value) },
});

/** Prebuilt protobuf requests: raw W&B audit records, or plain application logs. */
function requests(n: number, kind: 'audit' | 'plain'): Buffer[] {
  const { request } = otlpTypes();
  const out: Buffer[] = [];
  for (let i = 0; i < n; i += PER_REQUEST) {
    const logRecords = [];
    for (let k = i; k < Math.min(n, i + PER_REQUEST); k++) {
      logRecords.push(
        kind === 'audit'
          ? {
              timeUnixNano: '1785542400000000000',
              attributes: [kv('auditkit.vendor', 'wandb')],
              body: { stringValue: JSON.stringify(wandbRecord(k)) },
            }
          : {
              timeUnixNano: '1785542400000000000',
              severityNumber: 9,
              attributes: [kv('http.route', `/api/items/${k % 50}`), kv('http.response.status_code', 200), kv('user.id', k % 2000)],
              body: { stringValue: `GET /api/items/${k % 50} served in ${k % 97} ms` },
            },
      );
    }
    const req = {
      resourceLogs: [{ resource: { attributes: [kv('service.name', 'bench')] }, scopeLogs: [{ scope: { name: 'bench' }, logRecords }] }],
    };
    out.push(Buffer.from(request.encode(request.fromObject(req)).finish()));
  }
  return out;
}

const listen = (server: Server): Promise<number> =>
  new Promise((r) => server.listen(0, '127.0.0.1', () => r((server.address() as AddressInfo).port)));
const close = (server: Server): Promise<void> => new Promise((r) => server.close(() => r()));

async function send(url: string, bodies: Buffer[]): Promise<void> {
  for (const body of bodies) {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`status ${res.status}`);
  }
}

/** The floor: decode, re-encode, answer. */
async function floor(bodies: Buffer[]): Promise<number> {
  const { request } = otlpTypes();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const decoded = request.toObject(request.decode(Buffer.concat(chunks)), { longs: String, enums: Number });
      request.encode(request.fromObject(decoded)).finish();
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end();
    });
  });
  const port = await listen(server);
  const t = process.hrtime.bigint();
  await send(`http://127.0.0.1:${port}/v1/logs`, bodies);
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  await close(server);
  return ms;
}

async function gateway(bodies: Buffer[], kind: 'audit' | 'plain'): Promise<number> {
  const sink = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end();
    });
  });
  const sinkPort = await listen(sink);
  const dir = await mkdtemp(path.join(tmpdir(), 'auditkit-bench-gw-'));
  const config = parseConfig(
    `
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:0
processors:
  validate:
    on_invalid: drop
exporters:
  ndjson_file:
    directory: ${path.join(dir, 'archive')}
  otlphttp:
    endpoint: http://127.0.0.1:${sinkPort}
    compression: none
service:
  state_directory: ${path.join(dir, 'state')}
  pipelines:
    logs:
      receivers: [otlp]
      processors: [validate]
      exporters: [${kind === 'audit' ? 'ndjson_file, ' : ''}otlphttp]
`,
    {},
  );
  const runtime = new Runtime(config, { log: () => undefined });
  await runtime.start();
  const where = [...runtime.listening.values()][0]!.http!;
  const t = process.hrtime.bigint();
  await send(`http://${where}/v1/logs`, bodies);
  if (!(await runtime.drain(60_000))) throw new Error('the queue did not drain');
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  await runtime.close();
  await close(sink);
  await rm(dir, { recursive: true, force: true });
  return ms;
}

export async function benchGateway(n: number, runs: number): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const kind of ['audit', 'plain'] as const) {
    const bodies = requests(n, kind);
    await floor(bodies);
    await gateway(bodies, kind);
    const { ms: g, floorMs: f } = await interleaved(
      runs,
      () => floor(bodies),
      () => gateway(bodies, kind),
    );
    rows.push(
      row(
        'gateway',
        kind === 'audit'
          ? `otlp receiver, ${n} raw W&B records: normalize, validate, archive + otlphttp (queue) vs decode/re-encode server`
          : `otlp receiver, ${n} plain logs: pass through to otlphttp (queue) vs decode/re-encode server`,
        g,
        f,
        undefined,
        `${Math.round(n / (g / 1000))} records/s`,
      ),
    );
  }
  return rows;
}
