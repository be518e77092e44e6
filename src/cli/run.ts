import { ArchiveIntegrityError, AuditIoError, ConfigError } from '../errors.js';
import { loadConfig } from '../pipeline/config.js';
import { Runtime, type RuntimeOptions } from '../pipeline/runtime.js';
import { auditkitResource } from '../exporters/otlp/resource.js';
import { DEFAULT_DRAIN_TIMEOUT_SECS, EXIT, type CliIo } from './io.js';

/** After SIGTERM, the queues get at most this long before the process exits (what is left stays on disk). */
const STOP_DRAIN_MILLIS = 5000;

export interface RunCliOptions {
  config: string;
  once?: boolean;
  drainTimeoutSecs?: string;
}

/**
 * `auditkit run --config FILE [--once]`: runs the pipelines of a Collector-shaped YAML.
 * With --once: one pull per receiver, then the sending queues are drained (up to
 * --drain-timeout-secs; what is left stays on disk for the next run, exit 3). Without: pulls
 * every poll_interval_secs until SIGTERM or SIGINT, then stops pulling, flushes and exits 0.
 */
export async function runRun(
  opts: RunCliOptions,
  io: CliIo,
  env: NodeJS.ProcessEnv = process.env,
  extra: Partial<RuntimeOptions> = {},
): Promise<number> {
  const say = (line: string): void => void io.stderr.write(`auditkit run: ${line}\n`);
  let config;
  try {
    config = await loadConfig(opts.config, env);
  } catch (err) {
    if (err instanceof AuditIoError) {
      say(err.message);
      return EXIT.io;
    }
    if (!(err instanceof ConfigError)) throw err;
    say(`${opts.config} has ${err.problems.length} problem${err.problems.length === 1 ? '' : 's'}:`);
    for (const p of err.problems) io.stderr.write(`  ${p.path}: ${p.message}\n`);
    return EXIT.usage;
  }
  io.secrets?.addFromConfig(config);
  const redact = Object.entries(config.processors ?? {}).find(([name]) => name.split('/')[0] === 'redact')?.[1];
  if (redact) io.secrets?.usePolicy(redact);
  const drainMillis = Number(opts.drainTimeoutSecs ?? DEFAULT_DRAIN_TIMEOUT_SECS) * 1000;
  // The resource of OTLP records: OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, read here at the edge.
  const { resource, problems } = auditkitResource(env);
  if (problems.length) {
    for (const p of problems) say(`${p.path}: ${p.message}`);
    return EXIT.usage;
  }
  const runtime = new Runtime(config, { log: say, resource, ...extra });
  if (opts.once && !runtime.pulls) {
    say('--once: this configuration only listens (otlp receiver); run it without --once and stop it with SIGTERM');
    return EXIT.usage;
  }
  try {
    await runtime.start();
  } catch (err) {
    say(`cannot start: ${(err as Error).message}`);
    return err instanceof ArchiveIntegrityError ? EXIT.rejected : EXIT.io;
  }
  if (opts.once) {
    const reports = await runtime.runOnce();
    const drained = await runtime.drain(drainMillis);
    await runtime.close();
    for (const r of reports) {
      if (r.counts)
        say(
          `${r.pipeline}/${r.receiver}: ${r.counts.pages} pages, delivered ${r.counts.delivered}, seen before ${r.counts.duplicates}, rejected ${r.counts.rejected}, dropped ${r.counts.dropped}`,
        );
    }
    const pending = runtime.pendingBatches();
    if (!drained) say(`${pending} batches are kept in the sending queue for the next run`);
    if (reports.some((r) => r.error) || !drained) return EXIT.io;
    return reports.some((r) => r.counts?.gaps.length) ? EXIT.rejected : EXIT.ok;
  }
  const onSignal = (sig: string): void => {
    say(`${sig}: stopping after the current page`);
    void runtime.stop();
  };
  process.once('SIGTERM', () => {
    onSignal('SIGTERM');
  });
  process.once('SIGINT', () => {
    onSignal('SIGINT');
  });
  await runtime.runForever();
  await runtime.drain(Math.min(drainMillis, STOP_DRAIN_MILLIS));
  await runtime.close();
  say('stopped');
  return EXIT.ok;
}
