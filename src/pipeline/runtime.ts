/**
 * The collector runtime behind `auditkit run`: builds the components a configuration names from
 * the registry, pulls every pipeline's vendor receivers (once, or every `poll_interval_secs`),
 * applies the pipeline's processors and delivers to its exporters. A page's checkpoint advances
 * only after every exporter of the pipeline acknowledged it: the archive flushed it, the OTLP
 * sending queue holds it on disk (or, without the queue, the backend accepted it). An `otlp`
 * receiver listens from `start` to `stop`; its requests go through the pipelines that list it
 * (gateway.ts) and are answered after the same acknowledgements.
 */
import path from 'node:path';
import type { Resource } from '@opentelemetry/resources';
import type { BackoffMillis, ComponentContext } from '../components/context.js';
import type { EventExporter } from '../components/event-exporter.js';
import { ProcessorChain } from '../components/processor-chain.js';
import { exporterSink } from '../components/receiver-sink.js';
import {
  createExporter,
  createPushReceiver,
  createReceiver,
  createStep,
  isPushReceiver,
  type PipelineStep,
} from '../components/registry.js';
import type { RoutedProcessor } from '../components/processor-chain.js';
import type { VendorApiConfig } from '../receivers/vendor_api/config.js';
import type { OtlpReceiverConfig } from '../receivers/otlp/config.js';
import type { OtlpReceiverServer } from '../receivers/otlp/server.js';
import { Gateway } from './gateway.js';
import { NdjsonDeadLetterFile } from '../io/dead-letter-file.js';
import { sleep } from '../io/sleep.js';
import type { DeadLetter } from '../model/dead-letter.js';
import type { AuditEvent } from '../model/event.js';
import { DEFAULT_POLL_INTERVAL_SECS } from '../receivers/vendor_api/config.js';
import { describeGap, type PullCounts } from '../receivers/vendor_api/pull.js';
import { DEFAULT_STATE_DIRECTORY, type AuditkitConfig } from './config.js';

export interface RuntimeOptions {
  /** Told about retries, warnings and failures (no secrets). */
  log: (line: string) => void;
  /** Backoff of the OTLP sending queue (tests shorten it). */
  queueBackoffMillis?: BackoffMillis;
  /** HTTP retry backoff of the pullers (tests shorten it). */
  pullBackoffMillis?: BackoffMillis;
  /** The resource of emitted OTLP records (default: auditkit's, without the environment). */
  resource?: Resource;
}

export interface PullReport {
  pipeline: string;
  receiver: string;
  counts?: PullCounts;
  error?: string;
}

export class Runtime {
  private readonly exporters = new Map<string, EventExporter>();
  private readonly deadLetters = new Map<string, NdjsonDeadLetterFile>();
  private readonly stateDir: string;
  private readonly stopping = new AbortController();
  private readonly ctx: ComponentContext;
  private readonly servers: OtlpReceiverServer[] = [];
  /** Where each push receiver listens (`http`, `grpc`: host:port), once started. */
  readonly listening = new Map<string, { http?: string; grpc?: string }>();

  constructor(
    private readonly config: AuditkitConfig,
    private readonly o: RuntimeOptions,
  ) {
    this.stateDir = config.service.state_directory ?? DEFAULT_STATE_DIRECTORY;
    this.ctx = {
      stateDirectory: this.stateDir,
      log: o.log,
      deadLetterFile: (p) => {
        let sink = this.deadLetters.get(p);
        if (!sink) this.deadLetters.set(p, (sink = new NdjsonDeadLetterFile(p)));
        return sink;
      },
      signal: this.stopping.signal,
      ...(o.queueBackoffMillis ? { queueBackoffMillis: o.queueBackoffMillis } : {}),
      ...(o.pullBackoffMillis ? { pullBackoffMillis: o.pullBackoffMillis } : {}),
      ...(o.resource ? { resource: o.resource } : {}),
    };
  }

  /** The pipeline's steps, built from the registry. */
  private steps(processors: readonly string[] | undefined): PipelineStep[] {
    return (processors ?? []).map((name) => createStep(name, this.config.processors?.[name] ?? {}, this.ctx));
  }

  /** True when some pipeline pulls a vendor API. */
  get pulls(): boolean {
    return Object.values(this.config.service.pipelines).some((p) => p?.receivers.some((r) => !isPushReceiver(r)));
  }

  /**
   * Opens every exporter a pipeline uses (archives, queues), starts the queue senders, and starts
   * the push receivers listening (`listening` says where).
   */
  async start(): Promise<void> {
    const names = new Set(Object.values(this.config.service.pipelines).flatMap((p) => p?.exporters ?? []));
    for (const name of names) this.exporters.set(name, await createExporter(name, this.config.exporters[name]!, this.ctx));
    const pushers = new Set(
      Object.values(this.config.service.pipelines).flatMap((p) => (p?.receivers ?? []).filter((r) => isPushReceiver(r))),
    );
    for (const rname of pushers) {
      const pipelines = Object.entries(this.config.service.pipelines)
        .filter(([, p]) => p?.receivers.includes(rname))
        .map(([pname, p]) => ({
          name: pname,
          steps: this.steps(p!.processors),
          exporters: p!.exporters.map((n) => this.exporters.get(n)!),
        }));
      for (const p of pipelines)
        for (const s of p.steps)
          if (s.kind === 'pass')
            this.o.log(
              `${p.name}: ${s.name}: records are not held back to fill batches; each request is exported and acknowledged as it comes`,
            );
      const config = this.config.receivers[rname] as OtlpReceiverConfig;
      const gateway = new Gateway(pipelines, { keepRaw: config.keep_raw ?? false });
      const server = await createPushReceiver(rname, config, this.ctx);
      const where = await server.start((items) => gateway.handle(items));
      this.servers.push(server);
      this.listening.set(rname, where);
      for (const [proto, addr] of Object.entries(where))
        this.o.log(`receivers.${rname}: listening for OTLP/${proto === 'http' ? 'HTTP' : 'gRPC'} on ${addr}`);
    }
  }

  /** Pulls every receiver of every pipeline once. */
  async runOnce(): Promise<PullReport[]> {
    const reports: PullReport[] = [];
    const jobs: Promise<void>[] = [];
    for (const [pname, p] of Object.entries(this.config.service.pipelines)) {
      if (!p) continue;
      const pullers = p.receivers.filter((r) => !isPushReceiver(r));
      if (pullers.length === 0) continue;
      // Pulled audit events go through the event processors (batch passes; redaction is refused for them by the config check).
      const chain = new ProcessorChain(
        this.steps(p.processors).flatMap((s): RoutedProcessor[] => (s.kind === 'event' ? [s.routed] : [])),
        { file: pname },
      );
      const exporters = p.exporters.map((n) => this.exporters.get(n)!);
      for (const rname of pullers) {
        jobs.push(
          this.pullReceiver(pname, rname, chain, exporters).then(
            (counts) => {
              for (const g of counts.gaps) this.o.log(`${pname}/${rname}: ${describeGap(g, `raise receivers.${rname}.max_limit`)}`);
              reports.push({ pipeline: pname, receiver: rname, counts });
            },
            (err: unknown) => {
              const message = err instanceof Error ? err.message : String(err);
              if (!this.stopping.signal.aborted) this.o.log(`${pname}/${rname}: ${message}`);
              reports.push({ pipeline: pname, receiver: rname, error: message });
            },
          ),
        );
      }
    }
    await Promise.all(jobs);
    return reports;
  }

  private pullReceiver(pipeline: string, name: string, chain: ProcessorChain, exporters: EventExporter[]): Promise<PullCounts> {
    const receiver = createReceiver(name, this.config.receivers[name] as VendorApiConfig, this.ctx);
    const where = `${pipeline}/${name}`;
    return receiver.pull(
      {
        source: `${pipeline}.${name}`,
        checkpointDirectory: path.join(this.stateDir, 'checkpoints'),
        transform: (e: AuditEvent) => chain.run(e),
        onRetry: (m) => {
          this.o.log(`${where}: retrying: ${m}`);
        },
        onWarning: (m) => {
          this.o.log(`${where}: warning: ${m}`);
        },
      },
      exporterSink(exporters, {
        reject: (letter: DeadLetter) => {
          this.o.log(`${where}: rejected ${letter.source.pointer ?? ''}: ${letter.code}: ${letter.message}`);
          return undefined;
        },
      }),
    );
  }

  /** Pulls every `poll_interval_secs` (the shortest of the receivers') until `stop`; with push receivers only, waits for `stop`. */
  async runForever(): Promise<void> {
    if (!this.pulls) {
      await new Promise<void>((resolve) => {
        if (this.stopping.signal.aborted) resolve();
        else this.stopping.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      return;
    }
    const intervals = Object.entries(this.config.receivers)
      .filter(([name]) => !isPushReceiver(name))
      .map(([, r]) => (r as { poll_interval_secs?: number }).poll_interval_secs ?? DEFAULT_POLL_INTERVAL_SECS);
    const every = Math.min(...intervals) * 1000;
    while (!this.stopping.signal.aborted) {
      await this.runOnce();
      await sleep(every, this.stopping.signal);
    }
  }

  /** Sending queues' pending batches. */
  pendingBatches(): number {
    let n = 0;
    for (const x of this.exporters.values()) n += x.pending;
    return n;
  }

  /** Waits until every sending queue is empty, up to `timeoutMillis`. */
  async drain(timeoutMillis: number): Promise<boolean> {
    const results = await Promise.all([...this.exporters.values()].map((x) => x.flush(timeoutMillis)));
    return results.every(Boolean);
  }

  /** Stops pulling (an unacknowledged page is pulled again next time) and listening (requests in flight are answered). */
  async stop(): Promise<void> {
    this.stopping.abort();
    for (const s of this.servers.splice(0)) await s.stop();
  }

  /** Stops the receivers, flushes and closes every exporter and dead-letter file. */
  async close(): Promise<void> {
    for (const s of this.servers.splice(0)) await s.stop();
    for (const x of this.exporters.values()) await x.close();
    for (const d of this.deadLetters.values()) await d.close();
  }
}
