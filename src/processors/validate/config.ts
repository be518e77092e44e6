import type { ConfigProblem } from '../../errors.js';
import type { Validate } from '../../generated/types.js';

/** Options of the `validate` processor: schemas/config.v1.schema.json `$defs/validate`. */
export type ValidateConfig = Validate;

/** Defaults, equal to the schema's (test/components/defaults.test.ts checks them). */
export { DEFAULT_ON_INVALID } from '../../components/rejections.js';

/** What a schema cannot say: a dead-letter path is required with `on_invalid: dead_letter`. */
export function checkValidateConfig(config: ValidateConfig, name: string): ConfigProblem[] {
  return config.on_invalid === 'dead_letter' && !config.dead_letter_path
    ? [{ path: `processors.${name}.dead_letter_path`, message: 'required with on_invalid: dead_letter' }]
    : [];
}
