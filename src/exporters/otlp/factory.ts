import path from 'node:path';
import type { ComponentContext } from '../../components/context.js';
import { newExporterStats, type EventExporter } from '../../components/event-exporter.js';
import { textLines } from '../../io/lines.js';
import type { AuditEvent } from '../../model/event.js';
import { nowHrTime } from '../../model/time.js';
import { decodeRequest, encodeRequest, type WireItem } from '../../model/otlp-wire.js';
import { DEFAULT_OTLP_BATCH_SIZE, resolveOtlpExporter, type OtlpConfig } from './config.js';
import { FileQueue, type QueuedBatch } from './file-queue.js';
import { createWireLogExporter, eventItem, type WireBatch, type WireExporterOptions } from './wire-exporter.js';

/** The `otlp` / `otlphttp` exporter with its queue, when it has one (`auditkit run` drains it). */
export interface OtlpExporter extends EventExporter {
  readonly queue?: FileQueue;
}

/**
 * Builds the `otlp` (gRPC unless `protocol` says otherwise) or `otlphttp` exporter. Audit events
 * (`write`) and OTLP records from the otlp receiver (`writeItems`) go out the same way, records
 * re-encoded exactly as they came. With the sending queue (the default), `ack` resolves once the
 * batch is on disk and a sender delivers it through outages and restarts; without it, records
 * are exported as they are written and `ack` resolves once the backend accepted all of them.
 */
export async function createOtlpExporter(config: OtlpConfig, ctx: ComponentContext, name = 'otlp'): Promise<OtlpExporter> {
  const { options, queue: queueOptions } = resolveOtlpExporter(config, name);
  const toItems = (events: readonly AuditEvent[]): WireItem[] => {
    const at = nowHrTime();
    return events.map((e) => eventItem(e, at, ctx.resource));
  };
  if (!queueOptions.enabled) return streamingExporter(name, options, toItems);
  const stats = newExporterStats();
  const exporter = createWireLogExporter(options);
  const sendBatch = async (batch: QueuedBatch): Promise<number> => {
    // A stored request goes out as its bytes; batches of earlier versions hold audit events, one per line.
    let wire: WireBatch;
    if (batch.format === 'ndjson')
      wire = { items: toItems(textLines(batch.data.toString('utf8')).flatMap(([line]) => (line ? [JSON.parse(line) as AuditEvent] : []))) };
    else wire = { encoded: batch.data, count: batch.count ?? decodeRequest(batch.data, 'protobuf').length };
    const count = 'items' in wire ? wire.items.length : wire.count;
    const result = await exporter.export(wire);
    if (!result.ok) throw result.error ?? new Error('export failed');
    stats.delivered += count;
    return count;
  };
  const queue = new FileQueue({
    directory: path.join(ctx.stateDirectory, 'queues', name.replace(/[^A-Za-z0-9_.-]/g, '_')),
    send: sendBatch,
    maxBatches: queueOptions.maxBatches,
    minBackoffMillis: ctx.queueBackoffMillis?.min ?? queueOptions.minBackoffMillis,
    maxBackoffMillis: ctx.queueBackoffMillis?.max ?? queueOptions.maxBackoffMillis,
    multiplier: queueOptions.multiplier,
    randomization: queueOptions.randomization,
    onError: (m) => {
      ctx.log(`exporters.${name}: ${m}`);
    },
  });
  await queue.open();
  queue.start();
  let buffer: WireItem[] = [];
  return {
    name,
    stats,
    queue,
    get pending() {
      return queue.pending;
    },
    write: (events) => void buffer.push(...toItems(events)),
    writeItems: (items) => void buffer.push(...items),
    ack: async () => {
      const batch = buffer;
      buffer = [];
      if (batch.length) await queue.enqueue(encodeRequest(batch), batch.length);
    },
    flush: (timeoutMillis) => queue.drain(timeoutMillis),
    close: async () => {
      await queue.stop();
      await exporter.shutdown();
    },
  };
}

/** Without a queue: records are sent in batches as they are written; `ack` waits for all of them. */
function streamingExporter(
  name: string,
  options: WireExporterOptions,
  toItems: (events: readonly AuditEvent[]) => WireItem[],
): OtlpExporter {
  const exporter = createWireLogExporter(options);
  const stats = newExporterStats();
  let batch: WireItem[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const items = batch;
    batch = [];
    const result = await exporter.export({ items });
    if (result.ok) stats.delivered += items.length;
    else {
      stats.failed += items.length;
      stats.lastError = result.error;
    }
  };
  const add = async (items: readonly WireItem[]): Promise<void> => {
    batch.push(...items);
    if (batch.length >= DEFAULT_OTLP_BATCH_SIZE) await flush();
  };
  return {
    name,
    stats,
    pending: 0,
    write: (events) => add(toItems(events)),
    writeItems: (items) => add(items),
    ack: async () => {
      await flush();
      if (stats.failed) throw new Error(`${stats.failed} records could not be delivered: ${stats.lastError?.message ?? 'export failed'}`);
    },
    flush: async () => {
      await flush();
      return true;
    },
    close: async () => {
      await flush();
      await exporter.shutdown();
    },
  };
}
