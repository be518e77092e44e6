import type { Writable } from 'node:stream';
import type { Resource } from '@opentelemetry/resources';
import type { DeadLetterSink } from '../model/dead-letter.js';

/** Backoff bounds of a retry loop (tests shorten them). */
export interface BackoffMillis {
  min: number;
  max: number;
}

/** What the registry hands every factory besides the component's own configuration. */
export interface ComponentContext {
  /** `service.state_directory`: checkpoints and sending queues live below it. */
  readonly stateDirectory: string;
  /** Told about retries, warnings and failures (never secrets). */
  readonly log: (line: string) => void;
  /** The dead-letter file at `path`, one per path, shared by every component that writes there. */
  readonly deadLetterFile: (path: string) => DeadLetterSink;
  /** Stops pulls and waits. */
  readonly signal?: AbortSignal;
  /** Backoff of the OTLP sending queue. */
  readonly queueBackoffMillis?: BackoffMillis;
  /** HTTP retry backoff of the vendor pullers. */
  readonly pullBackoffMillis?: BackoffMillis;
  /** Where an NDJSON exporter without a path writes (the CLI's stdout). */
  readonly stdout?: Writable;
  /** The resource of emitted OTLP records (the edge builds it from OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES). */
  readonly resource?: Resource;
}

/**
 * A context for components built outside a pipeline (SDK processors, convert workers): no state
 * directory or dead-letter files of their own (a dead-letter sink is passed in), no diagnostics.
 */
export function standaloneContext(): ComponentContext {
  return {
    stateDirectory: '.',
    log: () => undefined,
    deadLetterFile: () => {
      throw new TypeError('a component built on its own takes its dead-letter sink as an option');
    },
  };
}
