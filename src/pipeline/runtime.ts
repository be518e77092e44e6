/**
 * The collector runtime behind `auditkit run`: builds the components a configuration names,
 * pulls every pipeline's receivers (once, or every `poll_interval_secs`), applies the
 * pipeline's processors and delivers to its exporters. A page's checkpoint advances only after
 * every exporter of the pipeline acknowledged it: the archive flushed it, the OTLP sending
 * queue holds it on disk (or, without the queue, the backend accepted it).
 */
import path from 'node:path';
import type { AuditEvent } from '../model/event.js';
import type { DeadLetter } from '../exporters/dead-letter.js';
import { deadLetter } from '../exporters/dead-letter.js';
import { NdjsonDeadLetterFile } from '../exporters/dead-letter-file.js';
import { NdjsonArchiveWriter } from '../exporters/archive/writer.js';
import type { SigningKey } from '../exporters/archive/format.js';
import { FileQueue } from '../exporters/file-queue.js';
import { OtlpEventSink, createOtlpLogExporter, type OtlpProtocol } from '../exporters/otlp.js';
import { compilePiiPolicy, type PiiPolicyConfig } from '../redact/pii-policy.js';
import { validateEvent, type OnInvalid } from '../validate/policy.js';
import type { AuditkitConfig } from './config.js';
import { componentType } from './config.js';
import { pullSource, type PullCounts } from './pull.js';
import { adapterFor } from './registry.js';
import { loadSigningKey } from './keys.js';

/** An exporter as the runtime uses it. */
interface Exporter {
  write(events: AuditEvent[]): Promise<void>;
  ack(): Promise<void>;
  close(): Promise<void>;
  queue?: FileQueue;
}

type Processor = (e: AuditEvent) => AuditEvent | undefined;

export interface RuntimeOptions {
  /** Told about retries, warnings and failures (no secrets). */
  log: (line: string) => void;
  /** Backoff of the OTLP sending queue (tests shorten it). */
  queueBackoffMillis?: { min: number; max: number };
  /** HTTP retry backoff of the pullers (tests shorten it). */
  pullBackoffMillis?: { min: number; max: number };
}

export interface PullReport {
  pipeline: string;
  receiver: string;
  counts?: PullCounts;
  error?: string;
}


export class Runtime {
  private readonly exporters = new Map<string, Exporter>();
  private readonly deadLetters = new Map<string, NdjsonDeadLetterFile>();
  private readonly stateDir: string;
  private stopping = new AbortController();

  constructor(private readonly config: AuditkitConfig, private readonly o: RuntimeOptions) {
    this.stateDir = config.service.state_directory ?? './auditkit-state';
  }

  /** Opens every exporter a pipeline uses (archives, queues) and starts the queue senders. */
  async start(): Promise<void> {
    const names = new Set(Object.values(this.config.service.pipelines).flatMap((p) => p?.exporters ?? []));
    for (const name of names) this.exporters.set(name, await this.openExporter(name));
  }

  private async openExporter(name: string): Promise<Exporter> {
    const c = this.config.exporters[name] as unknown as Record<string, unknown>;
    if (componentType(name) === 'ndjson_file') {
      // The HMAC key was substituted from ${env:...} by the loader; hand it over the same way the CLI does.
      const signingKey: SigningKey | undefined = loadSigningKey(
        {
          ...(typeof c.sign_key_file === 'string' ? { signKeyFile: c.sign_key_file } : {}),
          ...(typeof c.sign_hmac_key === 'string' ? { signHmacKeyEnv: 'sign_hmac_key' } : {}),
          ...(typeof c.sign_key_id === 'string' ? { signKeyId: c.sign_key_id } : {}),
        },
        { sign_hmac_key: c.sign_hmac_key as string | undefined },
      );
      const archive = new NdjsonArchiveWriter({
        dir: c.directory as string,
        ...(typeof c.max_file_bytes === 'number' ? { maxFileBytes: c.max_file_bytes } : {}),
        ...(typeof c.max_file_age_secs === 'number' ? { maxFileAgeMillis: c.max_file_age_secs * 1000 } : {}),
        ...(signingKey ? { signingKey } : {}),
      });
      await archive.open();
      // Exactly once in the archive across restarts: ids already there are not written again.
      await archive.dedupeSince(undefined);
      return { write: (evs) => archive.write(evs), ack: () => archive.flush(), close: () => archive.close() };
    }
    const exporterOptions = {
      endpoint: c.endpoint as string,
      ...(c.protocol ? { protocol: c.protocol as OtlpProtocol } : {}),
      ...(c.headers ? { headers: c.headers as Record<string, string> } : {}),
      ...(c.compression ? { compression: c.compression as 'gzip' | 'none' } : {}),
      ...(typeof c.timeout_secs === 'number' ? { timeoutMillis: c.timeout_secs * 1000 } : {}),
    };
    const sendBatch = async (events: AuditEvent[]): Promise<void> => {
      const sink = new OtlpEventSink(createOtlpLogExporter(exporterOptions), events.length || 1);
      for (const e of events) await sink.write(e);
      await sink.close();
      if (sink.failed) throw sink.lastError ?? new Error('export failed');
    };
    const q = c.sending_queue as { enabled?: boolean; max_batches?: number } | undefined;
    if (q?.enabled === false) {
      let buffer: AuditEvent[] = [];
      return {
        write: async (evs) => void buffer.push(...evs),
        ack: async () => {
          const batch = buffer;
          buffer = [];
          if (batch.length) await sendBatch(batch);
        },
        close: async () => undefined,
      };
    }
    const queue = new FileQueue({
      directory: path.join(this.stateDir, 'queues', name.replace(/[^A-Za-z0-9_.-]/g, '_')),
      send: sendBatch,
      ...(q?.max_batches ? { maxBatches: q.max_batches } : {}),
      ...(this.o.queueBackoffMillis ? { minBackoffMillis: this.o.queueBackoffMillis.min, maxBackoffMillis: this.o.queueBackoffMillis.max } : {}),
      onError: (m) => this.o.log(`exporters.${name}: ${m}`),
    });
    await queue.open();
    queue.start();
    let buffer: AuditEvent[] = [];
    return {
      queue,
      write: async (evs) => void buffer.push(...evs),
      ack: async () => {
        const batch = buffer;
        buffer = [];
        await queue.enqueue(batch);
      },
      close: () => queue.stop(),
    };
  }

  private processors(pipeline: string, names: string[]): Processor[] {
    return names.map((name) => {
      const c = (this.config.processors ?? {})[name] as Record<string, unknown>;
      if (componentType(name) === 'redact') {
        const policy = compilePiiPolicy(c as PiiPolicyConfig, `processors.${name}`);
        return (e) => policy.redactEvent(e);
      }
      const onInvalid = (c.on_invalid as OnInvalid | undefined) ?? 'drop';
      let sink: NdjsonDeadLetterFile | undefined;
      if (onInvalid === 'dead_letter') {
        const p = c.dead_letter_path as string;
        sink = this.deadLetters.get(p) ?? new NdjsonDeadLetterFile(p);
        this.deadLetters.set(p, sink);
      }
      return (e) => {
        const problems = validateEvent(e);
        if (problems.length === 0 || onInvalid === 'pass') return e;
        if (sink) sink.write(deadLetter('validate', problems[0]!.code, problems[0]!.message, { pointer: problems[0]!.pointer, file: pipeline }, JSON.stringify(e), e.vendor));
        return undefined;
      };
    });
  }

  /** Pulls every receiver of every pipeline once. */
  async runOnce(): Promise<PullReport[]> {
    const reports: PullReport[] = [];
    const jobs: Promise<void>[] = [];
    for (const [pname, p] of Object.entries(this.config.service.pipelines)) {
      if (!p) continue;
      const procs = this.processors(pname, p.processors ?? []);
      const exporters = p.exporters.map((n) => this.exporters.get(n)!);
      for (const rname of p.receivers) {
        jobs.push(
          this.pullReceiver(pname, rname, procs, exporters).then(
            (counts) => void reports.push({ pipeline: pname, receiver: rname, counts }),
            (err: Error) => {
              if (!this.stopping.signal.aborted) this.o.log(`${pname}/${rname}: ${err.message}`);
              reports.push({ pipeline: pname, receiver: rname, error: err.message });
            },
          ),
        );
      }
    }
    await Promise.all(jobs);
    return reports;
  }

  private async pullReceiver(pipeline: string, name: string, procs: Processor[], exporters: Exporter[]): Promise<PullCounts> {
    const r = this.config.receivers[name] as Record<string, unknown> & { url: string; api_key: string; since: string };
    const adapter = adapterFor(componentType(name))!;
    const { url, api_key, since, username, poll_interval_secs: _p, overlap_secs, timeout_secs, retries, ...vendorOptions } = r;
    return pullSource(
      {
        adapter,
        source: `${pipeline}.${name}`,
        url,
        credentials: { apiKey: api_key, ...(typeof username === 'string' ? { username } : {}) },
        vendorOptions,
        since,
        stateDir: path.join(this.stateDir, 'checkpoints'),
        ...(typeof overlap_secs === 'number' ? { overlapMillis: overlap_secs * 1000 } : {}),
        http: {
          signal: this.stopping.signal,
          ...(typeof timeout_secs === 'number' ? { timeoutMillis: timeout_secs * 1000 } : {}),
          ...(typeof retries === 'number' ? { retries } : {}),
          ...(this.o.pullBackoffMillis ? { minBackoffMillis: this.o.pullBackoffMillis.min, maxBackoffMillis: this.o.pullBackoffMillis.max } : {}),
          onRetry: (m) => this.o.log(`${pipeline}/${name}: retrying: ${m}`),
        },
        transform: (e) => {
          let out: AuditEvent | undefined = e;
          for (const p of procs) if (out) out = p(out);
          return out;
        },
        onWarning: (m) => this.o.log(`${pipeline}/${name}: warning: ${m}`),
      },
      {
        write: async (events) => {
          for (const x of exporters) await x.write(events);
        },
        ack: async () => {
          for (const x of exporters) await x.ack();
        },
        reject: async (letter: DeadLetter) => this.o.log(`${pipeline}/${name}: rejected ${letter.source.pointer ?? ''}: ${letter.code}: ${letter.message}`),
      },
    );
  }

  /** Pulls every `poll_interval_secs` (the shortest of the receivers') until `stop`. */
  async runForever(): Promise<void> {
    const intervals = Object.values(this.config.receivers).map((r) => (r as { poll_interval_secs?: number }).poll_interval_secs ?? 300);
    const every = Math.min(...intervals) * 1000;
    while (!this.stopping.signal.aborted) {
      await this.runOnce();
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, every);
        this.stopping.signal.addEventListener('abort', () => {
          clearTimeout(t);
          resolve();
        }, { once: true });
      });
    }
  }

  /** Sending queues' pending batches. */
  pendingBatches(): number {
    let n = 0;
    for (const x of this.exporters.values()) n += x.queue?.pending ?? 0;
    return n;
  }

  /** Waits until every sending queue is empty, up to `timeoutMillis`. */
  async drain(timeoutMillis: number): Promise<boolean> {
    const results = await Promise.all([...this.exporters.values()].map((x) => x.queue?.drain(timeoutMillis) ?? true));
    return results.every(Boolean);
  }

  /** Stops pulling (an unacknowledged page is pulled again next time), flushes and closes. */
  async stop(): Promise<void> {
    this.stopping.abort();
  }

  async close(): Promise<void> {
    for (const x of this.exporters.values()) await x.close();
    for (const d of this.deadLetters.values()) await d.close();
  }
}
