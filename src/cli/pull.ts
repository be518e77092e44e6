import { ArchiveIntegrityError, ConfigError } from '../errors.js';
import type { Vendor } from '../model/event.js';
import { compareTimes, parseUserTime } from '../model/time.js';
import type { AuditEvent } from '../model/event.js';
import { adapterFor } from '../components/adapters.js';
import { exporterSink } from '../components/receiver-sink.js';
import { createReceiver } from '../components/registry.js';
import { openLineFile } from '../io/line-writer.js';
import { DEAD_LETTER_MODE } from '../io/dead-letter-file.js';
import type { VendorApiConfig } from '../receivers/vendor_api/config.js';
import { describeGap } from '../receivers/vendor_api/pull.js';
import { cliContext, edgeConfig, openPipeline, type CliPipeline, type OutputCliOptions } from './outputs.js';
import { EXIT, type CliIo } from './io.js';

/** Options of `auditkit pull`. */
export interface PullCliOptions extends OutputCliOptions {
  url: string;
  since?: string;
  until?: string;
  state: string;
  apiKeyEnv: string;
  username?: string;
  deployment?: string;
  anonymize?: boolean;
  pageSize?: string;
  limit?: string;
  maxLimit?: string;
  mode?: string;
  apiKeyHeader?: string;
  apiKeyPrefix?: string;
  overlapSecs?: string;
  timeoutSecs?: string;
  retries?: string;
  maxResponseBytes?: string;
  maxPages?: string;
  deadLetter?: string;
  quiet?: boolean;
}

const whole = (v: string | undefined, path: string, problems: { path: string; message: string }[]): number | undefined => {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) problems.push({ path, message: 'must be a whole number' });
  return Number(v);
};

/**
 * `auditkit pull VENDOR`: pulls the vendor API from the checkpoint (or --since) to --until
 * (default now) into the outputs `convert` has; the checkpoint in --state advances only after
 * the outputs acknowledged each page, so a killed pull restarts where it was.
 */
export async function runPull(vendor: Vendor, opts: PullCliOptions, io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const say = (line: string): void => void io.stderr.write(`auditkit pull: ${line}\n`);
  const problems: { path: string; message: string }[] = [];
  const adapter = adapterFor(vendor)!;
  const apiKey = env[opts.apiKeyEnv];
  if (!apiKey) problems.push({ path: '--api-key-env', message: `environment variable ${opts.apiKeyEnv} is not set or empty` });
  let since: string | undefined;
  let until: string | undefined;
  // Snorkel Flow's API has no time filter: its first pull takes what the API returns.
  if (opts.since === undefined && vendor !== 'snorkel')
    problems.push({ path: '--since', message: `required for ${vendor}: where to start when there is no checkpoint yet` });
  try {
    if (opts.since !== undefined) since = parseUserTime(opts.since, '--since');
    if (opts.until) until = parseUserTime(opts.until, '--until');
  } catch (err) {
    problems.push({ path: (err as { pointer?: string }).pointer ?? '--since', message: (err as Error).message });
  }
  if (since && until !== undefined && compareTimes(until, since) <= 0)
    problems.push({ path: '--until', message: `${until} is not after --since ${since}` });
  const vendorOptions: Record<string, unknown> = {};
  if (opts.deployment) vendorOptions.deployment = opts.deployment;
  if (opts.anonymize) vendorOptions.anonymize = true;
  if (opts.mode) vendorOptions.mode = opts.mode;
  if (opts.apiKeyHeader) vendorOptions.api_key_header = opts.apiKeyHeader;
  if (opts.apiKeyPrefix !== undefined) vendorOptions.api_key_prefix = opts.apiKeyPrefix;
  const pageSize = whole(opts.pageSize, '--page-size', problems);
  if (pageSize !== undefined) vendorOptions.page_size = pageSize;
  const limit = whole(opts.limit, '--limit', problems);
  if (limit !== undefined) vendorOptions.limit = limit;
  const maxLimit = whole(opts.maxLimit, '--max-limit', problems);
  if (maxLimit !== undefined) vendorOptions.max_limit = maxLimit;
  const overlapSecs = whole(opts.overlapSecs, '--overlap-secs', problems);
  const timeoutSecs = whole(opts.timeoutSecs, '--timeout-secs', problems);
  const retries = whole(opts.retries, '--retries', problems);
  const maxResponseBytes = whole(opts.maxResponseBytes, '--max-response-bytes', problems);
  const maxPages = whole(opts.maxPages, '--max-pages', problems);
  try {
    new URL(opts.url);
  } catch {
    problems.push({ path: '--url', message: 'not a valid URL' });
  }
  const credentials = { apiKey: apiKey ?? '', ...(opts.username ? { username: opts.username } : {}) };
  for (const p of adapter.api.check({
    url: opts.url,
    since: since ?? '',
    until: until ?? since ?? '',
    credentials,
    options: vendorOptions,
  })) {
    const [key, ...rest] = p.split(': ');
    problems.push({ path: `--${key!.replace(/_/g, '-')}`, message: rest.join(': ') });
  }
  let edge;
  try {
    edge = edgeConfig(opts, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
  }
  if (problems.length || !edge) {
    for (const p of problems) say(`${p.path}: ${p.message}`);
    return EXIT.usage;
  }
  // The one-pipeline configuration: the receiver as `auditkit run` would have it.
  const receiverConfig = {
    url: opts.url,
    api_key: credentials.apiKey,
    ...(since !== undefined ? { since } : {}),
    ...(credentials.username !== undefined ? { username: credentials.username } : {}),
    ...(overlapSecs !== undefined ? { overlap_secs: overlapSecs } : {}),
    ...(timeoutSecs !== undefined ? { timeout_secs: timeoutSecs } : {}),
    ...(retries !== undefined ? { retries } : {}),
    ...(maxResponseBytes !== undefined ? { max_response_bytes: maxResponseBytes } : {}),
    ...(maxPages !== undefined ? { max_pages: maxPages } : {}),
    ...vendorOptions,
  } as VendorApiConfig;

  let pipeline: CliPipeline;
  let dead: Awaited<ReturnType<typeof openLineFile>> | undefined;
  try {
    pipeline = await openPipeline(edge, cliContext(io));
    if (opts.deadLetter) dead = await openLineFile(opts.deadLetter, { mode: DEAD_LETTER_MODE });
  } catch (err) {
    say(`cannot open output: ${(err as Error).message}`);
    return err instanceof ArchiveIntegrityError ? EXIT.rejected : EXIT.io;
  }
  const { chain, exporter } = pipeline;
  const receiver = createReceiver(vendor, receiverConfig, cliContext(io));
  let rejected = 0;
  try {
    const counts = await receiver.pull(
      {
        source: vendor,
        checkpointDirectory: opts.state,
        ...(until ? { until } : {}),
        ...(edge.redactionConfig ? { transform: (e: AuditEvent) => chain.run(e) } : {}),
        onRetry: (m) => {
          say(`retrying: ${m}`);
        },
        onWarning: (m) => {
          say(`warning: ${m}`);
        },
      },
      exporterSink([exporter], {
        reject: async (letter) => {
          rejected++;
          say(
            `${letter.source.file ?? ''}${letter.source.pointer ? ` at ${letter.source.pointer}` : ''}: ${letter.code}: ${letter.message}`,
          );
          if (dead) await dead.writer.write(JSON.stringify(letter));
        },
      }),
    );
    await exporter.close();
    if (dead) {
      await dead.writer.close();
      await dead.done;
    }
    const dups = counts.duplicates + exporter.stats.duplicates;
    if (!opts.quiet)
      say(
        `${counts.pages} pages, read ${counts.read}, delivered ${counts.delivered}, rejected ${counts.rejected}, seen before ${dups}, outside the range ${counts.outsideRange}`,
      );
    for (const g of counts.gaps) say(describeGap(g, 'pull again with a larger --max-limit'));
    return rejected || counts.gaps.length ? EXIT.rejected : EXIT.ok;
  } catch (err) {
    await exporter.close().catch(() => undefined);
    if (dead) await dead.writer.close().catch(() => undefined);
    say((err as Error).message);
    return EXIT.io;
  }
}
