import { ConfigError, type ConfigProblem } from '../../errors.js';
import type { Redact } from '../../generated/types.js';
import { compilePiiPolicy } from '../../redact/pii-policy.js';

/** Options of the `redact` processor: schemas/config.v1.schema.json `$defs/redact`. */
export type RedactConfig = Redact;

/** Defaults, equal to the schema's (test/components/defaults.test.ts checks them). */
export { DEFAULT_MASK, DEFAULT_PII_PRESET as DEFAULT_PRESET } from '../../redact/pii-policy.js';

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
