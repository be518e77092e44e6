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

/** The scope of every record auditkit emits. */
export const AUDITKIT_SCOPE = { name: 'auditkit', version: AUDITKIT_VERSION } as const;

/** `OTEL_RESOURCE_ATTRIBUTES` as attributes, or a problem. */
export function parseResourceAttributes(
  text: string,
  variable = 'OTEL_RESOURCE_ATTRIBUTES',
): { attributes: Record<string, string>; problem?: ConfigProblem } {
  const attributes: Record<string, string> = {};
  for (const pair of text.split(',')) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    const key = eq > 0 ? pair.slice(0, eq).trim() : '';
    if (!key) return { attributes: {}, problem: { path: variable, message: 'expected key=value pairs separated by commas' } };
    try {
      attributes[decodeURIComponent(key)] = decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      return { attributes: {}, problem: { path: variable, message: `the value of ${JSON.stringify(key)} has a bad %-escape` } };
    }
  }
  return { attributes };
}

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
