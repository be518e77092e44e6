/**
 * Every flag either takes effect or is refused (issue 13, item 2). `FLAG_RULES` is the table of
 * flags that apply only in some combinations: a flag the user typed where its rule does not
 * hold is a usage error naming the flag and what to add or remove. Where the intent is clear and
 * safe, `resolveFlags` honours it instead and says so (`HONOURED`). README's "Refused flag
 * combinations" table lists the same rules (test/cli/flags.test.ts checks both ways).
 */
import type { ConfigProblem } from '../errors.js';

export type FlagCommand = 'convert' | 'pull' | 'query';

/** What the rules look at: the command, the pulled vendor, every option value, and which flags were typed. */
export interface FlagContext {
  command: FlagCommand;
  vendor?: string;
  values: Record<string, unknown>;
  /** Option attribute names (`signKeyFile`) given on the command line, not defaulted. */
  given: ReadonlySet<string>;
}

export interface FlagRule {
  commands: readonly FlagCommand[];
  /** Option attribute names, as commander keeps them (`signKeyFile` for `--sign-key-file`). */
  options: readonly string[];
  /** When the flags apply. */
  applies(c: FlagContext): boolean;
  /** Why not, and what to add or remove (after `--flag `). */
  refusal: string;
}

/** `signKeyFile` -> `--sign-key-file`. */
export const flagName = (option: string): string => `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

const to = (c: FlagContext): unknown => c.values.to ?? 'ndjson';
const redact = (c: FlagContext): unknown => c.values.redact ?? 'off';

export const FLAG_RULES: readonly FlagRule[] = [
  {
    commands: ['convert', 'pull'],
    options: ['maxFileBytes', 'maxFileAgeSecs', 'anchorFile', 'dedupeWindowSecs', 'waitLockSecs', 'signKeyFile', 'signHmacKeyEnv'],
    applies: (c) => to(c) === 'archive',
    refusal: 'applies only to --to archive: add --to archive or remove it',
  },
  {
    commands: ['convert', 'pull'],
    options: ['signKeyId'],
    applies: (c) => to(c) === 'archive' && (c.given.has('signKeyFile') || c.given.has('signHmacKeyEnv')),
    refusal: 'names the key that signs the archive: add --to archive with --sign-key-file or --sign-hmac-key-env, or remove it',
  },
  {
    commands: ['convert', 'pull'],
    options: ['endpoint', 'otlpProtocol', 'header', 'compression', 'timeoutMs'],
    applies: (c) => to(c) === 'otlp',
    refusal: 'applies only to --to otlp: add --to otlp or remove it',
  },
  {
    commands: ['convert', 'pull'],
    options: ['hmacKeyId'],
    applies: (c) => c.given.has('hmacKeyEnv'),
    refusal: 'names the key of --hmac-key-env: add --hmac-key-env or remove it',
  },
  {
    commands: ['convert', 'pull'],
    options: ['hmacKeyEnv'],
    applies: (c) => !c.given.has('redact') || redact(c) === 'default',
    refusal: 'hashes e-mails and names under --redact default; --redact off and --redact wandb-anonymize do not hash: remove one of them',
  },
  {
    commands: ['convert'],
    options: ['keepRaw'],
    applies: (c) => redact(c) === 'off',
    refusal: 'keeps the vendor record unredacted, which --redact removes: remove --keep-raw or --redact',
  },
  {
    commands: ['convert'],
    options: ['jobs'],
    applies: (c) => to(c) === 'ndjson',
    refusal: 'applies only to NDJSON output (--to ndjson): remove it',
  },
  {
    commands: ['pull'],
    options: ['username', 'deployment', 'anonymize'],
    applies: (c) => c.vendor === 'wandb',
    refusal: 'applies only to pull wandb: remove it',
  },
  {
    commands: ['pull'],
    options: ['anonymize'],
    applies: (c) => c.values.deployment !== 'multi-tenant' || redact(c) !== 'off' || !c.given.has('redact'),
    refusal:
      'is ignored by the multi-tenant API, so auditkit redacts instead, which --redact off forbids: remove --redact off or --anonymize',
  },
  {
    commands: ['pull'],
    options: ['pageSize'],
    applies: (c) => c.vendor === 'wandb' || (c.vendor === 'wherobots' && c.values.mode !== 'csv'),
    refusal: 'applies only to pull wandb and to pull wherobots in --mode api (Snorkel Flow: --limit): remove it',
  },
  {
    commands: ['pull'],
    options: ['limit', 'maxLimit', 'apiKeyHeader', 'apiKeyPrefix'],
    applies: (c) => c.vendor === 'snorkel',
    refusal: 'applies only to pull snorkel (W&B and Wherobots: --page-size): remove it',
  },
  {
    commands: ['pull'],
    options: ['mode'],
    applies: (c) => c.vendor === 'wherobots',
    refusal: 'applies only to pull wherobots: remove it',
  },
  {
    commands: ['query'],
    options: ['since', 'until', 'vendor', 'actor', 'action', 'search'],
    applies: (c) => c.values.sql === undefined,
    refusal: 'is a filter of the events, which --sql replaces: put it in the SQL (WHERE ...) or remove --sql',
  },
  {
    commands: ['query'],
    options: ['csvRaw'],
    applies: (c) => c.values.format === 'csv',
    refusal: 'applies only to --format csv: add --format csv or remove it',
  },
];

/** Combinations whose intent is clear and safe: honoured, and said on stderr. */
export const HONOURED = [
  {
    when: '--hmac-key-env without --redact',
    does: 'hashes e-mails and names under --redact default',
  },
  {
    when: 'pull wandb --anonymize --deployment multi-tenant',
    does: 'the multi-tenant API ignores anonymize, so auditkit applies --redact wandb-anonymize itself (--redact default with --hmac-key-env; an explicit --redact stays)',
  },
] as const;

/**
 * Refuses flags whose rule does not hold, and honours the clear intents of `HONOURED` by
 * setting `values.redact`. Returns the problems (a usage error) and the notes to print.
 */
export function resolveFlags(c: FlagContext): { problems: ConfigProblem[]; notes: string[] } {
  const problems: ConfigProblem[] = [];
  const notes: string[] = [];
  for (const rule of FLAG_RULES) {
    if (!rule.commands.includes(c.command)) continue;
    for (const option of rule.options) {
      if (c.given.has(option) && !rule.applies(c)) problems.push({ path: flagName(option), message: rule.refusal });
    }
  }
  if (problems.length) return { problems, notes };
  const redactGiven = c.given.has('redact');
  if (c.given.has('anonymize') && c.values.deployment === 'multi-tenant') {
    if (!redactGiven) c.values.redact = c.given.has('hmacKeyEnv') ? 'default' : 'wandb-anonymize';
    notes.push(
      `--anonymize: the multi-tenant API ignores it, so auditkit applies --redact ${String(c.values.redact)} to every event itself`,
    );
  } else if (c.given.has('hmacKeyEnv') && !redactGiven) {
    c.values.redact = 'default';
    notes.push('--hmac-key-env without --redact: e-mails and names are hashed under --redact default');
  }
  return { problems, notes };
}
