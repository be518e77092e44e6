import type { EventProcessor } from '../../components/event-processor.js';
import { compilePiiPolicy, type PiiRedactor } from '../../redact/pii-policy.js';
import type { RedactConfig } from './config.js';

/** The `redact` processor: the PII policy applied to every event. It never rejects. */
export interface RedactProcessor extends EventProcessor {
  /** The compiled policy (the SDK processor also scans attributes of records it passes). */
  readonly policy: PiiRedactor;
}

/** Builds the processor; throws a ConfigError naming `processors.<name>.<option>`. */
export function createRedactProcessor(config: RedactConfig, name = 'redact'): RedactProcessor {
  const policy = compilePiiPolicy(config, `processors.${name}`);
  return { name, policy, process: (event) => policy.redactEvent(event) };
}
