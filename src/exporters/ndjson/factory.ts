import type { ComponentContext } from '../../components/context.js';
import type { EventExporter } from '../../components/event-exporter.js';
import { LineWriter, openLineFile } from '../../io/line-writer.js';
import type { NdjsonConfig } from './config.js';

/** The `ndjson` exporter: one unified event per line; `ack` hands what is buffered to the file or stream. */
export async function createNdjsonExporter(
  config: NdjsonConfig,
  ctx: Pick<ComponentContext, 'stdout'>,
  name = 'ndjson',
): Promise<EventExporter> {
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
      if (events.length === 1) return writer.write(JSON.stringify(events[0]));
      let wait: Promise<void> | undefined;
      for (const e of events) wait = writer.write(JSON.stringify(e)) ?? wait;
      return wait;
    },
    writeText: (ndjson) => writer.writeBlock(ndjson),
    ack: () => writer.flush(),
    flush: async () => {
      await writer.flush();
      return true;
    },
    close,
  };
}
