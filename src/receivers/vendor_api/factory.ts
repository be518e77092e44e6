import type { ComponentContext } from '../../components/context.js';
import type { VendorAdapter } from '../../model/adapter.js';
import type { AuditEvent } from '../../model/event.js';
import type { ReadOptions } from '../files/files.js';
import type { VendorApiConfig } from './config.js';
import type { ReceiverSink } from '../../components/receiver-sink.js';
import { pullSource, type PullCounts } from './pull.js';

/** One run of a receiver: where its checkpoint lives and what happens to each event. */
export interface PullRun {
  /** The checkpoint's key (`wandb`, or `<pipeline>.<receiver>` in `auditkit run`). */
  source: string;
  checkpointDirectory: string;
  /** End of the range (exclusive); default now. */
  until?: string;
  /** The pipeline's processors; undefined drops the event. */
  transform?: (event: AuditEvent) => AuditEvent | undefined;
  onRetry?: (message: string) => void;
  onWarning?: (message: string) => void;
}

/** A vendor API receiver: pulls its range into a sink, as far as its checkpoint allows. */
export interface VendorApiReceiver {
  readonly name: string;
  readonly adapter: VendorAdapter;
  pull(run: PullRun, sink: ReceiverSink): Promise<PullCounts>;
}

/** Receiver options that are the puller's; every other option is the vendor API's own. */
export function splitReceiverConfig(config: VendorApiConfig): {
  common: Pick<
    VendorApiConfig,
    'url' | 'api_key' | 'since' | 'overlap_secs' | 'timeout_secs' | 'retries' | 'max_response_bytes' | 'max_pages'
  > & {
    username?: string;
  };
  vendorOptions: Record<string, unknown>;
} {
  const {
    url,
    api_key,
    since,
    poll_interval_secs: _poll,
    overlap_secs,
    timeout_secs,
    retries,
    max_response_bytes,
    max_pages,
    ...rest
  } = config as VendorApiConfig & { username?: string };
  const { username, ...vendorOptions } = rest as Record<string, unknown> & { username?: string };
  return {
    common: {
      url,
      api_key,
      since,
      ...(overlap_secs !== undefined ? { overlap_secs } : {}),
      ...(timeout_secs !== undefined ? { timeout_secs } : {}),
      ...(retries !== undefined ? { retries } : {}),
      ...(max_response_bytes !== undefined ? { max_response_bytes } : {}),
      ...(max_pages !== undefined ? { max_pages } : {}),
      ...(typeof username === 'string' ? { username } : {}),
    },
    vendorOptions,
  };
}

/**
 * Builds the receiver of one vendor (`wandb`, `snorkel`, `wherobots`): the adapter's API
 * described in its client.ts, pulled by the generic HTTP puller with retries and checkpoints.
 */
export function createVendorApiReceiver(
  adapter: VendorAdapter,
  readOptions: Pick<ReadOptions, 'envelopeKeyOf' | 'envelopeKeys'>,
  config: VendorApiConfig,
  ctx: Pick<ComponentContext, 'signal' | 'pullBackoffMillis'>,
  name: string = adapter.vendor,
): VendorApiReceiver {
  const { common, vendorOptions } = splitReceiverConfig(config);
  return {
    name,
    adapter,
    pull: (run, sink) =>
      pullSource(
        {
          adapter,
          readOptions,
          source: run.source,
          url: common.url,
          credentials: { apiKey: common.api_key, ...(common.username !== undefined ? { username: common.username } : {}) },
          vendorOptions,
          since: common.since,
          ...(run.until !== undefined ? { until: run.until } : {}),
          stateDir: run.checkpointDirectory,
          ...(common.overlap_secs !== undefined ? { overlapMillis: common.overlap_secs * 1000 } : {}),
          http: {
            ...(ctx.signal ? { signal: ctx.signal } : {}),
            ...(common.timeout_secs !== undefined ? { timeoutMillis: common.timeout_secs * 1000 } : {}),
            ...(common.retries !== undefined ? { retries: common.retries } : {}),
            ...(common.max_response_bytes !== undefined ? { maxResponseBytes: common.max_response_bytes } : {}),
            ...(common.max_pages !== undefined ? { maxPages: common.max_pages } : {}),
            ...(ctx.pullBackoffMillis ? { minBackoffMillis: ctx.pullBackoffMillis.min, maxBackoffMillis: ctx.pullBackoffMillis.max } : {}),
            ...(run.onRetry ? { onRetry: run.onRetry } : {}),
          },
          ...(run.transform ? { transform: run.transform } : {}),
          ...(run.onWarning ? { onWarning: run.onWarning } : {}),
        },
        sink,
      ),
  };
}
