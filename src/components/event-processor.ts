import type { Stage } from '../model/dead-letter.js';
import type { AuditEvent } from '../model/event.js';

/** One problem with a record: a bounded code (`schema_violation`, ...), a JSON pointer, a message. */
export interface Problem {
  readonly code: string;
  readonly pointer: string;
  readonly message: string;
}

/** Why a processor did not pass an event on. Routed by a `RejectionRouter`, never thrown. */
export interface Rejection extends Problem {
  readonly rejected: true;
  readonly stage: Stage;
  /** Every problem found; the first is the one named above. */
  readonly problems: readonly Problem[];
}

/**
 * An event processor: event in, event out (the same object or a copy), or a rejection. It never
 * throws for a bad event; it may throw only for a bug, which its caller counts and fails closed.
 */
export interface EventProcessor {
  /** The component's `type[/name]`, for diagnostics. */
  readonly name: string;
  process(event: AuditEvent): AuditEvent | Rejection;
}

/** A rejection from its problems (at least one). */
export function rejection(stage: Stage, problems: readonly Problem[]): Rejection {
  const first = problems[0] ?? { code: 'schema_violation', pointer: '', message: 'invalid audit record' };
  return { rejected: true, stage, code: first.code, pointer: first.pointer, message: first.message, problems };
}

export const isRejection = (result: AuditEvent | Rejection): result is Rejection => (result as Partial<Rejection>).rejected === true;
