import { accessSync, constants } from 'node:fs';
import type { ConfigProblem } from '../../errors.js';
import type { Otlp } from '../../generated/types.js';
import { parseDuration } from '../../model/duration.js';
import type { OtlpProtocol } from './options.js';
import type { WireExporterOptions } from './wire-exporter.js';

/** Options of the `otlp` and `otlphttp` exporters: schemas/config.v1.schema.json `$defs/otlp`. */
export type OtlpConfig = Otlp;

/** The sending queue's settings, resolved. */
export interface QueueSettings {
  enabled: boolean;
  maxBatches: number;
  minBackoffMillis: number;
  maxBackoffMillis: number;
  multiplier: number;
  randomization: number;
}

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

const isHttpUrl = (value: string): boolean => {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
};
const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):[0-9]{1,5}$/;

/** The protocol an exporter speaks: `protocol` if given; else gRPC for `otlp`, OTLP/HTTP for `otlphttp` (JSON with `encoding: json`), as in the Collector. */
export function protocolOf(config: OtlpConfig, name: string): OtlpProtocol {
  if (config.protocol) return config.protocol;
  if (name.split('/', 1)[0] === 'otlphttp') return config.encoding === 'json' ? 'http/json' : 'http/protobuf';
  return 'grpc';
}

/** What a schema cannot say: an endpoint of the right form, options that agree, Collector values auditkit can honour. */
export function checkOtlpConfig(config: OtlpConfig, name: string): ConfigProblem[] {
  const at = (key: string): string => `exporters.${name}.${key}`;
  if (config.endpoint === undefined && config.logs_endpoint === undefined)
    return [{ path: at('endpoint'), message: 'required (or logs_endpoint)' }];
  const problems: ConfigProblem[] = [];
  const type = name.split('/', 1)[0];
  const protocol = protocolOf(config, name);
  if (type === 'otlphttp' && protocol === 'grpc')
    problems.push({ path: at('protocol'), message: 'otlphttp speaks OTLP/HTTP: use the otlp exporter for gRPC' });
  if (config.encoding !== undefined && type !== 'otlphttp')
    problems.push({ path: at('encoding'), message: 'only for otlphttp (gRPC is always protobuf)' });
  if (config.encoding !== undefined && config.protocol !== undefined)
    problems.push({ path: at('encoding'), message: 'give protocol or encoding, not both' });
  if (config.endpoint !== undefined) {
    const ok = protocol === 'grpc' ? isHttpUrl(config.endpoint) || HOST_PORT.test(config.endpoint) : isHttpUrl(config.endpoint);
    if (!ok)
      problems.push({ path: at('endpoint'), message: protocol === 'grpc' ? 'not host:port or an http(s) URL' : 'not an http(s) URL' });
  }
  if (config.logs_endpoint !== undefined && !isHttpUrl(config.logs_endpoint))
    problems.push({ path: at('logs_endpoint'), message: 'not an http(s) URL' });
  if (config.timeout !== undefined && config.timeout_secs !== undefined)
    problems.push({ path: at('timeout'), message: 'give timeout or timeout_secs, not both' });
  if (config.timeout !== undefined && !parseDuration(config.timeout))
    problems.push({ path: at('timeout'), message: 'must be a positive duration (10s, 500ms)' });
  const q = config.sending_queue;
  if (q?.queue_size !== undefined && q.max_batches !== undefined)
    problems.push({ path: at('sending_queue.queue_size'), message: 'give queue_size or max_batches, not both' });
  const r = config.retry_on_failure;
  if (r?.enabled === false)
    problems.push({
      path: at('retry_on_failure.enabled'),
      message: 'auditkit always retries: a batch is kept on disk until the backend accepts it',
    });
  if (r?.max_elapsed_time !== undefined && parseDuration(r.max_elapsed_time) !== 0)
    problems.push({ path: at('retry_on_failure.max_elapsed_time'), message: 'only 0: auditkit never gives up on (drops) a batch' });
  for (const k of ['initial_interval', 'max_interval'] as const)
    if (r?.[k] !== undefined && !parseDuration(r[k]))
      problems.push({ path: at(`retry_on_failure.${k}`), message: 'must be a positive duration (500ms, 30s)' });
  if (config.tls?.insecure_skip_verify === true)
    problems.push({
      path: at('tls.insecure_skip_verify'),
      message: 'not supported: auditkit always verifies the server (give tls.ca_file)',
    });
  for (const k of ['ca_file', 'cert_file', 'key_file'] as const) {
    const file = config.tls?.[k];
    if (file === undefined) continue;
    try {
      accessSync(file, constants.R_OK);
    } catch {
      problems.push({ path: at(`tls.${k}`), message: `cannot read ${file}` });
    }
  }
  if (config.tls?.insecure === true && config.endpoint?.startsWith('https:'))
    problems.push({ path: at('tls.insecure'), message: 'contradicts the https:// endpoint' });
  return problems;
}

/** The exporter's transport options and queue settings from its (checked) configuration. */
export function resolveOtlpExporter(config: OtlpConfig, name: string): { options: WireExporterOptions; queue: QueueSettings } {
  const protocol = protocolOf(config, name);
  let endpoint = config.endpoint;
  // The Collector's gRPC endpoint is host:port: TLS unless tls.insecure.
  if (endpoint !== undefined && protocol === 'grpc' && !isHttpUrl(endpoint))
    endpoint = `${config.tls?.insecure ? 'http' : 'https'}://${endpoint}`;
  const timeoutMillis =
    config.timeout !== undefined
      ? parseDuration(config.timeout)
      : config.timeout_secs !== undefined
        ? config.timeout_secs * 1000
        : undefined;
  const r = config.retry_on_failure ?? {};
  const q = config.sending_queue ?? {};
  return {
    options: {
      ...(endpoint ? { endpoint } : {}),
      ...(config.logs_endpoint ? { logsEndpoint: config.logs_endpoint } : {}),
      protocol,
      ...(config.headers ? { headers: config.headers as Record<string, string> } : {}),
      ...(config.compression ? { compression: config.compression } : {}),
      ...(timeoutMillis !== undefined ? { timeoutMillis } : {}),
      ...(config.tls ? { tls: config.tls } : {}),
    },
    queue: {
      enabled: q.enabled ?? DEFAULT_SENDING_QUEUE_ENABLED,
      maxBatches: q.queue_size ?? q.max_batches ?? DEFAULT_SENDING_QUEUE_MAX_BATCHES,
      minBackoffMillis: r.initial_interval !== undefined ? parseDuration(r.initial_interval)! : DEFAULT_QUEUE_MIN_BACKOFF_MILLIS,
      maxBackoffMillis: r.max_interval !== undefined ? parseDuration(r.max_interval)! : DEFAULT_QUEUE_MAX_BACKOFF_MILLIS,
      multiplier: r.multiplier ?? 2,
      randomization: r.randomization_factor ?? 0.5,
    },
  };
}
