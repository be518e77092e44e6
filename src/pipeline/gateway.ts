/**
 * auditkit as a hop: what the runtime does with the records an `otlp` receiver takes in.
 *
 * | record | what happens |
 * |---|---|
 * | carries an audit event (`auditkit.id`, the attribute contract of src/model/otel.ts) | the event is read back and validated; the record itself is kept byte for byte |
 * | a raw vendor record (`auditkit.vendor` names wandb, snorkel or wherobots; the body is the record, as a map or JSON text) | normalized and validated; the record becomes the event's record (the sender's resource and scope kept) |
 * | `auditkit.vendor` names no vendor auditkit reads | rejected (never passed on unredacted) |
 * | anything else | passed through unchanged to the pipeline's OTLP exporters (not to the archive) |
 *
 * Then each pipeline the receiver feeds runs its processors in order: `redact` and `validate` on
 * audit events, `redaction` on whole records (resource, scope, attributes, body; an audit event
 * is read back from its redacted record), `batch` passes records on. Exporters get the records
 * (OTLP) or the events (the archive), and the request is answered only after every exporter
 * acknowledged: the sending queue has the batch on disk, the archive flushed it. A record rejected
 * anywhere is counted once in the answer's partial success; the sender must not retry it.
 * Requests are handled one at a time, so an acknowledgement never covers records still in flight.
 */
import type { HrTime } from '@opentelemetry/api';
import type { EventExporter } from '../components/event-exporter.js';
import { isRejection } from '../components/event-processor.js';
import { auditRecordKind, normalize, unknownVendorError } from '../components/adapters.js';
import type { PipelineStep } from '../components/registry.js';
import { AuditInputError } from '../errors.js';
import type { AuditEvent } from '../model/event.js';
import { parseJsonExact } from '../model/json.js';
import { ATTR, fromLogRecord } from '../model/otel.js';
import { editKvs, kvsToJs, nanosToHrTime, sameJs, toJs, toWire, type WireItem } from '../model/otlp-wire.js';
import { nowHrTime } from '../model/time.js';
import { validateEvent } from '../processors/validate/validate.js';
import { eventItem } from '../exporters/otlp/wire-exporter.js';
import type { PushResult } from '../receivers/otlp/server.js';

export interface GatewayPipeline {
  name: string;
  steps: readonly PipelineStep[];
  exporters: readonly EventExporter[];
}

export interface GatewayOptions {
  /** Keep a raw vendor record in auditkit.raw once normalized. */
  keepRaw?: boolean;
}

/** When a record was observed: as the sender said, else now. */
const observedOf = (item: WireItem): HrTime =>
  item.record.observedTimeUnixNano ? nanosToHrTime(item.record.observedTimeUnixNano) : nowHrTime();

/** A problem as the partial-success message says it (code and pointer; no values). */
const reason = (code: string, message: string): string => `${code}: ${message}`;

/** The audit event a record carries, if any; throws AuditInputError when it claims one and is wrong. */
function eventOf(item: WireItem, keepRaw: boolean): { event: AuditEvent; normalized: boolean } | undefined {
  const attrs = kvsToJs(item.record.attributes);
  const what = auditRecordKind(attrs);
  switch (what.kind) {
    case 'event': {
      let event: AuditEvent | undefined;
      try {
        event = fromLogRecord({ attributes: attrs, hrTime: nanosToHrTime(item.record.timeUnixNano) });
      } catch (err) {
        throw new AuditInputError('invalid_json', `an auditkit attribute is not the JSON it should be: ${(err as Error).message}`, '');
      }
      return event ? { event, normalized: false } : undefined;
    }
    case 'vendor': {
      const body = toJs(item.record.body);
      const raw: unknown = typeof body === 'string' ? parseJsonExact(body) : body;
      return { event: normalize(what.vendor, raw, { keepRaw }), normalized: true };
    }
    case 'unknown_vendor':
      throw unknownVendorError();
    case 'other':
      return undefined;
  }
}

export class Gateway {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly pipelines: readonly GatewayPipeline[],
    private readonly options: GatewayOptions = {},
  ) {}

  /** Handles one request's records (one request at a time); rejects when an exporter could not take them. */
  handle(items: WireItem[]): Promise<PushResult> {
    const run = this.queue.then(() => this.process(items));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async process(input: WireItem[]): Promise<PushResult> {
    const rejected = new Map<number, string>();
    // 1. What each record is.
    const items = input.map((item, i) => {
      try {
        const found = eventOf(item, this.options.keepRaw ?? false);
        if (!found) return item;
        const problems = validateEvent(found.event);
        if (problems.length) {
          rejected.set(i, reason(problems[0]!.code, `${problems[0]!.pointer || '/'} ${problems[0]!.message}`));
          return undefined;
        }
        if (!found.normalized) return { ...item, event: found.event };
        const made = eventItem(found.event, observedOf(item));
        return { resource: item.resource, scope: item.scope, record: made.record, event: found.event };
      } catch (err) {
        const e = err instanceof AuditInputError ? err : new AuditInputError('schema_violation', (err as Error).message, '');
        rejected.set(i, reason(e.code, e.message));
        return undefined;
      }
    });
    // 2. Each pipeline, on its own copy when there are several.
    const copy = this.pipelines.length > 1;
    for (const p of this.pipelines) {
      const live: { i: number; item: WireItem }[] = [];
      items.forEach((item, i) => {
        if (item && !rejected.has(i)) live.push({ i, item: copy ? structuredClone(item) : item });
      });
      const out = this.runSteps(p, live, rejected);
      for (const x of p.exporters) {
        if (x.writeItems) await x.writeItems(out.map((o) => o.item));
        else {
          const events = out.flatMap((o) => (o.item.event ? [o.item.event] : []));
          if (events.length) await x.write(events);
        }
      }
    }
    // Every exporter at once (the archive's fsync and the queue's overlap); the answer waits for all.
    await Promise.all([...new Set(this.pipelines.flatMap((p) => p.exporters))].map((x) => x.ack()));
    const reasons = [...new Set(rejected.values())];
    const message = rejected.size
      ? `${rejected.size} of ${input.length} records rejected: ${reasons.slice(0, 3).join('; ')}${reasons.length > 3 ? `; and ${reasons.length - 3} other reasons` : ''}`
      : '';
    return { rejected: rejected.size, message };
  }

  /** The pipeline's steps over its records; the survivors. */
  private runSteps(
    p: GatewayPipeline,
    live: { i: number; item: WireItem }[],
    rejected: Map<number, string>,
  ): { i: number; item: WireItem }[] {
    let current = live;
    for (const step of p.steps) {
      if (step.kind === 'pass') continue;
      const next: { i: number; item: WireItem }[] = [];
      if (step.kind === 'event') {
        const { processor, router } = step.routed;
        for (const x of current) {
          const event = x.item.event;
          if (!event) {
            next.push(x);
            continue;
          }
          const out = processor.process(event);
          if (isRejection(out)) {
            if (router.route(out, () => JSON.stringify(event), { file: p.name }, event.vendor)) next.push(x);
            else rejected.set(x.i, reason(out.code, `${out.pointer || '/'} ${out.message}`));
            continue;
          }
          if (out !== event) {
            x.item = { resource: x.item.resource, scope: x.item.scope, record: eventItem(out, observedOf(x.item)).record, event: out };
          }
          next.push(x);
        }
      } else {
        const { redactor } = step;
        const done = new Set<object>();
        for (const x of current) {
          const { resource, scope, record } = x.item;
          // Resource and scope are shared by the records of a ResourceLogs / ScopeLogs: redacted once.
          if (resource.resource && !done.has(resource.resource)) {
            done.add(resource.resource);
            resource.resource.attributes = editKvs(resource.resource.attributes, (a) => {
              redactor.processAttributes(a);
            });
          }
          if (scope.scope && !done.has(scope.scope)) {
            done.add(scope.scope);
            scope.scope.attributes = editKvs(scope.scope.attributes, (a) => {
              redactor.processAttributes(a);
            });
          }
          record.attributes = editKvs(record.attributes, (attributes) => {
            if (record.body === undefined) {
              redactor.processAttributes(attributes);
              return;
            }
            const body = toJs(record.body);
            const r: { attributes: typeof attributes; body?: typeof body } = { attributes, body };
            redactor.processRecord(r);
            // An unchanged body keeps its wire form (the bytes the sender sent).
            if (!sameJs(r.body, body)) record.body = toWire(r.body);
          });
          if (x.item.event) {
            const event = fromLogRecordSafe(x.item);
            if (!event) {
              rejected.set(x.i, reason('redaction_removed_event', `${p.name}: redaction removed what the audit event needs (${ATTR.id})`));
              continue;
            }
            x.item.event = event;
          }
          next.push(x);
        }
      }
      current = next;
    }
    return current;
  }
}

function fromLogRecordSafe(item: WireItem): AuditEvent | undefined {
  try {
    return fromLogRecord({ attributes: kvsToJs(item.record.attributes), hrTime: nanosToHrTime(item.record.timeUnixNano) });
  } catch {
    return undefined;
  }
}
