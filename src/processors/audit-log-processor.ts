import type { Context } from '@opentelemetry/api';
import type { AnyValue } from '@opentelemetry/api-logs';
import type { LogRecordProcessor, SdkLogRecord } from '@opentelemetry/sdk-logs';
import { AuditInputError } from '../errors.js';
import type { AuditEvent, Vendor } from '../model/event.js';
import { VENDORS } from '../model/event.js';
import { ATTR, AUDIT_ATTRIBUTE_NAMES, fromLogRecord, toLogRecord } from '../model/otel.js';
import { normalize } from '../pipeline/normalize.js';
import { compilePiiPolicy, type PiiPolicyConfig, type PiiRedactor } from '../redact/pii-policy.js';
import { deadLetter } from '../exporters/dead-letter.js';
import type { DeadLetterSink } from '../exporters/dead-letter-file.js';
import { DEFAULT_ON_INVALID, validateEvent, type OnInvalid, type ValidationProblem } from '../validate/policy.js';
import { ForwardingProcessor } from './forwarding-processor.js';

/** Options of AuditLogProcessor (library options: camelCase). */
export interface AuditLogProcessorOptions {
  /** The processor records go to after this one (typically a BatchLogRecordProcessor). */
  next?: LogRecordProcessor;
  /** PII policy; `false` for none. Default: the `default` preset. */
  redaction?: PiiPolicyConfig | false;
  /** What to do with a record that cannot be normalized or fails validation. Default `drop`. */
  onInvalid?: OnInvalid;
  /** Required with `onInvalid: 'dead_letter'`. */
  deadLetter?: DeadLetterSink;
  /** Keep the original vendor record in `audit.raw` (subject to the policy's `raw`). Default false. */
  keepRaw?: boolean;
}

const isVendor = (v: unknown): v is Vendor => typeof v === 'string' && (VENDORS as readonly string[]).includes(v);

/** A body's text form, for dead letters. */
function bodyText(body: AnyValue | undefined): string {
  if (typeof body === 'string') return body;
  try {
    return JSON.stringify(body) ?? '';
  } catch {
    return String(body);
  }
}

/**
 * A LogRecordProcessor for `@opentelemetry/sdk-logs` that turns records carrying a raw vendor
 * audit record (body: the record as a map or JSON text; attribute `audit.vendor`: wandb,
 * snorkel or wherobots) into audit event records: normalized, validated, PII-redacted, with
 * the attribute contract of src/model/otel.ts. Records that already carry an event
 * (`audit.id`) are validated and redacted again; other records pass through untouched.
 * Never throws from `onEmit`; `stats` counts what it forwarded, dropped and dead-lettered.
 */
export class AuditLogProcessor extends ForwardingProcessor {
  private readonly redactor: PiiRedactor | undefined;
  private readonly onInvalid: OnInvalid;
  private readonly deadLetter: DeadLetterSink | undefined;
  private readonly keepRaw: boolean;
  /** Records that were not audit records and passed through untouched (also in `forwarded`). */
  passedThrough = 0;

  constructor(options: AuditLogProcessorOptions = {}) {
    super(options.next);
    this.redactor = options.redaction === false ? undefined : compilePiiPolicy(options.redaction ?? {});
    this.onInvalid = options.onInvalid ?? DEFAULT_ON_INVALID;
    if (this.onInvalid === 'dead_letter' && !options.deadLetter) throw new TypeError('AuditLogProcessor: onInvalid "dead_letter" needs a deadLetter sink');
    this.deadLetter = options.deadLetter;
    this.keepRaw = options.keepRaw ?? false;
  }

  protected process(record: SdkLogRecord, _context?: Context): boolean {
    const attrs = record.attributes;
    const vendor = attrs[ATTR.vendor];
    let event: AuditEvent | undefined;
    let problems: ValidationProblem[] = [];
    try {
      if (typeof attrs[ATTR.id] === 'string') event = fromLogRecord(record);
      else if (isVendor(vendor)) {
        const raw: unknown = typeof record.body === 'string' ? JSON.parse(record.body) : record.body;
        event = normalize(vendor, raw, { keepRaw: this.keepRaw });
      } else {
        this.passedThrough++;
        return true;
      }
      problems = validateEvent(event);
    } catch (err) {
      const e = err instanceof AuditInputError ? err : new AuditInputError('invalid_json', err instanceof Error ? err.message : String(err), '');
      problems = [{ code: e.code, pointer: e.pointer ?? '', message: e.message }];
    }
    if (problems.length || !event) return this.invalid(record, problems, isVendor(vendor) ? vendor : undefined);
    this.rewrite(record, this.redactor ? this.redactor.redactEvent(event) : event);
    return true;
  }

  /** Replaces the record's audit attributes, time, severity, event name and body with `event`'s. */
  private rewrite(record: SdkLogRecord, event: AuditEvent): void {
    const attrs = record.attributes as Record<string, AnyValue>;
    const lr = toLogRecord(event);
    // Only attributes the new event does not set are deleted: deleting and re-adding a key
    // would turn the attribute object into a slow dictionary for the rest of the pipeline.
    for (const k of AUDIT_ATTRIBUTE_NAMES) if (Object.hasOwn(attrs, k) && !Object.hasOwn(lr.attributes, k)) delete attrs[k];
    Object.assign(attrs, lr.attributes);
    record.hrTime = lr.timestamp;
    record.setEventName(lr.eventName!);
    record.setSeverityNumber(lr.severityNumber!);
    record.setSeverityText(lr.severityText!);
    record.setBody(lr.body!);
  }

  private invalid(record: SdkLogRecord, problems: ValidationProblem[], vendor: Vendor | undefined): boolean {
    const first = problems[0] ?? { code: 'schema_violation', pointer: '', message: 'invalid audit record' };
    switch (this.onInvalid) {
      case 'drop':
        return this.drop();
      case 'dead_letter':
        // The dead letter keeps the original text so the record can be fixed and fed back.
        this.deadLetter!.write(deadLetter('process', first.code, first.message, first.pointer ? { pointer: first.pointer } : {}, bodyText(record.body), vendor));
        this.stats.deadLettered++;
        return false;
      case 'pass': {
        // Forwarded as it is, but never with PII: strings are scanned by the policy.
        const attrs = record.attributes as Record<string, AnyValue>;
        if (this.redactor) {
          for (const [k, v] of Object.entries(attrs)) attrs[k] = this.redactor.redactValue(v) as AnyValue;
          record.setBody(this.redactor.redactValue(record.body) as AnyValue);
        }
        attrs[ATTR.validationErrors] = problems.map((p) => `${p.pointer || '/'}: ${p.code}: ${p.message}`);
        return true;
      }
    }
  }

  override async forceFlush(): Promise<void> {
    await this.deadLetter?.flush();
    await super.forceFlush();
  }

  override async shutdown(): Promise<void> {
    await this.deadLetter?.close();
    await super.shutdown();
  }
}
