import type { ComponentContext } from '../../components/context.js';
import type { EventExporter } from '../../components/event-exporter.js';
import { LineWriter, openLineFile } from '../../io/line-writer.js';
import type { NdjsonConfig } from './config.js';
import type { AuditEvent } from '../../model/event.js';

/** The `ndjson` exporter: one unified event per line; `ack` hands what is buffered to the file or stream. */
export async function createNdjsonExporter(
  config: NdjsonConfig,
  ctx: Pick<ComponentContext, 'stdout'>,
  name = 'ndjson',
  /** With `ocsf`: the OCSF form of an event (the registry passes the adapters' mapping). */
  toOcsf?: (event: AuditEvent) => object,
): Promise<EventExporter> {
  if (config.ocsf && !toOcsf) throw new TypeError(`exporters.${name}: ocsf needs the OCSF mapping`);
  const line = config.ocsf && toOcsf ? (e: AuditEvent): string => JSON.stringify(toOcsf(e)) : (e: AuditEvent): string => JSON.stringify(e);
  let writer: LineWriter;
  let close: () => Promise<void>;
  if (config.path && config.path !== '-') {
    const file = await openLineFile(config.path);
    writer = file.writer;
    close = async () => {
      await file.writer.close();
      await file.done;
    };
  } else {
    if (!ctx.stdout) throw new TypeError(`exporters.${name}: no path and no stdout`);
    writer = new LineWriter(ctx.stdout);
    close = () => writer.close(false); // stdout is flushed, never ended
  }
  const stats = { delivered: 0, failed: 0, duplicates: 0 };
  return {
    name,
    stats,
    pending: 0,
    write: (events) => {
      stats.delivered += events.length;
      if (events.length === 1) return writer.write(line(events[0]!));
      let wait: Promise<void> | undefined;
      for (const e of events) wait = writer.write(line(e)) ?? wait;
      return wait;
    },
    // Unified NDJSON already written by parallel workers; not for OCSF output.
    ...(config.ocsf ? {} : { writeText: (ndjson: string) => writer.writeBlock(ndjson) }),
    ack: () => writer.flush(),
    flush: async () => {
      await writer.flush();
      return true;
    },
    close,
  };
}
