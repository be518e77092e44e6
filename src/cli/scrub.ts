/**
 * Everything the CLI prints on stderr passes through a `Scrubber`: the secrets it knows (API
 * keys, HMAC and signing keys read from the environment variables the flags name, header values,
 * URL passwords, a configuration's keys) are replaced by `****` wherever they appear, Node's
 * fetch errors and vendor error bodies included; every secret the detectors find is masked; and
 * under a redacting policy (`--redact`, `--hmac-key-env`, a `redact` processor) the text goes
 * through that policy too, so a rejected record's e-mail is shown only as the policy shows it.
 */
import { Writable } from 'node:stream';
import { compilePiiPolicy, type PiiPolicyConfig } from '../redact/pii-policy.js';
import { classifyKey, replaceFindings, type TextFinding } from '../redact/text-scan.js';

const MASK = '****';
const SECRETS_ONLY: ReadonlySet<TextFinding> = new Set(['secret']);
/** Flags whose value names an environment variable holding a secret. */
const SECRET_ENV_FLAGS = ['--api-key-env', '--hmac-key-env', '--sign-hmac-key-env'];
/** Flags whose value is a URL that may carry a password or a secret query parameter. */
const URL_FLAGS = ['--url', '--endpoint'];

export class Scrubber {
  private readonly secrets = new Set<string>();
  private ordered: string[] = [];
  private policy?: (text: string) => string;

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {
    for (const name of ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_LOGS_HEADERS']) this.addHeaders(env[name]?.split(',') ?? []);
  }

  /** Remembers a secret (and its URL-encoded form); too short a value is not one. */
  add(secret: string | undefined): void {
    if (secret === undefined || secret.length < 4) return;
    for (const form of [secret, encodeURIComponent(secret)]) this.secrets.add(form);
    this.ordered = [...this.secrets].sort((a, b) => b.length - a.length);
  }

  /** The secrets and the policy a command line names. */
  addFromArgv(argv: readonly string[]): void {
    const valueOf = (i: number, flag: string): string | undefined => {
      const a = argv[i]!;
      return a === flag ? argv[i + 1] : a.startsWith(`${flag}=`) ? a.slice(flag.length + 1) : undefined;
    };
    let redact: string | undefined;
    let hmacKey: string | undefined;
    argv.forEach((_, i) => {
      for (const flag of SECRET_ENV_FLAGS) {
        const name = valueOf(i, flag);
        if (name !== undefined) this.add(this.env[name]);
        if (name !== undefined && flag === '--hmac-key-env') hmacKey = this.env[name];
      }
      for (const flag of URL_FLAGS) {
        const url = valueOf(i, flag);
        if (url !== undefined) this.addUrl(url);
      }
      const header = valueOf(i, '--header');
      if (header !== undefined) this.addHeaders([header]);
      redact = valueOf(i, '--redact') ?? redact;
    });
    if ((redact !== undefined && redact !== 'off') || (redact === undefined && hmacKey !== undefined))
      this.usePolicy({ preset: redact === 'wandb-anonymize' ? 'wandb-anonymize' : 'default', ...(hmacKey ? { hmac_key: hmacKey } : {}) });
  }

  /** The password and secret-looking query values of a URL. */
  addUrl(text: string): void {
    try {
      const url = new URL(text);
      this.add(decodeURIComponent(url.password));
      this.add(url.password);
      for (const [k, v] of url.searchParams) if (/token|key|secret|pass|sig|auth|code/i.test(k)) this.add(v);
    } catch {
      // not a URL: nothing to learn from it
    }
  }

  /** Header values (`k=v`, possibly %-encoded). */
  addHeaders(pairs: readonly string[]): void {
    for (const pair of pairs) {
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const value = pair.slice(eq + 1).trim();
      this.add(value);
      try {
        this.add(decodeURIComponent(value));
      } catch {
        // a bad %-escape: the raw value is remembered
      }
    }
  }

  /** Diagnostics also pass through this PII policy (a rejected record's values). */
  usePolicy(config: PiiPolicyConfig): void {
    try {
      const policy = compilePiiPolicy(config);
      this.policy = (text) => policy.redactText(text);
    } catch {
      // an invalid policy is reported by the command itself; secrets are still scrubbed
      this.policy = undefined;
    }
  }

  /** Every secret a configuration holds: values under secret-named keys, header values, URL passwords. */
  addFromConfig(value: unknown, key = ''): void {
    if (typeof value === 'string') {
      if (classifyKey(key) === 'secret' || /headers\.[^.]+$/.test(key)) this.add(value);
      if (value.includes('://')) this.addUrl(value);
    } else if (Array.isArray(value)) value.forEach((v) => this.addFromConfig(v, key));
    else if (value !== null && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) this.addFromConfig(v, key.endsWith('headers') ? `${key}.${k}` : k);
  }

  scrub(text: string): string {
    let out = text;
    for (const s of this.ordered) if (out.includes(s)) out = out.split(s).join(MASK);
    out = replaceFindings(out, () => MASK, undefined, SECRETS_ONLY);
    return this.policy ? this.policy(out) : out;
  }

  /** A stream that writes the scrubbed text to `target`, looking like it (isTTY, columns). */
  wrap(target: Writable & { isTTY?: boolean; columns?: number }): Writable & { isTTY?: boolean; columns?: number } {
    const scrub = (text: string): string => this.scrub(text);
    const out = new Writable({
      write(chunk: Buffer | string, _enc, cb) {
        // Handed on at once, in order: nothing waits in this stream when the process ends.
        target.write(scrub(chunk.toString()));
        cb();
      },
    }) as Writable & { isTTY?: boolean; columns?: number };
    if (target.isTTY) out.isTTY = true;
    Object.defineProperty(out, 'columns', { get: () => target.columns, enumerable: true });
    return out;
  }
}
