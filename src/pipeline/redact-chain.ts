import { standaloneContext } from '../components/context.js';
import { ProcessorChain } from '../components/processor-chain.js';
import { createProcessor } from '../components/registry.js';
import type { PiiPolicyConfig } from '../redact/pii-policy.js';

/**
 * The processors of a conversion: the `redact` component when a policy is given (convert's
 * only processor, which never rejects), else none. Parallel workers build their own from the
 * policy as data.
 */
export function redactChain(policy: PiiPolicyConfig | undefined): ProcessorChain {
  return new ProcessorChain(policy ? [createProcessor('redact', policy, standaloneContext())] : []);
}
