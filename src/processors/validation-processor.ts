import type { AnyValue } from '@opentelemetry/api-logs';
import type { LogRecordProcessor, SdkLogRecord } from '@opentelemetry/sdk-logs';
import { ATTR, fromLogRecord } from '../model/otel.js';
import { deadLetter } from '../exporters/dead-letter.js';
import type { DeadLetterSink } from '../exporters/dead-letter-file.js';
import { DEFAULT_ON_INVALID, validateEvent, type OnInvalid, type ValidationProblem } from '../validate/policy.js';
import { ForwardingProcessor } from './forwarding-processor.js';

/** Options of the standalone validation processor (snake_case `on_invalid`, as in YAML). */
export interface ValidationProcessorConfig {
  on_invalid?: OnInvalid;
}

/**
 * A processor that only validates records carrying an audit event (`audit.*` attributes)
 * against the unified schema, applying `on_invalid`. Other records pass through.
 */
export class ValidationProcessor extends ForwardingProcessor {
  private readonly onInvalid: OnInvalid;

  constructor(config: ValidationProcessorConfig = {}, private readonly options: { next?: LogRecordProcessor; deadLetter?: DeadLetterSink } = {}) {
    super(options.next);
    this.onInvalid = config.on_invalid ?? DEFAULT_ON_INVALID;
    if (this.onInvalid === 'dead_letter' && !options.deadLetter) throw new TypeError('ValidationProcessor: on_invalid "dead_letter" needs a deadLetter sink');
  }

  protected process(record: SdkLogRecord): boolean {
    if (typeof record.attributes[ATTR.id] !== 'string') return true;
    let problems: ValidationProblem[];
    try {
      problems = validateEvent(fromLogRecord(record));
    } catch (err) {
      problems = [{ code: 'invalid_json', pointer: '', message: err instanceof Error ? err.message : String(err) }];
    }
    if (problems.length === 0) return true;
    const first = problems[0]!;
    if (this.onInvalid === 'drop') return this.drop();
    if (this.onInvalid === 'dead_letter') {
      this.options.deadLetter!.write(deadLetter('validate', first.code, first.message, { pointer: first.pointer }, JSON.stringify({ attributes: record.attributes, body: record.body })));
      this.stats.deadLettered++;
      return false;
    }
    (record.attributes as Record<string, AnyValue>)[ATTR.validationErrors] = problems.map((p) => `${p.pointer}: ${p.code}: ${p.message}`);
    return true;
  }
}

/** Creates a validation processor from `{ on_invalid }`. */
export function createValidationProcessor(config: ValidationProcessorConfig = {}, options: { next?: LogRecordProcessor; deadLetter?: DeadLetterSink } = {}): ValidationProcessor {
  return new ValidationProcessor(config, options);
}
