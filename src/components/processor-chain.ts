import type { SourceLocation } from '../errors.js';
import type { AuditEvent } from '../model/event.js';
import { isRejection, type EventProcessor } from './event-processor.js';
import type { RejectionRouter } from './rejections.js';

/** A processor with the router its rejections go to (its `on_invalid`). */
export interface RoutedProcessor {
  processor: EventProcessor;
  router: RejectionRouter;
}

/**
 * A pipeline's processors in order. An event a processor rejects is routed once, by that
 * processor's router: it stops there, or (`pass`) flows on unchanged.
 */
export class ProcessorChain {
  constructor(
    readonly steps: readonly RoutedProcessor[],
    /** Where rejected events are said to come from (dead letters). */
    private readonly source: SourceLocation = {},
  ) {}

  /** The processed event, or undefined when a processor rejected it and it does not flow on. */
  run(event: AuditEvent): AuditEvent | undefined {
    let e = event;
    for (const { processor, router } of this.steps) {
      const out = processor.process(e);
      if (!isRejection(out)) e = out;
      else if (!router.route(out, () => JSON.stringify(e), this.source, e.vendor)) return undefined;
    }
    return e;
  }
}
