/**
 * OTLP export throughput to a loopback receiver: auditkit's `otlphttp` exporter without a queue
 * (events -> wire records -> the official HTTP transport, as `convert --to otlp` sends) against
 * the bare official protobuf exporter sending the same records prebuilt, both in batches of
 * 512, each batch awaited.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOtlpLogExporter, exportBatch, readableLogRecord } from '../src/exporters/otlp/otlp.js';
import { createOtlpExporter } from '../src/exporters/otlp/factory.js';
import { standaloneContext } from '../src/components/context.js';
import { normalize } from '../src/components/adapters.js';
import type { AuditEvent } from '../src/model/event.js';
import { interleaved, row, wandbRecord, type BenchRow } from './lib.js';

export async function benchOtlp(n: number, runs: number): Promise<BenchRow[]> {
  let received = 0;
  const server = createServer((req, res) => {
    req.on('data', (d: Buffer) => (received += d.length));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const events: AuditEvent[] = Array.from({ length: n }, (_, i) => normalize('wandb', wandbRecord(i)));
  const prebuilt = events.map((e) => readableLogRecord(e, [0, 0]));
  try {
    const bare = async (): Promise<number> => {
      const exporter = createOtlpLogExporter({ endpoint, compression: 'none' });
      const t = process.hrtime.bigint();
      for (let i = 0; i < prebuilt.length; i += 512) {
        const r = await exportBatch(exporter, prebuilt.slice(i, i + 512));
        if (!r.ok) throw r.error ?? new Error('export failed');
      }
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      await exporter.shutdown();
      return ms;
    };
    const ours = async (): Promise<number> => {
      const exporter = await createOtlpExporter(
        { endpoint, protocol: 'http/protobuf', compression: 'none', sending_queue: { enabled: false } },
        standaloneContext(),
        'otlphttp',
      );
      const t = process.hrtime.bigint();
      for (const e of events) await exporter.write([e]);
      await exporter.ack();
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      await exporter.close();
      return ms;
    };
    await bare();
    await ours();
    const { ms, floorMs: floor } = await interleaved(runs, bare, ours);
    return [
      row(
        'otlp',
        `otlphttp exporter vs bare official exporter, ${n} events, http/protobuf`,
        ms,
        floor,
        undefined,
        `${Math.round(n / (ms / 1000))} events/s`,
      ),
    ];
  } finally {
    server.close();
  }
}
