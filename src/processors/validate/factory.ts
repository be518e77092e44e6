import type { ComponentContext } from '../../components/context.js';
import { rejection, type EventProcessor } from '../../components/event-processor.js';
import { DEFAULT_ON_INVALID, RejectionRouter } from '../../components/rejections.js';
import type { ValidateConfig } from './config.js';
import { validateEvent } from './validate.js';

/** The `validate` processor: rejects events that do not match the unified schema. */
export function createValidateProcessor(name = 'validate'): EventProcessor {
  return {
    name,
    process: (event) => {
      const problems = validateEvent(event);
      return problems.length ? rejection('validate', problems) : event;
    },
  };
}

/** Routes what `validate` rejects by `on_invalid`, to the context's dead-letter file. */
export function validateRouter(config: ValidateConfig, ctx: Pick<ComponentContext, 'deadLetterFile'>, name: string): RejectionRouter {
  const onInvalid = config.on_invalid ?? DEFAULT_ON_INVALID;
  const sink = onInvalid === 'dead_letter' && config.dead_letter_path ? ctx.deadLetterFile(config.dead_letter_path) : undefined;
  return new RejectionRouter(onInvalid, sink, `processors.${name}`);
}
