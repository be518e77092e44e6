/** OTLP export options and URL helpers: light, so the CLI can describe its flags without loading the exporters. */

export type OtlpProtocol = 'http/json' | 'http/protobuf' | 'grpc';
export const OTLP_PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json', 'grpc'];

export interface OtlpExporterOptions {
  /** Collector base URL (`http://host:4318`: `/v1/logs` is appended) or a URL with a path (used as is); for grpc, `http://host:4317`. */
  endpoint?: string;
  /** The logs URL, used exactly as given (OTEL_EXPORTER_OTLP_LOGS_ENDPOINT, YAML `logs_endpoint`). Wins over `endpoint`. */
  logsEndpoint?: string;
  /** Default `http/protobuf`. */
  protocol?: OtlpProtocol;
  /** Extra request headers, or gRPC metadata (e.g. an API key). Never logged. */
  headers?: Record<string, string>;
  /** Default `gzip`. */
  compression?: 'gzip' | 'none';
  /** Per-request timeout. Default 10000. */
  timeoutMillis?: number;
}

/** Default OTLP export settings. */
export const DEFAULT_OTLP_PROTOCOL: OtlpProtocol = 'http/protobuf';
export const DEFAULT_OTLP_TIMEOUT_MILLIS = 10_000;
export const DEFAULT_OTLP_COMPRESSION: 'gzip' | 'none' = 'gzip';

/** The logs URL for an endpoint: a bare base URL gets `/v1/logs`, a URL with a path is kept. */
export function logsUrl(endpoint: string): string {
  const url = new URL(endpoint);
  if (url.pathname === '' || url.pathname === '/') url.pathname = '/v1/logs';
  return url.toString();
}

/**
 * The URL an exporter sends to: `logsEndpoint` as is; for grpc the endpoint as is; otherwise
 * `logsUrl(endpoint)`.
 */
export function exportUrl(options: Pick<OtlpExporterOptions, 'endpoint' | 'logsEndpoint' | 'protocol'>): string {
  if (options.logsEndpoint) return options.logsEndpoint;
  if (!options.endpoint) throw new TypeError('an OTLP exporter needs endpoint or logsEndpoint');
  return options.protocol === 'grpc' ? options.endpoint : logsUrl(options.endpoint);
}
