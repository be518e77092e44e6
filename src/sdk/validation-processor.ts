import type { ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { isRejection, rejection, type EventProcessor } from '../components/event-processor.js';
import { RejectionRouter, formatProblem } from '../components/rejections.js';
import { standaloneContext } from '../components/context.js';
import { createProcessor } from '../components/registry.js';
import type { DeadLetterSink } from '../model/dead-letter.js';
import { ATTR, fromLogRecord } from '../model/otel.js';
import type { ValidateConfig } from '../processors/validate/config.js';
import { ForwardingProcessor, type ForwardingProcessorOptions } from './forwarding-processor.js';

/** Options of the standalone validation processor (snake_case `on_invalid`, as in YAML). */
export type ValidationProcessorConfig = Pick<ValidateConfig, 'on_invalid'>;

/** Library options besides the configuration. */
export interface ValidationProcessorOptions extends ForwardingProcessorOptions {
  /** Required with `on_invalid: dead_letter`; flushed by `forceFlush`, closed by `shutdown`. */
  deadLetter?: DeadLetterSink;
}

/**
 * A processor that only validates records carrying an audit event (`audit.*` attributes)
 * against the unified schema, applying `on_invalid`: a thin wrapper of the `validate` component.
 * Other records pass through.
 */
export class ValidationProcessor extends ForwardingProcessor {
  private readonly validate: EventProcessor;
  private readonly router: RejectionRouter;

  constructor(
    config: ValidationProcessorConfig = {},
    private readonly options: ValidationProcessorOptions = {},
  ) {
    const router = new RejectionRouter(config.on_invalid, options.deadLetter, 'ValidationProcessor');
    super(options, router);
    this.router = router;
    this.validate = createProcessor('validate', {}, standaloneContext()).processor;
  }

  protected process(record: ReadWriteLogRecord): boolean {
    if (typeof record.attributes[ATTR.id] !== 'string') return true;
    let result;
    try {
      // A record without an event is invalid too: the validator reports what is missing.
      result = this.validate.process(fromLogRecord(record)!);
    } catch (err) {
      result = rejection('validate', [{ code: 'invalid_json', pointer: '', message: err instanceof Error ? err.message : String(err) }]);
    }
    if (!isRejection(result)) return true;
    if (!this.router.route(result, () => JSON.stringify({ attributes: record.attributes, body: record.body }))) return false;
    record.setAttribute(ATTR.validationErrors, result.problems.map(formatProblem));
    return true;
  }

  protected override flushOwn(): Promise<void> {
    return this.router.flush();
  }

  protected override async shutdownOwn(): Promise<void> {
    await this.options.deadLetter?.close();
  }
}

/** Creates a validation processor from `{ on_invalid }`. */
export function createValidationProcessor(
  config: ValidationProcessorConfig = {},
  options: ValidationProcessorOptions = {},
): ValidationProcessor {
  return new ValidationProcessor(config, options);
}
