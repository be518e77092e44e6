/**
 * The resource's environment variables read without the OpenTelemetry resources package (light:
 * the CLI checks them for every command, and loads the package only when it sends OTLP).
 */
import type { ConfigProblem } from '../../errors.js';

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

/** The problems of `OTEL_RESOURCE_ATTRIBUTES` in `env` (what `auditkitResource` would report). */
export function resourceEnvProblems(env: NodeJS.ProcessEnv): ConfigProblem[] {
  const text = env.OTEL_RESOURCE_ATTRIBUTES;
  const problem = text ? parseResourceAttributes(text).problem : undefined;
  return problem ? [problem] : [];
}
