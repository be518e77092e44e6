import { createWriteStream, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { formatLocation } from '../errors.js';
import { LineWriter } from '../exporters/line-writer.js';
import type { Vendor } from '../model/event.js';
import { convertSources, type ConvertCounts } from '../pipeline/convert.js';
import type { InputFormat } from '../receivers/files.js';
import { compilePiiPolicy, type PiiPreset, type PiiRedactor } from '../redact/pii-policy.js';
import { ConfigError } from '../errors.js';
import { OtlpEventSink, createOtlpLogExporter, printableEndpoint, type OtlpProtocol } from '../exporters/otlp.js';
import type { AuditEvent } from '../model/event.js';
import { NdjsonArchiveWriter } from '../exporters/archive/writer.js';
import type { SigningKey } from '../exporters/archive/format.js';
import { loadSigningKey } from './keys.js';
import { EXIT, type CliIo } from './io.js';

/** Options of `auditkit convert`, as commander parses them. */
export interface ConvertCliOptions {
  from: Vendor | 'auto';
  inputFormat?: InputFormat;
  to: 'ndjson' | 'otlp' | 'archive';
  maxFileBytes?: string;
  maxFileAgeSecs?: string;
  signKeyFile?: string;
  signHmacKeyEnv?: string;
  signKeyId?: string;
  output?: string;
  deadLetter?: string;
  keepRaw?: boolean;
  quiet?: boolean;
  endpoint?: string;
  otlpProtocol?: OtlpProtocol;
  header?: string[];
  compression?: 'gzip' | 'none';
  timeoutMs?: string;
  redact?: PiiPreset;
  hmacKeyEnv?: string;
  hmacKeyId?: string;
}

/** Parses `k=v` header pairs (flags, or OTEL_EXPORTER_OTLP_LOGS_HEADERS' comma list). */
function parseHeaders(pairs: readonly string[], where: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    // The value may be a secret: the error names only the key part.
    if (eq <= 0) throw new ConfigError([{ path: where, message: `expected key=value, got a value without "=" (key ${JSON.stringify(pair.slice(0, Math.max(eq, 0)) || '?')})` }]);
    headers[decodeURIComponent(pair.slice(0, eq).trim())] = decodeURIComponent(pair.slice(eq + 1).trim());
  }
  return headers;
}

/** Where converted events go: unified NDJSON lines, or OTLP. */
interface EventOutput {
  write(event: AuditEvent): Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds the redactor and the OTLP settings from flags and the environment (the CLI edge is the
 * only place that reads environment variables). Throws ConfigError with every problem.
 */
function edgeConfig(opts: ConvertCliOptions, env: NodeJS.ProcessEnv): { redactor?: PiiRedactor; otlp?: { endpoint: string; headers: Record<string, string> }; signingKey?: SigningKey } {
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
  const preset = opts.redact ?? 'off';
  if (preset !== 'off') {
    try {
      redactor = compilePiiPolicy({ preset, ...(key ? { hmac_key: key } : {}), ...(opts.hmacKeyId ? { hmac_key_id: opts.hmacKeyId } : {}) }, '--redact');
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
  return { ...(redactor ? { redactor } : {}), ...(otlp ? { otlp } : {}), ...(signingKey ? { signingKey } : {}) };
}

/** How many per-record errors are printed before only the dead-letter file has them. */
const MAX_PRINTED_ERRORS = 1000;

async function openWriter(file: string): Promise<{ writer: LineWriter; done: Promise<void> }> {
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

/** Runs `auditkit convert`; returns the exit code and the counts. */
export async function runConvert(files: readonly string[], opts: ConvertCliOptions, io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; counts?: ConvertCounts }> {
  const inputs = files.length ? files : ['-'];
  const say = (line: string): void => void io.stderr.write(`${line}\n`);
  let edge: ReturnType<typeof edgeConfig>;
  try {
    edge = edgeConfig(opts, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const p of err.problems) say(`auditkit convert: ${p.path}: ${p.message}`);
    return { code: EXIT.usage };
  }
  let output: EventOutput;
  let otlpSink: OtlpEventSink | undefined;
  let dead: { writer: LineWriter; done: Promise<void> } | undefined;
  try {
    if (edge.otlp) {
      otlpSink = new OtlpEventSink(
        createOtlpLogExporter({
          endpoint: edge.otlp.endpoint,
          headers: edge.otlp.headers,
          ...(opts.otlpProtocol ? { protocol: opts.otlpProtocol } : {}),
          ...(opts.compression ? { compression: opts.compression } : {}),
          ...(opts.timeoutMs ? { timeoutMillis: Number(opts.timeoutMs) } : {}),
        }),
      );
      const sink = otlpSink;
      output = { write: (e) => sink.write(e), close: () => sink.close() };
    } else if (opts.to === 'archive') {
      const archive = new NdjsonArchiveWriter({
        dir: opts.output!,
        ...(opts.maxFileBytes ? { maxFileBytes: Number(opts.maxFileBytes) } : {}),
        ...(opts.maxFileAgeSecs ? { maxFileAgeMillis: Number(opts.maxFileAgeSecs) * 1000 } : {}),
        ...(edge.signingKey ? { signingKey: edge.signingKey } : {}),
      });
      await archive.open();
      output = { write: (e) => archive.write([e]), close: () => archive.close() };
    } else if (opts.output && opts.output !== '-') {
      const { writer, done } = await openWriter(opts.output);
      output = { write: (e) => writer.write(JSON.stringify(e)), close: async () => { await writer.close(); await done; } };
    } else {
      const writer = new LineWriter(io.stdout);
      output = { write: (e) => writer.write(JSON.stringify(e)), close: () => writer.close(false) };
    }
    if (opts.deadLetter) dead = await openWriter(opts.deadLetter);
  } catch (err) {
    say(`auditkit convert: cannot open output: ${(err as Error).message}`);
    return { code: EXIT.io };
  }
  const redactor = edge.redactor;

  // A progress bar on stderr when it is a terminal and the inputs are files of known size.
  let bar: cliProgress.SingleBar | undefined;
  let total = 0;
  if (io.stderr.isTTY && !opts.quiet && !inputs.includes('-')) {
    for (const f of inputs) total += statSync(f, { throwIfNoEntry: false })?.size ?? 0;
    bar = new cliProgress.SingleBar(
      { stream: io.stderr as NodeJS.WritableStream, format: 'converting [{bar}] {percentage}% | {value}/{total} bytes | ETA {eta}s', hideCursor: true, clearOnComplete: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0);
  }
  let printed = 0;
  const progress = bar ? (n: number) => bar.increment(n) : undefined;

  const counts = await convertSources(inputs, { from: opts.from, ...(opts.inputFormat ? { inputFormat: opts.inputFormat } : {}), keepRaw: opts.keepRaw ?? false, ...(progress ? { onBytes: progress } : {}) }, {
    event: (e) => output.write(redactor ? redactor.redactEvent(e) : e),
    reject: async (letter) => {
      if (printed++ < MAX_PRINTED_ERRORS) say(`auditkit convert: ${formatLocation(letter.source)}: ${letter.code}: ${letter.message}`);
      else if (printed === MAX_PRINTED_ERRORS + 1) say(`auditkit convert: more rejected records; ${opts.deadLetter ? `all are in ${opts.deadLetter}` : 'use --dead-letter FILE to keep them'}`);
      if (dead) await dead.writer.write(JSON.stringify(letter));
    },
    sourceFailed: (_path, err) => say(`auditkit convert: ${err.message}`),
  });
  bar?.stop();
  try {
    await output.close();
    if (dead) {
      await dead.writer.close();
      await dead.done;
    }
  } catch (err) {
    say(`auditkit convert: cannot write output: ${(err as Error).message}`);
    return { code: EXIT.io, counts };
  }
  if (!opts.quiet) {
    const per = Object.entries(counts.byVendor)
      .filter(([, c]) => c.written + c.rejected > 0)
      .map(([v, c]) => `${v} ${c.written}${c.rejected ? `/${c.rejected} rejected` : ''}`)
      .join(', ');
    const delivered = otlpSink ? `, delivered ${otlpSink.delivered} over OTLP` : '';
    say(`auditkit convert: read ${counts.read}, written ${counts.written}, rejected ${counts.rejected}${per ? ` (${per})` : ''}${delivered}`);
  }
  if (otlpSink?.failed) {
    // The exporter's message can name the URL; print it without credentials.
    const why = (otlpSink.lastError?.message ?? 'export failed').split(edge.otlp!.endpoint).join(printableEndpoint(edge.otlp!.endpoint));
    say(`auditkit convert: ${otlpSink.failed} events could not be delivered to ${printableEndpoint(edge.otlp!.endpoint)}: ${why}`);
    return { code: EXIT.io, counts };
  }
  const code = counts.failedSources ? EXIT.io : counts.rejected ? EXIT.rejected : EXIT.ok;
  return { code, counts };
}
