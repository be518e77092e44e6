import { ConfigError, type ConfigProblem } from '../../errors.js';
import type { NdjsonFile } from '../../generated/types.js';
import { signingKeyOf } from './keys.js';

/** Options of the `ndjson_file` exporter (the archive): schemas/config.v1.schema.json `$defs/ndjson_file`. */
export type NdjsonFileConfig = NdjsonFile;

/** Defaults, equal to the schema's (test/components/defaults.test.ts checks them). */
export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_FILE_AGE_SECS = 60 * 60;
export const DEFAULT_MAX_FILE_AGE_MILLIS = DEFAULT_MAX_FILE_AGE_SECS * 1000;
/** Events whose id is in a segment written in the last 30 days are not written again. */
export const DEFAULT_DEDUPE_WINDOW_SECS = 30 * 24 * 60 * 60;
/** No heartbeat unless asked for: digests are sealed on every flush. */
export const DEFAULT_HEARTBEAT_SECS = 0;
/** Unified events unless `ocsf` is set. */
export const DEFAULT_NDJSON_FILE_OCSF = false;
/** A second writer fails at once unless told to wait. */
export const DEFAULT_WAIT_LOCK_SECS = 0;

/** What a schema cannot say: the signing key loads (and is not empty). */
export function checkNdjsonFileConfig(config: NdjsonFileConfig, name: string): ConfigProblem[] {
  try {
    signingKeyOf(config);
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const option = config.sign_key_file ? 'sign_key_file' : 'sign_hmac_key';
    return err.problems.map((p) => ({
      path: `exporters.${name}.${option}`,
      message: p.message.replace(/environment variable sign_hmac_key is not set or empty/, 'must not be empty'),
    }));
  }
}
