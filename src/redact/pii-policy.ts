/**
 * The schema-driven PII policy: per PII class (the schema's `x-pii` annotations: email, name,
 * ip) a mode of keep, remove, mask, hash (HMAC-SHA256 naming its key id) or truncate (IP
 * networks). Free text (details, other string fields, bodies) is scanned for e-mails, IPs and
 * secret-looking tokens. The policy is compiled once into a plan of field paths; applying it
 * copies the event and never evaluates user input as code.
 */
import { createHash } from 'node:crypto';
import { ConfigError, type ConfigProblem } from '../errors.js';
import { OTEL_FIELDS, PII_FIELDS } from '../generated/annotations.js';
import type { AuditEvent } from '../model/event.js';
import { hmacHex, keyFingerprint } from './hash.js';
import { truncateIp } from './ip.js';
import { classifyKey, replaceFindings, type TextFinding } from './text-scan.js';

/** What to do with a value of one PII class. */
export type PiiMode = 'keep' | 'remove' | 'mask' | 'hash' | 'truncate';
/** PII classes of the schema's `x-pii` annotations. */
export type PiiClass = 'email' | 'name' | 'ip';
export const PII_MODES: readonly PiiMode[] = ['keep', 'remove', 'mask', 'hash', 'truncate'];
export const PII_CLASSES: readonly PiiClass[] = ['email', 'name', 'ip'];

/** Built-in policies: `default`, `wandb-anonymize` (what W&B's anonymize=true removes), `off`. */
export type PiiPreset = 'default' | 'wandb-anonymize' | 'off';
export const PII_PRESETS: readonly PiiPreset[] = ['default', 'wandb-anonymize', 'off'];

/** A PII policy as configuration data (snake_case, as in YAML). */
export interface PiiPolicyConfig {
  /** Start from a preset; the keys below override it. Default `default`. */
  preset?: PiiPreset;
  email?: PiiMode;
  name?: PiiMode;
  ip?: PiiMode;
  /** Replacement for `mask`. Default `****`. */
  mask?: string;
  /** Key for `hash` (HMAC-SHA256). Required when any class hashes: hashing without a key refuses to start. */
  hmac_key?: string;
  /** Id of the key, written into every hashed value (`hmac-sha256:<key id>:<hex>`). Default: a fingerprint of the key. */
  hmac_key_id?: string;
  /** Scan free text (details, other string fields, string bodies) for e-mails, IPs and secrets. */
  scan_free_text?: boolean;
  /** Keep or remove the event's `raw` record (which holds the unredacted vendor record). */
  raw?: 'keep' | 'remove';
}

/** Default preset. */
export const DEFAULT_PII_PRESET: PiiPreset = 'default';

/** Default mask string. */
export const DEFAULT_MASK = '****';

/**
 * The presets. `default` masks e-mails and names and truncates IPs; when an HMAC key is
 * given it hashes e-mails and names instead, so they stay correlatable. `wandb-anonymize`
 * removes what W&B's `anonymize=true` removes: e-mail addresses and the names of projects,
 * teams and reports (every name field).
 */
export function presetConfig(
  preset: PiiPreset,
  hasKey: boolean,
): Required<Pick<PiiPolicyConfig, 'email' | 'name' | 'ip' | 'scan_free_text' | 'raw'>> {
  switch (preset) {
    case 'off':
      return { email: 'keep', name: 'keep', ip: 'keep', scan_free_text: false, raw: 'keep' };
    case 'wandb-anonymize':
      return { email: 'remove', name: 'remove', ip: 'keep', scan_free_text: true, raw: 'remove' };
    case 'default':
      return { email: hasKey ? 'hash' : 'mask', name: hasKey ? 'hash' : 'mask', ip: 'truncate', scan_free_text: true, raw: 'remove' };
  }
}

/** An id made by hashing (the record's canonical JSON, or an id that carried PII). */
export const HASHED_ID = /^[a-z]+:sha256:[0-9a-f]{64}$/;

/** Fields never rewritten: structure and the dedupe key (`id` must stay unique and stable). */
const EXEMPT = new Set([
  '/schema_version',
  '/id',
  '/time',
  '/vendor',
  '/action/category',
  '/action/operation',
  '/outcome/result',
  '/resources/*/type',
]);

interface PlanEntry {
  path: readonly string[];
  cls: PiiClass;
}

/** A compiled PII policy. */
export interface PiiRedactor {
  readonly modes: Readonly<Record<PiiClass, PiiMode>>;
  /** A redacted copy of `event`. */
  redactEvent(event: AuditEvent): AuditEvent;
  /** Free text with e-mails, IPs and secrets rewritten by the policy. */
  redactText(text: string): string;
  /** Any JSON value with its strings scanned and secret-named keys masked. */
  redactValue(value: unknown): unknown;
}

/**
 * A copy of an event without details and raw, deep enough that the policy can rewrite any
 * string field (the event model is two levels deep besides those).
 */
function copyEvent(e: AuditEvent): AuditEvent {
  const out = { ...e, action: { ...e.action }, outcome: { ...e.outcome } };
  if (e.actor) out.actor = { ...e.actor };
  if (e.target_user) out.target_user = { ...e.target_user };
  if (e.resources) out.resources = e.resources.map((r) => ({ ...r }));
  if (e.client) out.client = { ...e.client };
  if (e.cloud) out.cloud = { ...e.cloud };
  return out;
}

/** Compiles a policy; throws one ConfigError listing every problem (with its path). */
export function compilePiiPolicy(config: PiiPolicyConfig = {}, path = 'redaction'): PiiRedactor {
  const problems: ConfigProblem[] = [];
  const preset = config.preset ?? DEFAULT_PII_PRESET;
  if (!PII_PRESETS.includes(preset)) problems.push({ path: `${path}.preset`, message: `must be one of ${PII_PRESETS.join(', ')}` });
  const hasKey = typeof config.hmac_key === 'string' && config.hmac_key.length > 0;
  const base = presetConfig(PII_PRESETS.includes(preset) ? preset : 'default', hasKey);
  const modes = { email: config.email ?? base.email, name: config.name ?? base.name, ip: config.ip ?? base.ip };
  for (const cls of PII_CLASSES) {
    const mode = modes[cls];
    if (!PII_MODES.includes(mode)) problems.push({ path: `${path}.${cls}`, message: `must be one of ${PII_MODES.join(', ')}` });
    if (mode === 'hash' && !hasKey)
      problems.push({ path: `${path}.${cls}`, message: 'hash needs hmac_key (hashing without a key is refused)' });
    if (mode === 'truncate' && cls !== 'ip') problems.push({ path: `${path}.${cls}`, message: 'truncate applies to ip only' });
  }
  if (config.hmac_key !== undefined && !hasKey) problems.push({ path: `${path}.hmac_key`, message: 'must be a non-empty string' });
  if (problems.length) throw new ConfigError(problems);

  const mask = config.mask ?? DEFAULT_MASK;
  const key = hasKey ? config.hmac_key! : undefined;
  const keyId = config.hmac_key_id ?? (key ? keyFingerprint(key) : '');
  const scan = config.scan_free_text ?? base.scan_free_text;
  const rawMode = config.raw ?? base.raw;
  const plan: PlanEntry[] = PII_FIELDS.map((f) => ({ path: f.pointer.split('/').slice(1), cls: f.value as PiiClass }));
  const planPointers = new Set(PII_FIELDS.map((f) => f.pointer));

  // Audit logs name the same people and projects over and over: hashes are cached (bounded),
  // which keeps hash mode close to the cost of masking. One map per kind of result (no
  // `tag + value` string is built and flattened per lookup), forgotten whole at `limit` entries.
  // Truncations are not: an IP is read faster than a large map is probed, and addresses repeat
  // less (with 117,522 of 200,000 distinct, a memo made a W&B convert 25% slower).
  const memoized = (make: (v: string) => string, limit = 100_000): ((value: string) => string) => {
    const memo = new Map<string, string>();
    return (value) => {
      let out = memo.get(value);
      if (out === undefined) {
        if (memo.size >= limit) memo.clear();
        out = make(value);
        memo.set(value, out);
      }
      return out;
    };
  };
  const hash = memoized((v) => `hmac-sha256:${keyId}:${hmacHex('sha256', key!, v)}`);
  const truncate = (v: string): string => truncateIp(v) ?? mask;
  /** The replacement of one PII value, or undefined to remove it. */
  const apply = (cls: PiiClass, value: string): string | undefined => {
    switch (modes[cls]) {
      case 'keep':
        return value;
      case 'remove':
        return undefined;
      case 'mask':
        return mask;
      case 'hash':
        return hash(value);
      case 'truncate':
        return truncate(value);
    }
  };
  const inText = (kind: TextFinding, match: string, original: string): string => {
    if (kind === 'secret') return mask;
    if (modes[kind] === 'keep') return original;
    // Hash the decoded value, so `a%40b.com` and `a@b.com` correlate. Removing a span from free
    // text would silently change its meaning: mark it instead.
    return apply(kind, match) ?? mask;
  };
  /** Free text, scanned with the context of the key it is under. */
  const redactText = (text: string, key?: string): string => (scan ? replaceFindings(text, inText, key) : text);

  /** A key scanned like a value (remembered: audit logs repeat their keys). */
  const redactKey = memoized((k) => redactText(k), 10_000);
  const REMOVED = Symbol('removed');
  /**
   * Any JSON value: strings scanned, keys scanned like values, and a key whose name classifies
   * its value (`username`, `email`, `client_ip`, `password`, ...) rewrites that value by the
   * class's mode whatever its type: an object or array under such a key is masked whole.
   */
  const redactAny = (value: unknown, key: string | undefined): unknown => {
    const cls = key !== undefined && scan ? classifyKey(key) : undefined;
    if (cls !== undefined && value !== null && typeof value !== 'boolean') {
      if (cls === 'secret') return mask;
      if (modes[cls] !== 'keep') {
        if (typeof value === 'string') return apply(cls, value) ?? REMOVED;
        if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.map((v) => apply(cls, v) ?? mask);
        return modes[cls] === 'remove' ? REMOVED : mask;
      }
    }
    if (typeof value === 'string') return redactText(value, key);
    if (Array.isArray(value))
      return value.map((v) => {
        const r = redactAny(v, key);
        return r === REMOVED ? mask : r;
      });
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const red = redactAny(v, k);
        if (red === REMOVED) continue;
        // Keys are scanned like values (remembered: audit logs repeat their keys); two keys
        // that redact alike stay two entries.
        let name = redactKey(k);
        if (name !== k) for (let n = 2; Object.hasOwn(out, name) || Object.hasOwn(value, name); n++) name = `${redactText(k)}#${n}`;
        Object.defineProperty(out, name, { value: red, enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    return value;
  };
  const redactValue = (value: unknown): unknown => {
    const out = redactAny(value, undefined);
    return out === REMOVED ? mask : out;
  };

  /** Applies the class mode at `path` (with `*` over arrays). */
  const applyAt = (node: unknown, path: readonly string[], i: number, cls: PiiClass): void => {
    if (node === null || typeof node !== 'object') return;
    const seg = path[i]!;
    if (seg === '*') {
      if (Array.isArray(node)) for (const item of node) applyAt(item, path, i + 1, cls);
      return;
    }
    const obj = node as Record<string, unknown>;
    if (!Object.hasOwn(obj, seg)) return;
    if (i < path.length - 1) {
      applyAt(obj[seg], path, i + 1, cls);
      return;
    }
    const v = obj[seg];
    if (typeof v !== 'string') return;
    const out = apply(cls, v);
    if (out === undefined) delete obj[seg];
    else obj[seg] = out;
  };

  // The other string fields to scan, compiled once from the schema's x-otel annotations (every
  // event field has one): not PII-class fields (the plan rewrites those), not structure, not
  // details/raw (handled apart), not resources (every key but type and name, per resource).
  const scanPlan = OTEL_FIELDS.map((f) => f.pointer)
    .filter((p) => !EXEMPT.has(p) && !planPointers.has(p) && !['/details', '/raw', '/resources', '/time'].includes(p))
    .map((p) => p.split('/').slice(1));
  const resourceClassKeys = new Set(plan.filter((e) => e.path[0] === 'resources').map((e) => e.path[2]!));
  const scanFields = (event: AuditEvent): void => {
    for (const path of scanPlan) {
      let node = event as unknown as Record<string, unknown> | undefined;
      for (let i = 0; i < path.length - 1 && node; i++) node = node[path[i]!] as Record<string, unknown> | undefined;
      const k = path[path.length - 1]!;
      if (node && typeof node[k] === 'string') node[k] = redactText(node[k], k);
    }
    for (const r of event.resources ?? []) {
      const res = r as Record<string, unknown>;
      for (const k of Object.keys(res))
        if (k !== 'type' && !resourceClassKeys.has(k) && typeof res[k] === 'string') res[k] = redactText(res[k], k);
    }
  };

  const allKeep = modes.email === 'keep' && modes.name === 'keep' && modes.ip === 'keep' && !scan && rawMode === 'keep';

  return {
    modes,
    redactText,
    redactValue,
    redactEvent(event: AuditEvent): AuditEvent {
      if (allKeep) return event;
      const { details, raw, ...rest } = event;
      const out = copyEvent(rest);
      for (const entry of plan) applyAt(out, entry.path, 0, entry.cls);
      if (scan) {
        scanFields(out);
        // An id that carries PII (`wherobots:evt_idleak.person@example.com`) is replaced by a hash
        // of itself: still a stable dedupe key, without the PII.
        // A hashed id (`wandb:sha256:<64 hex>`) cannot hold a finding (no detector's prefilter
        // matches lowercase hex after `:sha256:`; a property test holds this), so it is not scanned.
        if (!HASHED_ID.test(out.id) && redactText(out.id) !== out.id)
          out.id = `${out.vendor}:sha256:${key ? hmacHex('sha256', key, out.id) : createHash('sha256').update(out.id).digest('hex')}`;
      }
      if (details !== undefined) out.details = (scan ? redactValue(details) : structuredClone(details)) as Record<string, unknown>;
      if (raw !== undefined && rawMode === 'keep') out.raw = (scan ? redactValue(raw) : structuredClone(raw)) as Record<string, unknown>;
      for (const key of ['actor', 'target_user'] as const) if (out[key] && Object.keys(out[key]).length === 0) delete out[key];
      return out;
    },
  };
}
