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
import * as generated from '../generated/validators.js';
import type { Validator } from '../model/validators.js';
import { compilePiiPolicy, type PiiPolicyConfig } from '../redact/pii-policy.js';
import { toUtcTime } from '../model/time.js';
import { loadSigningKey } from './keys.js';

export type { AuditkitConfig } from '../generated/types.js';
const validateConfig = generated.validateConfig as unknown as Validator<AuditkitConfig>;

/** The component type of a `type/name` key. */
export const componentType = (key: string): string => key.split('/', 1)[0]!;

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
      Object.defineProperty(out, k, { value: substitute(v, env, path ? `${path}.${k}` : k, problems), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/** ajv instancePath (`/receivers/wandb~1prod/url`) -> `receivers.wandb/prod.url`. */
const dotted = (pointer: string): string =>
  pointer.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~')).join('.');

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
    for (const e of validateConfig.errors ?? []) {
      let path = dotted(e.instancePath);
      let message = e.message ?? e.keyword;
      if (e.keyword === 'required' && typeof e.params?.missingProperty === 'string') {
        path = path ? `${path}.${e.params.missingProperty}` : e.params.missingProperty;
        message = 'required';
      } else if (e.keyword === 'additionalProperties' && typeof e.params?.additionalProperty === 'string') {
        path = path ? `${path}.${e.params.additionalProperty}` : e.params.additionalProperty;
        message = /^(receivers|processors|exporters|service\.pipelines)$/.test(dotted(e.instancePath)) ? 'unknown component type' : 'unknown option';
      } else if (e.keyword === 'enum' && Array.isArray(e.params?.allowedValues)) {
        message = `must be one of ${(e.params.allowedValues as unknown[]).join(', ')}`;
      }
      problems.push({ path: path || '(top level)', message });
    }
    throw new ConfigError(problems);
  }
  const config = raw;
  // What the schema cannot check.
  for (const [name, r] of Object.entries(config.receivers)) {
    if (!r) continue;
    try {
      toUtcTime(r.since, '');
    } catch {
      problems.push({ path: `receivers.${name}.since`, message: 'not an RFC 3339 date-time' });
    }
    try {
      new URL(r.url);
    } catch {
      problems.push({ path: `receivers.${name}.url`, message: 'not a valid URL' });
    }
  }
  for (const [name, p] of Object.entries(config.processors ?? {})) {
    if (!p || componentType(name) !== 'redact') continue;
    try {
      compilePiiPolicy(p as PiiPolicyConfig, `processors.${name}`);
    } catch (err) {
      if (err instanceof ConfigError) problems.push(...err.problems);
      else throw err;
    }
  }
  for (const [name, p] of Object.entries(config.processors ?? {})) {
    if (p && componentType(name) === 'validate' && (p as { on_invalid?: string }).on_invalid === 'dead_letter' && !(p as { dead_letter_path?: string }).dead_letter_path) {
      problems.push({ path: `processors.${name}.dead_letter_path`, message: 'required with on_invalid: dead_letter' });
    }
  }
  for (const [name, x] of Object.entries(config.exporters)) {
    if (x && componentType(name) === 'ndjson_file') {
      const c = x as { sign_key_file?: string; sign_hmac_key?: string };
      try {
        loadSigningKey({ ...(c.sign_key_file ? { signKeyFile: c.sign_key_file } : {}), ...(c.sign_hmac_key !== undefined ? { signHmacKeyEnv: 'key' } : {}) }, { key: c.sign_hmac_key });
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        for (const p of err.problems) problems.push({ path: `exporters.${name}.${c.sign_key_file ? 'sign_key_file' : 'sign_hmac_key'}`, message: p.message.replace(/environment variable key is not set or empty/, 'must not be empty') });
      }
    }
    if (x && componentType(name) === 'otlp') {
      try {
        const u = new URL((x as { endpoint: string }).endpoint);
        if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
      } catch {
        problems.push({ path: `exporters.${name}.endpoint`, message: 'not an http(s) URL' });
      }
    }
  }
  const used = new Set<string>();
  for (const [pname, p] of Object.entries(config.service.pipelines)) {
    if (!p) continue;
    const check = (kind: 'receivers' | 'processors' | 'exporters', list: string[] | undefined): void => {
      list?.forEach((ref, i) => {
        used.add(`${kind}.${ref}`);
        if (!Object.hasOwn(config[kind] ?? {}, ref)) problems.push({ path: `service.pipelines.${pname}.${kind}[${i}]`, message: `no ${kind.slice(0, -1)} named ${JSON.stringify(ref)} is configured` });
      });
    };
    check('receivers', p.receivers);
    check('processors', p.processors);
    check('exporters', p.exporters);
  }
  if (problems.length) throw new ConfigError(problems);
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
