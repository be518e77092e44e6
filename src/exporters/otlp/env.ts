/**
 * OTLP exporter settings resolved as the OpenTelemetry specification says
 * (specification/protocol/exporter.md, "Configuration Options" and "Endpoint URLs for OTLP/HTTP"):
 * a setting given explicitly (a CLI flag) wins over the signal-specific variable
 * (`OTEL_EXPORTER_OTLP_LOGS_*`), which wins over the generic one (`OTEL_EXPORTER_OTLP_*`), which
 * wins over auditkit's default. `OTEL_EXPORTER_OTLP_LOGS_ENDPOINT` is used as is; the generic
 * `OTEL_EXPORTER_OTLP_ENDPOINT` gets `v1/logs` appended to its path for OTLP/HTTP (and is used as
 * is for gRPC). An invalid value is a problem naming the variable (or flag) it came from.
 */
import type { ConfigProblem } from '../../errors.js';
import {
  DEFAULT_OTLP_COMPRESSION,
  DEFAULT_OTLP_PROTOCOL,
  DEFAULT_OTLP_TIMEOUT_MILLIS,
  OTLP_PROTOCOLS,
  type OtlpExporterOptions,
  type OtlpProtocol,
} from './options.js';

/** Settings given explicitly (flags), each with the name to report it by. */
export interface OtlpExplicit {
  endpoint?: string;
  protocol?: string;
  compression?: string;
  timeoutMillis?: string;
}

const GENERIC = 'OTEL_EXPORTER_OTLP_';
const LOGS = 'OTEL_EXPORTER_OTLP_LOGS_';

/** `OTEL_EXPORTER_OTLP_ENDPOINT` + `v1/logs`, relative to its path (spec: "Endpoint URLs for OTLP/HTTP"). */
export function genericLogsUrl(endpoint: string): string {
  const url = new URL(endpoint);
  url.pathname = `${url.pathname.replace(/\/?$/, '/')}v1/logs`;
  return url.toString();
}

/**
 * Resolves endpoint, protocol, compression and timeout (headers are the caller's: they merge).
 * `flagNames` names the flags in problems (`--endpoint`).
 */
export function resolveOtlpEnv(
  explicit: OtlpExplicit,
  env: NodeJS.ProcessEnv,
  flagNames: Record<keyof OtlpExplicit, string>,
): { options: OtlpExporterOptions; problems: ConfigProblem[]; endpointFrom?: string } {
  const problems: ConfigProblem[] = [];
  /** The first of flag, signal-specific and generic variable that is set, with where it came from. */
  const pick = (flag: keyof OtlpExplicit, variable: string): [string, string] | undefined => {
    if (explicit[flag] !== undefined) return [explicit[flag], flagNames[flag]];
    for (const name of [`${LOGS}${variable}`, `${GENERIC}${variable}`]) {
      const v = env[name]?.trim();
      if (v) return [v, name];
    }
    return undefined;
  };
  const options: OtlpExporterOptions = {};

  const protocol = pick('protocol', 'PROTOCOL');
  if (protocol && !OTLP_PROTOCOLS.includes(protocol[0] as OtlpProtocol))
    problems.push({ path: protocol[1], message: `must be one of ${OTLP_PROTOCOLS.join(', ')}` });
  options.protocol =
    protocol && OTLP_PROTOCOLS.includes(protocol[0] as OtlpProtocol) ? (protocol[0] as OtlpProtocol) : DEFAULT_OTLP_PROTOCOL;

  const compression = pick('compression', 'COMPRESSION');
  if (compression && compression[0] !== 'gzip' && compression[0] !== 'none')
    problems.push({ path: compression[1], message: 'must be gzip or none' });
  options.compression = compression?.[0] === 'none' ? 'none' : compression?.[0] === 'gzip' ? 'gzip' : DEFAULT_OTLP_COMPRESSION;

  const timeout = pick('timeoutMillis', 'TIMEOUT');
  if (timeout && !/^[1-9]\d{0,8}$/.test(timeout[0]))
    problems.push({ path: timeout[1], message: 'must be a positive whole number of milliseconds' });
  options.timeoutMillis = timeout && /^[1-9]\d{0,8}$/.test(timeout[0]) ? Number(timeout[0]) : DEFAULT_OTLP_TIMEOUT_MILLIS;

  let endpointFrom: string | undefined;
  const endpoint = pick('endpoint', 'ENDPOINT');
  if (endpoint) {
    const [value, from] = endpoint;
    endpointFrom = from;
    try {
      const u = new URL(value);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') problems.push({ path: from, message: 'must be an http or https URL' });
      else if (from === flagNames.endpoint) options.endpoint = value;
      else if (from === `${LOGS}ENDPOINT`) options.logsEndpoint = value;
      else if (options.protocol === 'grpc') options.endpoint = value;
      else options.logsEndpoint = genericLogsUrl(value);
    } catch {
      problems.push({ path: from, message: 'not a valid URL' });
    }
  }
  return { options, problems, ...(endpointFrom ? { endpointFrom } : {}) };
}
