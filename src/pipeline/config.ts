/**
 * Loads `auditkit run` configuration: YAML in the OpenTelemetry Collector's shape, `${env:NAME}`
 * substituted, checked against schemas/config.v1.schema.json and then for what a schema cannot
 * say (pipelines naming components that exist, keys that load, policies that compile). Every
 * problem is reported at once with its path (`receivers.wandb.page_size`); values are never
 * printed, since they may be secrets.
 */
import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { AuditIoError, ConfigError, type ConfigProblem } from '../errors.js';
import type { AuditkitConfig } from '../generated/types.js';
import * as generated from '../generated/config-validator.js';
import { configProblems, type Validator } from '../model/validators.js';
import { checkComponent, componentType, isKnownComponent, isPushReceiver } from '../components/registry.js';
import { parseUserTime } from '../model/time.js';

export type { AuditkitConfig } from '../generated/types.js';

export { componentType };

/**
 * Validator for schemas/config.v1.schema.json: a module of its own (over 400 KB of generated
 * code), so that only what reads a configuration loads it, not every CLI start.
 */
const validateConfig = generated.validateConfig as unknown as Validator<AuditkitConfig>;

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

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses and checks a configuration text; throws one ConfigError with every problem. Schema,
 * component (semantic), reference and pipeline-name checks all run on the same text, so one run
 * reports every problem: a component whose own options break the schema skips only its semantic
 * check, and references are checked wherever the pipeline lists are lists of names.
 */
export function parseConfig(text: string, env: NodeJS.ProcessEnv, file = 'config'): AuditkitConfig {
  const problems: ConfigProblem[] = [];
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  for (const e of doc.errors) {
    const pos = e.linePos?.[0];
    problems.push({ path: `${file}${pos ? `:${pos.line}:${pos.col}` : ''}`, message: e.message.split('\n')[0]! });
  }
  if (problems.length) throw new ConfigError(problems);
  const raw = substitute(doc.toJS({ maxAliasCount: 100 }) as unknown, env, '', problems);
  // As in the Collector, a component written with no options (`batch:`) takes its defaults.
  if (isObject(raw))
    for (const kind of ['receivers', 'processors', 'exporters'] as const) {
      const section = raw[kind];
      if (isObject(section)) for (const [k, v] of Object.entries(section)) if (v === null) section[k] = {};
    }
  const schemaProblems: ConfigProblem[] = [];
  if (!validateConfig(raw)) {
    const kinds = /^(receivers|processors|exporters)$/;
    const explain = (parent: string): string | undefined =>
      parent === 'service.pipelines' ? 'pipelines are named logs or logs/NAME' : kinds.test(parent) ? 'unknown component type' : undefined;
    schemaProblems.push(...configProblems(validateConfig.errors, '', explain));
  }
  problems.push(...schemaProblems);
  const schemaFailed = (path: string): boolean => schemaProblems.some((p) => p.path === path || p.path.startsWith(`${path}.`));
  const top = isObject(raw) ? raw : {};
  // What the schema cannot check, asked of each component's factory (when its own options passed).
  for (const kind of ['receivers', 'processors', 'exporters'] as const) {
    const section = top[kind];
    if (!isObject(section)) continue;
    for (const [name, c] of Object.entries(section)) {
      if (isObject(c) && isKnownComponent(kind, name) && !schemaFailed(`${kind}.${name}`)) problems.push(...checkComponent(kind, name, c));
    }
  }
  const pipelines = isObject(top.service) && isObject(top.service.pipelines) ? top.service.pipelines : {};
  for (const [pname, p] of Object.entries(pipelines)) {
    if (!isObject(p)) continue;
    for (const kind of ['receivers', 'processors', 'exporters'] as const) {
      const list = p[kind];
      if (!Array.isArray(list)) continue;
      const section = isObject(top[kind]) ? top[kind] : {};
      list.forEach((ref: unknown, i) => {
        if (typeof ref === 'string' && !Object.hasOwn(section, ref))
          problems.push({
            path: `service.pipelines.${pname}.${kind}[${i}]`,
            message: `no ${kind.slice(0, -1)} named ${JSON.stringify(ref)} is configured`,
          });
      });
    }
  }
  // The Collector's redaction works on whole OTLP records, which only a push receiver (otlp) brings.
  for (const [pname, p] of Object.entries(pipelines)) {
    if (!isObject(p) || !Array.isArray(p.processors) || !Array.isArray(p.receivers)) continue;
    const pulls = (p.receivers as unknown[]).filter((r): r is string => typeof r === 'string' && !isPushReceiver(r));
    (p.processors as unknown[]).forEach((ref, i) => {
      if (typeof ref === 'string' && componentType(ref) === 'redaction' && pulls.length)
        problems.push({
          path: `service.pipelines.${pname}.processors[${i}]`,
          message: `redaction works on OTLP records from an otlp receiver; ${pulls.join(', ')} delivers audit events: use a redact processor for them`,
        });
    });
  }
  if (problems.length) throw new ConfigError(problems);
  const config = raw as AuditkitConfig;
  // `since` as users type it (a date, a duration back from now) becomes RFC 3339 UTC here, once.
  for (const r of Object.values(config.receivers)) if (r && 'since' in r && r.since !== undefined) r.since = parseUserTime(r.since, '');
  return config;
}

/** Reads, substitutes and checks a configuration file; AuditIoError when it cannot be read. */
export async function loadConfig(file: string, env: NodeJS.ProcessEnv): Promise<AuditkitConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    // An unreadable file is an I/O failure (exit 3), not a configuration mistake.
    throw new AuditIoError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  return parseConfig(text, env, file);
}
