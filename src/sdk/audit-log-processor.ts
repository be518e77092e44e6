import type { AnyValue } from '@opentelemetry/api-logs';
import { parseJsonExact } from '../model/json.js';
import type { ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { auditRecordKind, normalize, unknownVendorError, vendorOf } from '../components/adapters.js';

export { vendorOf };
import { rejection, type Problem } from '../components/event-processor.js';
import { RejectionRouter, formatProblem, type OnInvalid } from '../components/rejections.js';
import { standaloneContext } from '../components/context.js';
import { createProcessor, type RedactProcessor } from '../components/registry.js';
import { AuditInputError } from '../errors.js';
import type { DeadLetterSink } from '../model/dead-letter.js';
import type { AuditEvent, Vendor } from '../model/event.js';
import { ATTR, AUDIT_ATTRIBUTE_NAMES, fromLogRecord, toLogRecord } from '../model/otel.js';
import type { PiiPolicyConfig } from '../redact/pii-policy.js';
import { validateEvent } from '../processors/validate/validate.js';
import { ForwardingProcessor, removeAttributes, type ForwardingProcessorOptions } from './forwarding-processor.js';

/** Options of AuditLogProcessor (library options: camelCase). */
export interface AuditLogProcessorOptions extends ForwardingProcessorOptions {
  /** PII policy; `false` for none. Default: the `default` preset. */
  redaction?: PiiPolicyConfig | false;
  /** What to do with a record that cannot be normalized or fails validation. Default `drop`. */
  onInvalid?: OnInvalid;
  /** Required with `onInvalid: 'dead_letter'`; flushed by `forceFlush`, closed by `shutdown`. */
  deadLetter?: DeadLetterSink;
  /** Keep the original vendor record in `auditkit.raw` (subject to the policy's `raw`). Default false. */
  keepRaw?: boolean;
}

/** A body's text form, for dead letters. */
function bodyText(body: AnyValue | undefined): string {
  if (typeof body === 'string') return body;
  try {
    // JSON.stringify returns undefined for undefined, though its type says string.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    return (JSON.stringify(body) as string | undefined) ?? '';
  } catch {
    // A value JSON cannot write (a cycle, a BigInt): its plain string form is all there is.
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    return String(body);
  }
}

/**
 * A LogRecordProcessor for `@opentelemetry/sdk-logs` that turns records carrying a raw vendor
 * audit record (body: the record as a map or JSON text; attribute `auditkit.vendor`: wandb,
 * snorkel or wherobots) into audit event records: normalized, validated, PII-redacted, with
 * the attribute contract of src/model/otel.ts. Records that already carry an event
 * (`auditkit.id`) are validated and redacted again; other records pass through untouched.
 * A thin wrapper: the `redact` component redacts, the validator checks, and the rejection
 * router applies `onInvalid`. Never throws from `onEmit`; `stats` counts what it forwarded,
 * dropped and dead-lettered.
 */
export class AuditLogProcessor extends ForwardingProcessor {
  private readonly redact: RedactProcessor | undefined;
  private readonly router: RejectionRouter;
  private readonly deadLetter: DeadLetterSink | undefined;
  private readonly keepRaw: boolean;
  /** Records that were not audit records and passed through untouched (also in `forwarded`). */
  passedThrough = 0;

  constructor(options: AuditLogProcessorOptions = {}) {
    const router = new RejectionRouter(options.onInvalid, options.deadLetter, 'AuditLogProcessor');
    super(options, router);
    this.router = router;
    this.redact =
      options.redaction === false
        ? undefined
        : (createProcessor('redact', options.redaction ?? {}, standaloneContext()).processor as RedactProcessor);
    this.deadLetter = options.deadLetter;
    this.keepRaw = options.keepRaw ?? false;
  }

  protected process(record: ReadWriteLogRecord): boolean {
    const what = auditRecordKind(record.attributes);
    if (what.kind === 'other') {
      this.passedThrough++;
      return true;
    }
    let event: AuditEvent | undefined;
    let problems: Problem[] = [];
    try {
      if (what.kind === 'unknown_vendor') throw unknownVendorError(); // never passed on unredacted
      if (what.kind === 'event') event = fromLogRecord(record);
      else {
        const raw: unknown = typeof record.body === 'string' ? parseJsonExact(record.body) : record.body;
        event = normalize(what.vendor, raw, { keepRaw: this.keepRaw });
      }
      problems = validateEvent(event);
    } catch (err) {
      const e =
        err instanceof AuditInputError ? err : new AuditInputError('invalid_json', err instanceof Error ? err.message : String(err), '');
      problems = [{ code: e.code, pointer: e.pointer ?? '', message: e.message }];
    }
    // The rejection names the record's vendor (an event's too); worked out only for a rejection.
    if (problems.length || !event) return this.invalid(record, problems, vendorOf(record.attributes[ATTR.vendor]));
    this.rewrite(record, this.redact ? this.redact.policy.redactEvent(event) : event);
    return true;
  }

  /** Replaces the record's audit attributes, time, severity, event name and body with `event`'s. */
  private rewrite(record: ReadWriteLogRecord, event: AuditEvent): void {
    const attrs = record.attributes as Record<string, AnyValue>;
    const lr = toLogRecord(event);
    // Only attributes the new event does not set are removed; the rest are set through the SDK,
    // so its attribute limits (count, value length) and dropped count hold.
    removeAttributes(
      record,
      [...AUDIT_ATTRIBUTE_NAMES].filter((k) => Object.hasOwn(attrs, k) && !Object.hasOwn(lr.attributes, k)),
    );
    record.setAttributes(lr.attributes);
    record.hrTime = lr.timestamp;
    record.setEventName(lr.eventName!);
    record.setSeverityNumber(lr.severityNumber!);
    record.setSeverityText(lr.severityText!);
    record.setBody(lr.body);
  }

  private invalid(record: ReadWriteLogRecord, problems: Problem[], vendor: Vendor | undefined): boolean {
    const r = rejection('process', problems);
    if (!this.router.route(r, () => bodyText(record.body), {}, vendor)) return false;
    // `pass`: forwarded as it is, but never with PII: strings are scanned by the policy.
    const attrs = record.attributes as Record<string, AnyValue>;
    if (this.redact) {
      const policy = this.redact.policy;
      for (const [k, v] of Object.entries(attrs)) record.setAttribute(k, policy.redactValue(v) as AnyValue);
      record.setBody(policy.redactValue(record.body) as AnyValue);
    }
    record.setAttribute(ATTR.validationErrors, r.problems.map(formatProblem));
    return true;
  }

  protected override flushOwn(): Promise<void> {
    return this.router.flush();
  }

  protected override async shutdownOwn(): Promise<void> {
    await this.deadLetter?.close();
  }
}
