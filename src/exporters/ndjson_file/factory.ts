import type { ComponentContext } from '../../components/context.js';
import type { EventExporter } from '../../components/event-exporter.js';
import type { AuditEvent } from '../../model/event.js';
import type { NdjsonFileConfig } from './config.js';
import { signingKeyOf } from './keys.js';
import { NdjsonArchiveWriter } from './writer.js';

/** The `ndjson_file` exporter and the archive writer behind it. */
export interface NdjsonFileExporter extends EventExporter {
  readonly writer: NdjsonArchiveWriter;
}

/**
 * Opens the archive in `directory` (taking its lock, checking what it adopts): `ack` resolves
 * once written events are fsynced with their digest. Events whose id the archive holds within
 * `dedupe_window_secs` are skipped (counted in `stats.duplicates`). With `ocsf`, the lines are
 * the events' OCSF 1.8.0 form (`toOcsf`, which the registry passes: the adapters' mapping).
 */
export async function createNdjsonFileExporter(
  config: NdjsonFileConfig,
  ctx: Partial<Pick<ComponentContext, 'log'>>,
  name = 'ndjson_file',
  toOcsf?: (event: AuditEvent) => object,
): Promise<NdjsonFileExporter> {
  if (config.ocsf && !toOcsf) throw new TypeError(`exporters.${name}: ocsf needs the OCSF mapping`);
  const signingKey = signingKeyOf(config);
  const log = ctx.log;
  const writer = new NdjsonArchiveWriter({
    dir: config.directory,
    ...(typeof config.max_file_bytes === 'number' ? { maxFileBytes: config.max_file_bytes } : {}),
    ...(typeof config.max_file_age_secs === 'number' ? { maxFileAgeMillis: config.max_file_age_secs * 1000 } : {}),
    ...(signingKey ? { signingKey } : {}),
    ...(typeof config.wait_lock_secs === 'number' ? { lockWaitMillis: config.wait_lock_secs * 1000 } : {}),
    ...(typeof config.dedupe_window_secs === 'number' ? { dedupeWindowMillis: config.dedupe_window_secs * 1000 } : {}),
    ...(config.anchor_file ? { anchorFile: config.anchor_file } : {}),
    ...(config.heartbeat_secs ? { heartbeatMillis: config.heartbeat_secs * 1000 } : {}),
    ...(config.ocsf && toOcsf ? { ocsf: toOcsf } : {}),
    ...(log ? { onWarning: (m: string) => log(`exporters.${name}: ${m}`) } : {}),
  });
  await writer.open();
  // Exactly once in the archive across restarts: ids already there are not written again.
  return {
    name,
    writer,
    stats: {
      get delivered() {
        return writer.written;
      },
      failed: 0,
      get duplicates() {
        return writer.duplicates;
      },
    },
    pending: 0,
    write: (events) => writer.write(events),
    ack: () => writer.flush(),
    flush: async () => {
      await writer.flush();
      return true;
    },
    close: () => writer.close(),
  };
}
