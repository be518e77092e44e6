import type { ConfigProblem } from '../../errors.js';
import type { Snorkel, Wandb, Wherobots } from '../../generated/types.js';
import { parseUserTime, TIME_FORMS } from '../../model/time.js';

/** Options of the `wandb`, `snorkel` and `wherobots` receivers: schemas/config.v1.schema.json `$defs`. */
export type VendorApiConfig = Wandb | Snorkel | Wherobots;
export type {
  Snorkel as SnorkelReceiverConfig,
  Wandb as WandbReceiverConfig,
  Wherobots as WherobotsReceiverConfig,
} from '../../generated/types.js';

/** Defaults shared by the three receivers, equal to the schema's (test/components/defaults.test.ts checks them). */
export const DEFAULT_POLL_INTERVAL_SECS = 300;
export const DEFAULT_OVERLAP_SECS = 600;
export const DEFAULT_OVERLAP_MILLIS = DEFAULT_OVERLAP_SECS * 1000;
export const DEFAULT_TIMEOUT_SECS = 30;
export const DEFAULT_RETRIES = 6;
/** A response body larger than this stops the pull. */
export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024;
/** Pages one window may take. */
export const DEFAULT_MAX_PAGES = 100_000;
/** Retry backoff: the first wait, doubling with jitter up to the longest. */
export const DEFAULT_MIN_BACKOFF_MILLIS = 1000;
export const DEFAULT_MAX_BACKOFF_MILLIS = 60_000;

/** What a schema cannot say: `since` is a time (in any form users type) and `url` a URL. */
export function checkVendorApiConfig(config: VendorApiConfig, name: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  try {
    if (config.since !== undefined) parseUserTime(config.since, '');
  } catch {
    problems.push({ path: `receivers.${name}.since`, message: `not a time: use ${TIME_FORMS}` });
  }
  try {
    new URL(config.url);
  } catch {
    problems.push({ path: `receivers.${name}.url`, message: 'not a valid URL' });
  }
  return problems;
}
