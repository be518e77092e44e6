import { ConfigError, type ConfigProblem } from '../../errors.js';
import type { Redact } from '../../generated/types.js';
import { compilePiiPolicy, type PiiPreset } from '../../redact/pii-policy.js';

/** Options of the `redact` processor: schemas/config.v1.schema.json `$defs/redact`. */
export type RedactConfig = Redact;

/** Defaults, equal to the schema's (test/processors/defaults.test.ts checks them). */
export const DEFAULT_PRESET: PiiPreset = 'default';
export { DEFAULT_MASK } from '../../redact/pii-policy.js';

/** What `auditkit run` checks before starting: the policy compiles (a hash mode has its key). */
export function checkRedactConfig(config: RedactConfig, name: string): ConfigProblem[] {
  try {
    compilePiiPolicy(config, `processors.${name}`);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
}
