/**
 * The resource of the records auditkit emits, as the OpenTelemetry specification says
 * (resource/sdk.md "Specifying resource information via an environment variable", semantic
 * conventions `service.*` and `telemetry.sdk.*`): the SDK's `telemetry.sdk.*`, `service.name`
 * `auditkit` and `service.version`, then `OTEL_RESOURCE_ATTRIBUTES` (percent-decoded `k=v` pairs),
 * then `OTEL_SERVICE_NAME`, which wins for `service.name`. A malformed `OTEL_RESOURCE_ATTRIBUTES`
 * is a problem naming it (the spec says to discard it whole and report an error).
 */
import { defaultResource, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { ConfigProblem } from '../../errors.js';
import { AUDITKIT_VERSION } from '../../model/version.js';
import { parseResourceAttributes } from './resource-env.js';

export { parseResourceAttributes, resourceEnvProblems } from './resource-env.js';

/** The scope of every record auditkit emits. */
export const AUDITKIT_SCOPE = { name: 'auditkit', version: AUDITKIT_VERSION } as const;

/** The resource for `env` (the edge's environment), with any problem found in it. */
export function auditkitResource(env: NodeJS.ProcessEnv = {}): { resource: Resource; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  let resource = defaultResource().merge(resourceFromAttributes({ 'service.name': 'auditkit', 'service.version': AUDITKIT_VERSION }));
  const fromEnv = env.OTEL_RESOURCE_ATTRIBUTES;
  if (fromEnv) {
    const { attributes, problem } = parseResourceAttributes(fromEnv);
    if (problem) problems.push(problem);
    else resource = resource.merge(resourceFromAttributes(attributes));
  }
  const serviceName = env.OTEL_SERVICE_NAME?.trim();
  if (serviceName) resource = resource.merge(resourceFromAttributes({ 'service.name': serviceName }));
  return { resource, problems };
}
