/**
 * Loads `auditkit run` configuration: YAML in the OpenTelemetry Collector's shape, `${env:NAME}`
 * substituted, checked against schemas/config.v1.schema.json and then for what a schema cannot
 * say (pipelines naming components that exist, keys that load, policies that compile). Every
 * problem is reported at once with its path (`receivers.wandb.page_size`); values are never
 * printed, since they may be secrets.
 */
import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { ConfigError, type ConfigProblem } from '../errors.js';
import type { AuditkitConfig } from '../generated/types.js';
import { configProblems, validateConfig } from '../model/validators.js';
import { checkComponent } from '../components/registry.js';
import { parseUserTime } from '../model/time.js';

export type { AuditkitConfig } from '../generated/types.js';

export { componentType } from '../components/registry.js';

/** Where checkpoints and sending queues live unless `service.state_directory` says otherwise. */
export const DEFAULT_STATE_DIRECTORY = './auditkit-state';

const ENV_REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Replaces `${env:NAME}` in every string, recording unset variables as problems. */
function substitute(value: unknown, env: NodeJS.ProcessEnv, path: string, problems: ConfigProblem[]): unknown {
  if (typeof value === 'string') {
    return value.replace(ENV_REF, (_m, name: string) => {
      const v = env[name];
      if (v === undefined) problems.push({ path, message: `environment variable ${name} is not set` });
      return v ?? '';
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substitute(v, env, `${path}[${i}]`, problems));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, k, {
        value: substitute(v, env, path ? `${path}.${k}` : k, problems),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

/** Parses and checks a configuration text; throws one ConfigError with every problem. */
export function parseConfig(text: string, env: NodeJS.ProcessEnv, file = 'config'): AuditkitConfig {
  const problems: ConfigProblem[] = [];
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  for (const e of doc.errors) {
    const pos = e.linePos?.[0];
    problems.push({ path: `${file}${pos ? `:${pos.line}:${pos.col}` : ''}`, message: e.message.split('\n')[0]! });
  }
  if (problems.length) throw new ConfigError(problems);
  const raw = substitute(doc.toJS({ maxAliasCount: 100 }) as unknown, env, '', problems);
  if (!validateConfig(raw)) {
    const kinds = /^(receivers|processors|exporters)$/;
    const explain = (parent: string): string | undefined =>
      parent === 'service.pipelines' ? 'pipelines are named logs or logs/NAME' : kinds.test(parent) ? 'unknown component type' : undefined;
    problems.push(...configProblems(validateConfig.errors, '', explain));
    throw new ConfigError(problems);
  }
  const config = raw;
  // What the schema cannot check, asked of each component's factory.
  for (const kind of ['receivers', 'processors', 'exporters'] as const) {
    for (const [name, c] of Object.entries(config[kind] ?? {})) if (c) problems.push(...checkComponent(kind, name, c as object));
  }
  const used = new Set<string>();
  for (const [pname, p] of Object.entries(config.service.pipelines)) {
    if (!p) continue;
    const check = (kind: 'receivers' | 'processors' | 'exporters', list: string[] | undefined): void => {
      list?.forEach((ref, i) => {
        used.add(`${kind}.${ref}`);
        if (!Object.hasOwn(config[kind] ?? {}, ref))
          problems.push({
            path: `service.pipelines.${pname}.${kind}[${i}]`,
            message: `no ${kind.slice(0, -1)} named ${JSON.stringify(ref)} is configured`,
          });
      });
    };
    check('receivers', p.receivers);
    check('processors', p.processors);
    check('exporters', p.exporters);
  }
  if (problems.length) throw new ConfigError(problems);
  // `since` as users type it (a date, a duration back from now) becomes RFC 3339 UTC here, once.
  for (const r of Object.values(config.receivers)) if (r) r.since = parseUserTime(r.since, '');
  return config;
}

/** Reads, substitutes and checks a configuration file. */
export async function loadConfig(file: string, env: NodeJS.ProcessEnv): Promise<AuditkitConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError([{ path: file, message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` }]);
  }
  return parseConfig(text, env, file);
}
