/**
 * Where `convert` and `pull` send events: unified NDJSON (stdout or a file), OTLP, or the
 * archive; and the edge configuration they share (redaction, OTLP, signing keys), the only
 * place that reads environment variables.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { LineWriter } from '../exporters/line-writer.js';
import type { OtlpEventSink } from '../exporters/otlp.js';
import type { OtlpProtocol } from '../exporters/otlp-options.js';
import type { NdjsonArchiveWriter } from '../exporters/archive/writer.js';
import type { SigningKey } from '../exporters/archive/format.js';
import type { AuditEvent } from '../model/event.js';
import { compilePiiPolicy, type PiiPolicyConfig, type PiiPreset, type PiiRedactor } from '../redact/pii-policy.js';
import { loadSigningKey } from '../pipeline/keys.js';
import type { CliIo } from './io.js';

/** Output flags shared by `convert` and `pull`. */
export interface OutputCliOptions {
  to: 'ndjson' | 'otlp' | 'archive';
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
  signKeyFile?: string;
  signHmacKeyEnv?: string;
  signKeyId?: string;
}

/** Where events go. `ack` resolves once every event written so far is held by the output. */
export interface EventOutput {
  /** Returns a promise to wait on when the output needs it (backpressure), else nothing. */
  write(event: AuditEvent): Promise<void> | void;
  /** For NDJSON outputs: a block of unified NDJSON lines already serialized (parallel convert). */
  writeText?(ndjson: string): Promise<void> | void;
  ack(): Promise<void>;
  close(): Promise<void>;
  otlp?: OtlpEventSink;
  archive?: NdjsonArchiveWriter;
}

/** Parses `k=v` header pairs (flags, or OTEL_EXPORTER_OTLP_LOGS_HEADERS' comma list). */
export function parseHeaders(pairs: readonly string[], where: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    // The value may be a secret: the error names only the key part.
    if (eq <= 0) throw new ConfigError([{ path: where, message: `expected key=value, got a value without "=" (key ${JSON.stringify(pair.slice(0, Math.max(eq, 0)) || '?')})` }]);
    headers[decodeURIComponent(pair.slice(0, eq).trim())] = decodeURIComponent(pair.slice(eq + 1).trim());
  }
  return headers;
}


/**
 * Builds the redactor and the OTLP settings from flags and the environment (the CLI edge is the
 * only place that reads environment variables). Throws ConfigError with every problem.
 */
/** Redactor, OTLP target and signing key, from flags and the environment. */
export interface EdgeConfig {
  redactor?: PiiRedactor;
  /** The policy the redactor was compiled from (parallel convert workers compile their own). */
  redactionConfig?: PiiPolicyConfig;
  otlp?: { endpoint: string; headers: Record<string, string> };
  signingKey?: SigningKey;
}

export function edgeConfig(opts: OutputCliOptions, env: NodeJS.ProcessEnv): EdgeConfig {
  const problems: { path: string; message: string }[] = [];
  let signingKey: SigningKey | undefined;
  if (opts.to === 'archive') {
    if (!opts.output || opts.output === '-') problems.push({ path: '-o', message: 'the archive directory is required with --to archive' });
    for (const k of ['maxFileBytes', 'maxFileAgeSecs'] as const) {
      if (opts[k] !== undefined && !/^[1-9]\d*$/.test(opts[k])) problems.push({ path: k === 'maxFileBytes' ? '--max-file-bytes' : '--max-file-age-secs', message: 'must be a positive whole number' });
    }
    try {
      signingKey = loadSigningKey(opts, env);
    } catch (err) {
      if (err instanceof ConfigError) problems.push(...err.problems);
      else throw err;
    }
  }
  let key: string | undefined;
  if (opts.hmacKeyEnv !== undefined) {
    key = env[opts.hmacKeyEnv];
    if (!key) problems.push({ path: '--hmac-key-env', message: `environment variable ${opts.hmacKeyEnv} is not set or empty` });
  }
  let redactor: PiiRedactor | undefined;
  let redactionConfig: PiiPolicyConfig | undefined;
  const preset = opts.redact ?? 'off';
  if (preset !== 'off') {
    try {
      redactionConfig = { preset, ...(key ? { hmac_key: key } : {}), ...(opts.hmacKeyId ? { hmac_key_id: opts.hmacKeyId } : {}) };
      redactor = compilePiiPolicy(redactionConfig, '--redact');
    } catch (err) {
      if (err instanceof ConfigError) problems.push(...err.problems);
      else throw err;
    }
  }
  let otlp: { endpoint: string; headers: Record<string, string> } | undefined;
  if (opts.to === 'otlp') {
    const endpoint = opts.endpoint ?? env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT;
    if (!endpoint) problems.push({ path: '--endpoint', message: 'required with --to otlp (or set OTEL_EXPORTER_OTLP_LOGS_ENDPOINT)' });
    else {
      try {
        const u = new URL(endpoint);
        if (u.protocol !== 'http:' && u.protocol !== 'https:') problems.push({ path: '--endpoint', message: 'must be an http or https URL' });
      } catch {
        problems.push({ path: '--endpoint', message: 'not a valid URL' });
      }
    }
    let headers: Record<string, string> = {};
    try {
      const fromEnv = env.OTEL_EXPORTER_OTLP_LOGS_HEADERS ?? env.OTEL_EXPORTER_OTLP_HEADERS;
      headers = { ...(fromEnv ? parseHeaders(fromEnv.split(','), 'OTEL_EXPORTER_OTLP_LOGS_HEADERS') : {}), ...parseHeaders(opts.header ?? [], '--header') };
    } catch (err) {
      if (err instanceof ConfigError) problems.push(...err.problems);
      else throw err;
    }
    if (endpoint) otlp = { endpoint, headers };
  }
  if (opts.timeoutMs !== undefined && !/^\d+$/.test(opts.timeoutMs)) problems.push({ path: '--timeout-ms', message: 'must be a whole number of milliseconds' });
  if (opts.to === 'otlp' && opts.output) problems.push({ path: '-o', message: 'not used with --to otlp (events go to --endpoint)' });
  if (problems.length) throw new ConfigError(problems);
  return { ...(redactor ? { redactor, redactionConfig } : {}), ...(otlp ? { otlp } : {}), ...(signingKey ? { signingKey } : {}) };
}

export async function openWriter(file: string): Promise<{ writer: LineWriter; done: Promise<void> }> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const stream = createWriteStream(file);
  const done = new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    stream.on('finish', resolve);
  });
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  return { writer: new LineWriter(stream), done };
}


/** Opens the output the flags name. */
export async function openOutput(opts: OutputCliOptions, edge: EdgeConfig, io: CliIo): Promise<EventOutput> {
  if (edge.otlp) {
    const { OtlpEventSink, createOtlpLogExporter } = await import('../exporters/otlp.js');
    const sink = new OtlpEventSink(
      createOtlpLogExporter({
        endpoint: edge.otlp.endpoint,
        headers: edge.otlp.headers,
        ...(opts.otlpProtocol ? { protocol: opts.otlpProtocol } : {}),
        ...(opts.compression ? { compression: opts.compression } : {}),
        ...(opts.timeoutMs ? { timeoutMillis: Number(opts.timeoutMs) } : {}),
      }),
    );
    return {
      otlp: sink,
      write: (e) => sink.write(e),
      ack: async () => {
        await sink.flush();
        if (sink.failed) throw new Error(`${sink.failed} events could not be delivered: ${sink.lastError?.message ?? 'export failed'}`);
      },
      close: () => sink.close(),
    };
  }
  if (opts.to === 'archive') {
    const { NdjsonArchiveWriter } = await import('../exporters/archive/writer.js');
    const archive = new NdjsonArchiveWriter({
      dir: opts.output!,
      ...(opts.maxFileBytes ? { maxFileBytes: Number(opts.maxFileBytes) } : {}),
      ...(opts.maxFileAgeSecs ? { maxFileAgeMillis: Number(opts.maxFileAgeSecs) * 1000 } : {}),
      ...(edge.signingKey ? { signingKey: edge.signingKey } : {}),
    });
    await archive.open();
    return { archive, write: (e) => archive.write([e]), ack: () => archive.flush(), close: () => archive.close() };
  }
  if (opts.output && opts.output !== '-') {
    const { writer, done } = await openWriter(opts.output);
    return { write: (e) => writer.write(JSON.stringify(e)), writeText: (t) => writer.writeBlock(t), ack: () => writer.flush(), close: async () => { await writer.close(); await done; } };
  }
  const writer = new LineWriter(io.stdout);
  return { write: (e) => writer.write(JSON.stringify(e)), writeText: (t) => writer.writeBlock(t), ack: () => writer.flush(), close: () => writer.close(false) };
}
