/**
 * Where `convert` and `pull` send events: unified NDJSON (stdout or a file), OTLP, or the
 * archive; and the edge configuration they share (redaction, OTLP, signing keys), the only
 * place that reads environment variables.
 */
import type { ComponentContext } from '../components/context.js';
import type { EventExporter } from '../components/event-exporter.js';
import type { ProcessorChain } from '../components/processor-chain.js';
import { createExporter } from '../components/registry.js';
import { ConfigError, type ConfigProblem } from '../errors.js';
import type { NdjsonConfig } from '../exporters/ndjson/config.js';
import type { NdjsonFileConfig } from '../exporters/ndjson_file/config.js';
import { loadSigningKey } from '../exporters/ndjson_file/keys.js';
import type { OtlpConfig } from '../exporters/otlp/config.js';
import type { ParquetConfig } from '../exporters/parquet/config.js';
import type { OtlpProtocol } from '../exporters/otlp/options.js';
import { resolveOtlpEnv } from '../exporters/otlp/env.js';
import { resourceEnvProblems } from '../exporters/otlp/resource-env.js';
import { redactChain } from '../pipeline/redact-chain.js';
import { compilePiiPolicy, type PiiPolicyConfig, type PiiPreset } from '../redact/pii-policy.js';
import type { CliIo } from './io.js';

/** Output flags shared by `convert` and `pull`. */
export interface OutputCliOptions {
  to: 'ndjson' | 'ocsf' | 'otlp' | 'archive' | 'parquet';
  output?: string;
  endpoint?: string;
  otlpProtocol?: OtlpProtocol;
  header?: string[];
  compression?: 'gzip' | 'none';
  timeoutMs?: string;
  redact?: PiiPreset;
  hmacKeyEnv?: string;
  hmacKeyId?: string;
  maxFileBytes?: string;
  maxFileAgeSecs?: string;
  waitLockSecs?: string;
  dedupeWindowSecs?: string;
  anchorFile?: string;
  signKeyFile?: string;
  signHmacKeyEnv?: string;
  signKeyId?: string;
}

/** Parses `k=v` header pairs (flags, or OTEL_EXPORTER_OTLP_LOGS_HEADERS' comma list). */
export function parseHeaders(pairs: readonly string[], where: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    // The value may be a secret: the error names only the key part.
    if (eq <= 0)
      throw new ConfigError([
        {
          path: where,
          message: `expected key=value, got a value without "=" (key ${JSON.stringify(pair.slice(0, Math.max(eq, 0)) || '?')})`,
        },
      ]);
    const key = pair.slice(0, eq).trim();
    try {
      headers[decodeURIComponent(key)] = decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      // A bad %-escape; the value may be a secret, so only the key is named.
      throw new ConfigError([{ path: where, message: `the value of header ${JSON.stringify(key)} has a bad %-escape` }]);
    }
  }
  return headers;
}

/** The one-pipeline configuration the output flags describe, checked at the edge. */
export interface EdgeConfig {
  /** The `redact` processor's configuration, when the policy is not `off` (parallel workers compile their own). */
  redactionConfig?: PiiPolicyConfig;
  /** The exporter: `ndjson` (stdout or `-o`), `otlp` or `ndjson_file` (`--to archive`), with its configuration. */
  exporter: { type: 'ndjson' | 'otlp' | 'ndjson_file' | 'parquet'; config: NdjsonConfig | OtlpConfig | NdjsonFileConfig | ParquetConfig };
  /** The OTLP endpoint (for messages, printed without credentials). */
  otlpEndpoint?: string;
  /** With --to otlp: the environment the records' resource is built from (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES), when the exporter opens. */
  resourceEnv?: NodeJS.ProcessEnv;
}

/**
 * Builds the pipeline configuration from flags and the environment (the CLI edge is the only
 * place that reads environment variables). Throws ConfigError with every problem.
 */
export function edgeConfig(opts: OutputCliOptions, env: NodeJS.ProcessEnv): EdgeConfig {
  const problems: ConfigProblem[] = [];
  const collect = (check: () => void): void => {
    try {
      check();
    } catch (err) {
      if (err instanceof ConfigError) problems.push(...err.problems);
      else throw err;
    }
  };
  let exporter: EdgeConfig['exporter'] = {
    type: 'ndjson',
    config: { ...(opts.output ? { path: opts.output } : {}), ...(opts.to === 'ocsf' ? { ocsf: true } : {}) },
  };
  if (opts.to === 'parquet') {
    if (!opts.output || opts.output === '-') problems.push({ path: '-o', message: 'the dataset directory is required with --to parquet' });
    else exporter = { type: 'parquet', config: { directory: opts.output } };
  }
  if (opts.to === 'archive') {
    if (!opts.output || opts.output === '-') problems.push({ path: '-o', message: 'the archive directory is required with --to archive' });
    for (const k of ['maxFileBytes', 'maxFileAgeSecs'] as const) {
      if (opts[k] !== undefined && !/^[1-9]\d*$/.test(opts[k]))
        problems.push({
          path: k === 'maxFileBytes' ? '--max-file-bytes' : '--max-file-age-secs',
          message: 'must be a positive whole number',
        });
    }
    if (opts.dedupeWindowSecs !== undefined && !/^\d+$/.test(opts.dedupeWindowSecs))
      problems.push({ path: '--dedupe-window-secs', message: 'must be a whole number of seconds' });
    if (opts.waitLockSecs !== undefined && !/^\d+$/.test(opts.waitLockSecs))
      problems.push({ path: '--wait-lock-secs', message: 'must be a whole number of seconds' });
    collect(() => loadSigningKey(opts, env));
    exporter = {
      type: 'ndjson_file',
      config: {
        directory: opts.output ?? '',
        ...(opts.maxFileBytes ? { max_file_bytes: Number(opts.maxFileBytes) } : {}),
        ...(opts.maxFileAgeSecs ? { max_file_age_secs: Number(opts.maxFileAgeSecs) } : {}),
        ...(opts.waitLockSecs ? { wait_lock_secs: Number(opts.waitLockSecs) } : {}),
        ...(opts.dedupeWindowSecs ? { dedupe_window_secs: Number(opts.dedupeWindowSecs) } : {}),
        ...(opts.anchorFile ? { anchor_file: opts.anchorFile } : {}),
        ...(opts.signKeyFile ? { sign_key_file: opts.signKeyFile } : {}),
        ...(opts.signHmacKeyEnv ? { sign_hmac_key: env[opts.signHmacKeyEnv] ?? '' } : {}),
        ...(opts.signKeyId ? { sign_key_id: opts.signKeyId } : {}),
      },
    };
  }
  let key: string | undefined;
  if (opts.hmacKeyEnv !== undefined) {
    key = env[opts.hmacKeyEnv];
    if (!key) problems.push({ path: '--hmac-key-env', message: `environment variable ${opts.hmacKeyEnv} is not set or empty` });
  }
  let redactionConfig: PiiPolicyConfig | undefined;
  const preset = opts.redact ?? 'off';
  if (preset !== 'off') {
    redactionConfig = { preset, ...(key ? { hmac_key: key } : {}), ...(opts.hmacKeyId ? { hmac_key_id: opts.hmacKeyId } : {}) };
    const policy = redactionConfig;
    collect(() => compilePiiPolicy(policy, '--redact'));
  }
  let otlpEndpoint: string | undefined;
  let resourceEnv: NodeJS.ProcessEnv | undefined;
  if (opts.to === 'otlp') {
    // Flags over OTEL_EXPORTER_OTLP_LOGS_* over OTEL_EXPORTER_OTLP_* over defaults (exporters/otlp/env.ts).
    const resolved = resolveOtlpEnv(
      {
        ...(opts.endpoint !== undefined ? { endpoint: opts.endpoint } : {}),
        ...(opts.otlpProtocol !== undefined ? { protocol: opts.otlpProtocol } : {}),
        ...(opts.compression !== undefined ? { compression: opts.compression } : {}),
        ...(opts.timeoutMs !== undefined ? { timeoutMillis: opts.timeoutMs } : {}),
      },
      env,
      { endpoint: '--endpoint', protocol: '--otlp-protocol', compression: '--compression', timeoutMillis: '--timeout-ms' },
    );
    problems.push(...resolved.problems);
    const { options } = resolved;
    problems.push(...resourceEnvProblems(env));
    resourceEnv = env;
    if (!resolved.endpointFrom)
      problems.push({
        path: '--endpoint',
        message: 'required with --to otlp (or set OTEL_EXPORTER_OTLP_LOGS_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT)',
      });
    let headers: Record<string, string> = {};
    collect(() => {
      const generic = env.OTEL_EXPORTER_OTLP_HEADERS;
      const logs = env.OTEL_EXPORTER_OTLP_LOGS_HEADERS;
      headers = {
        ...(generic ? parseHeaders(generic.split(','), 'OTEL_EXPORTER_OTLP_HEADERS') : {}),
        ...(logs ? parseHeaders(logs.split(','), 'OTEL_EXPORTER_OTLP_LOGS_HEADERS') : {}),
        ...parseHeaders(opts.header ?? [], '--header'),
      };
    });
    const target = options.logsEndpoint ?? options.endpoint;
    if (target) {
      otlpEndpoint = target;
      exporter = {
        type: 'otlp',
        config: {
          ...(options.endpoint ? { endpoint: options.endpoint } : {}),
          ...(options.logsEndpoint ? { logs_endpoint: options.logsEndpoint } : {}),
          headers,
          ...(options.protocol ? { protocol: options.protocol } : {}),
          ...(options.compression ? { compression: options.compression } : {}),
          // Milliseconds as given (the YAML option is whole seconds; the exporter takes any).
          ...(options.timeoutMillis !== undefined ? { timeout_secs: options.timeoutMillis / 1000 } : {}),
          // The CLI waits for each batch instead of queueing it on disk.
          sending_queue: { enabled: false },
        },
      };
    }
  }
  if (opts.to === 'otlp' && opts.output) problems.push({ path: '-o', message: 'not used with --to otlp (events go to --endpoint)' });
  if (problems.length) throw new ConfigError(problems);
  return {
    ...(redactionConfig ? { redactionConfig } : {}),
    exporter,
    ...(otlpEndpoint ? { otlpEndpoint } : {}),
    ...(resourceEnv ? { resourceEnv } : {}),
  };
}

/** The pipeline the flags describe, built from the component registry. */
export interface CliPipeline {
  chain: ProcessorChain;
  exporter: EventExporter;
}

/** The context CLI components are built in. */
export function cliContext(io: CliIo, extra: Partial<ComponentContext> = {}): ComponentContext {
  return {
    stateDirectory: '.',
    log: (line) => void io.stderr.write(`${line}\n`),
    deadLetterFile: () => {
      throw new TypeError('CLI commands write dead letters with --dead-letter');
    },
    stdout: io.stdout,
    ...extra,
  };
}

/** Builds the processors and opens the exporter the flags name. */
export async function openPipeline(edge: EdgeConfig, ctx: ComponentContext): Promise<CliPipeline> {
  return {
    chain: redactChain(edge.redactionConfig),
    exporter: await createExporter(
      edge.exporter.type,
      edge.exporter.config,
      // The OpenTelemetry resources package loads only for OTLP output.
      edge.resourceEnv
        ? { ...ctx, resource: (await import('../exporters/otlp/resource.js')).auditkitResource(edge.resourceEnv).resource }
        : ctx,
    ),
  };
}
