/** OTLP export options and URL helpers: light, so the CLI can describe its flags without loading the exporters. */

export type OtlpProtocol = 'http/json' | 'http/protobuf';
export const OTLP_PROTOCOLS: readonly OtlpProtocol[] = ['http/json', 'http/protobuf'];

export interface OtlpExporterOptions {
  /** Collector base URL (`http://host:4318`, `/v1/logs` is appended) or the full logs URL. */
  endpoint: string;
  /** Default `http/protobuf`. */
  protocol?: OtlpProtocol;
  /** Extra request headers (e.g. an API key). Never logged. */
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
