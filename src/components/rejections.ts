/**
 * The one place rejected records are routed, by `on_invalid`: `drop` (counted), `pass` (the
 * record flows on; the caller annotates it) or `dead_letter` (its reason, location and original
 * text go to a dead-letter sink). Each rejection is counted once, here.
 */
import type { SourceLocation } from '../errors.js';
import { deadLetter, type DeadLetterSink } from '../model/dead-letter.js';
import type { Problem, Rejection } from './event-processor.js';

/** What happens to a record that fails validation. */
export type OnInvalid = 'drop' | 'pass' | 'dead_letter';
export const ON_INVALID: readonly OnInvalid[] = ['drop', 'pass', 'dead_letter'];
/** Default `on_invalid`: invalid records do not flow on (fail closed), and are counted. */
export const DEFAULT_ON_INVALID: OnInvalid = 'drop';

/** Rejections by what was done with them. */
export interface RejectionCounts {
  dropped: number;
  deadLettered: number;
  passed: number;
}

/** A problem as one line: `/pointer: code: message` (`/` for the whole record). */
export const formatProblem = (p: Problem): string => `${p.pointer || '/'}: ${p.code}: ${p.message}`;

export class RejectionRouter {
  readonly counts: RejectionCounts = { dropped: 0, deadLettered: 0, passed: 0 };

  /** `who` names the component in the error thrown when `dead_letter` has no sink. */
  constructor(
    readonly onInvalid: OnInvalid = DEFAULT_ON_INVALID,
    private readonly deadLetters?: DeadLetterSink,
    who = 'processor',
  ) {
    if (onInvalid === 'dead_letter' && !deadLetters) throw new TypeError(`${who}: on_invalid "dead_letter" needs a deadLetter sink`);
  }

  /**
   * Routes one rejection; true when the record flows on (`pass`). `original` (the record's text)
   * is asked for only when a dead letter is written; `source` says where the record came from.
   */
  route(r: Rejection, original: () => string, source: SourceLocation = {}, vendor?: string): boolean {
    switch (this.onInvalid) {
      case 'drop':
        this.counts.dropped++;
        return false;
      case 'dead_letter':
        // The dead letter keeps the original text so the record can be fixed and fed back.
        this.deadLetters?.write(
          deadLetter(r.stage, r.code, r.message, { ...(r.pointer ? { pointer: r.pointer } : {}), ...source }, original(), vendor),
        );
        this.counts.deadLettered++;
        return false;
      case 'pass':
        this.counts.passed++;
        return true;
    }
  }

  flush(): Promise<void> {
    return this.deadLetters?.flush() ?? Promise.resolve();
  }
}
