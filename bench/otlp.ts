/**
 * OTLP export throughput to a loopback receiver: auditkit's OtlpEventSink (events -> log records
 * -> the official protobuf exporter) against the bare exporter sending the same records
 * prebuilt, both in batches of 512, each batch awaited.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOtlpLogExporter, exportBatch, OtlpEventSink, readableLogRecord } from '../src/exporters/otlp/otlp.js';
import { normalize } from '../src/components/adapters.js';
import type { AuditEvent } from '../src/model/event.js';
import { median, row, wandbRecord, type BenchRow } from './lib.js';

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
      const sink = new OtlpEventSink(createOtlpLogExporter({ endpoint, compression: 'none' }), 512);
      const t = process.hrtime.bigint();
      for (const e of events) await sink.write(e);
      await sink.flush();
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      await sink.close();
      if (sink.failed) throw sink.lastError ?? new Error('export failed');
      return ms;
    };
    await bare();
    await ours();
    const floor = await median(runs, bare);
    const ms = await median(runs, ours);
    return [
      row(
        'otlp',
        `OtlpEventSink vs bare exporter, ${n} events, http/protobuf`,
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
