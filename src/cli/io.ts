import type { Readable, Writable } from 'node:stream';

/** The streams a CLI run uses; tests pass their own. */
export interface CliIo {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  stdin?: Readable;
  /** Where commands register the secrets and the policy they learn (a configuration's keys); see scrub.ts. */
  secrets?: { addFromConfig(config: unknown): void; usePolicy(config: object): void };
}

/** CLI exit codes (DESIGN.md). */
export const EXIT = {
  ok: 0,
  /** Records rejected or verification failed. */
  rejected: 1,
  /** Usage or configuration error. */
  usage: 2,
  /** I/O or network failure. */
  io: 3,
} as const;

/** How long `run --once` waits for the sending queues to drain. */
export const DEFAULT_DRAIN_TIMEOUT_SECS = 30;
