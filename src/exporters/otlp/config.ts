import type { ConfigProblem } from '../../errors.js';
import type { Otlp } from '../../generated/types.js';

/** Options of the `otlp` exporter: schemas/config.v1.schema.json `$defs/otlp`. */
export type OtlpConfig = Otlp;

/** Defaults, equal to the schema's (test/components/defaults.test.ts checks them). */
export { DEFAULT_OTLP_COMPRESSION, DEFAULT_OTLP_PROTOCOL, DEFAULT_OTLP_TIMEOUT_MILLIS } from './options.js';
/** The sending queue keeps batches on disk unless turned off. */
export const DEFAULT_SENDING_QUEUE_ENABLED = true;
/** Batches kept before `ack` waits for the sender. */
export const DEFAULT_SENDING_QUEUE_MAX_BATCHES = 1000;
/** Backoff of the sending queue after a failed send: the first wait, doubling with jitter up to the longest. */
export const DEFAULT_QUEUE_MIN_BACKOFF_MILLIS = 500;
export const DEFAULT_QUEUE_MAX_BACKOFF_MILLIS = 30_000;
/** OTLP log records per export request when there is no sending queue. */
export const DEFAULT_OTLP_BATCH_SIZE = 512;

/** What a schema cannot say: an endpoint is given, and every endpoint is an http(s) URL. */
export function checkOtlpConfig(config: OtlpConfig, name: string): ConfigProblem[] {
  if (config.endpoint === undefined && config.logs_endpoint === undefined)
    return [{ path: `exporters.${name}.endpoint`, message: 'required (or logs_endpoint)' }];
  const problems: ConfigProblem[] = [];
  for (const key of ['endpoint', 'logs_endpoint'] as const) {
    const value = config[key];
    if (value === undefined) continue;
    let ok = false;
    try {
      const u = new URL(value);
      ok = u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      // reported below
    }
    if (!ok) problems.push({ path: `exporters.${name}.${key}`, message: 'not an http(s) URL' });
  }
  return problems;
}
