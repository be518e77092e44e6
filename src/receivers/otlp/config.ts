import type { ConfigProblem } from '../../errors.js';
import type { OtlpReceiver } from '../../generated/types.js';

/** Options of the `otlp` receiver: schemas/config.v1.schema.json `$defs/otlp_receiver`. */
export type OtlpReceiverConfig = OtlpReceiver;

/** Defaults, equal to the schema's (test/components/defaults.test.ts checks them). */
export const DEFAULT_HTTP_ENDPOINT = 'localhost:4318';
export const DEFAULT_GRPC_ENDPOINT = 'localhost:4317';
export const DEFAULT_LOGS_URL_PATH = '/v1/logs';
/** The Collector's default: 20 MiB. */
export const DEFAULT_MAX_REQUEST_BODY_SIZE = 20 * 1024 * 1024;
export const DEFAULT_MAX_RECV_MSG_SIZE_MIB = 4;
export const DEFAULT_KEEP_RAW = false;

/** `host:port` (IPv6 in brackets), port 0 for an ephemeral one. */
export function parseListen(endpoint: string): { host: string; port: number } | undefined {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]*):([0-9]{1,5})$/.exec(endpoint);
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port > 65535) return undefined;
  const host = m[1]!.replace(/^\[|\]$/g, '');
  return { host: host === '' ? '0.0.0.0' : host, port };
}

/** What the schema cannot say: endpoints are host:port, the path starts with `/`. */
export function checkOtlpReceiverConfig(config: OtlpReceiverConfig, name: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const { http, grpc } = config.protocols;
  for (const [proto, endpoint] of [
    ['http', http?.endpoint],
    ['grpc', grpc?.endpoint],
  ] as const) {
    if (endpoint !== undefined && !parseListen(endpoint))
      problems.push({ path: `receivers.${name}.protocols.${proto}.endpoint`, message: 'must be host:port (e.g. 127.0.0.1:4318)' });
  }
  if (http?.logs_url_path !== undefined && !http.logs_url_path.startsWith('/'))
    problems.push({ path: `receivers.${name}.protocols.http.logs_url_path`, message: 'must start with /' });
  return problems;
}
