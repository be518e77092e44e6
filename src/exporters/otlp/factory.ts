import path from 'node:path';
import type { ComponentContext } from '../../components/context.js';
import { newExporterStats, type EventExporter } from '../../components/event-exporter.js';
import type { AuditEvent } from '../../model/event.js';
import type { OtlpConfig } from './config.js';
import { FileQueue } from './file-queue.js';
import { OtlpEventSink, createOtlpLogExporter } from './otlp.js';
import type { OtlpExporterOptions } from './options.js';

/** The `otlp` exporter with its queue, when it has one (`auditkit run` drains it). */
export interface OtlpExporter extends EventExporter {
  readonly queue?: FileQueue;
}

const exporterOptions = (c: OtlpConfig): OtlpExporterOptions => ({
  ...(c.endpoint ? { endpoint: c.endpoint } : {}),
  ...(c.logs_endpoint ? { logsEndpoint: c.logs_endpoint } : {}),
  ...(c.protocol ? { protocol: c.protocol } : {}),
  ...(c.headers ? { headers: c.headers as Record<string, string> } : {}),
  ...(c.compression ? { compression: c.compression } : {}),
  ...(typeof c.timeout_secs === 'number' ? { timeoutMillis: c.timeout_secs * 1000 } : {}),
});

/**
 * Builds the `otlp` exporter. With the sending queue (the default), `ack` resolves once a page's
 * batch is on disk and a sender delivers it through outages and restarts; without it, events
 * are exported in batches as they are written and `ack` resolves once the backend accepted all
 * of them (it rejects when some could not be delivered).
 */
export async function createOtlpExporter(config: OtlpConfig, ctx: ComponentContext, name = 'otlp'): Promise<OtlpExporter> {
  const options = exporterOptions(config);
  if (config.sending_queue?.enabled === false) return streamingExporter(name, options, ctx);
  const stats = newExporterStats();
  const sendBatch = async (events: AuditEvent[]): Promise<void> => {
    const sink = new OtlpEventSink(createOtlpLogExporter(options), events.length || 1, ctx.resource);
    for (const e of events) await sink.write(e);
    await sink.close();
    if (sink.failed) throw sink.lastError ?? new Error('export failed');
    stats.delivered += events.length;
  };
  const queue = new FileQueue({
    directory: path.join(ctx.stateDirectory, 'queues', name.replace(/[^A-Za-z0-9_.-]/g, '_')),
    send: sendBatch,
    ...(config.sending_queue?.max_batches ? { maxBatches: config.sending_queue.max_batches } : {}),
    ...(ctx.queueBackoffMillis ? { minBackoffMillis: ctx.queueBackoffMillis.min, maxBackoffMillis: ctx.queueBackoffMillis.max } : {}),
    onError: (m) => {
      ctx.log(`exporters.${name}: ${m}`);
    },
  });
  await queue.open();
  queue.start();
  let buffer: AuditEvent[] = [];
  return {
    name,
    stats,
    queue,
    get pending() {
      return queue.pending;
    },
    write: (events) => void buffer.push(...events),
    ack: async () => {
      const batch = buffer;
      buffer = [];
      await queue.enqueue(batch);
    },
    flush: (timeoutMillis) => queue.drain(timeoutMillis),
    close: () => queue.stop(),
  };
}

function streamingExporter(name: string, options: OtlpExporterOptions, ctx: ComponentContext): OtlpExporter {
  const sink = new OtlpEventSink(createOtlpLogExporter(options), undefined, ctx.resource);
  const stats = {
    get delivered() {
      return sink.delivered;
    },
    get failed() {
      return sink.failed;
    },
    duplicates: 0,
    get lastError() {
      return sink.lastError;
    },
  };
  const write = async (events: readonly AuditEvent[]): Promise<void> => {
    for (const e of events) await sink.write(e);
  };
  return {
    name,
    stats,
    pending: 0,
    write: (events) => (events.length === 1 ? sink.write(events[0]!) : write(events)),
    ack: async () => {
      await sink.flush();
      if (sink.failed) throw new Error(`${sink.failed} events could not be delivered: ${sink.lastError?.message ?? 'export failed'}`);
    },
    flush: async () => {
      await sink.flush();
      return true;
    },
    close: () => sink.close(),
  };
}
