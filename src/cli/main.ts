#!/usr/bin/env node
/**
 * The `auditkit` command line. `runCli(argv, io)` runs one command and resolves to its exit
 * code, so tests run it in-process; the bottom of this file is the executable entry point.
 */
import { existsSync, realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { VENDORS } from '../model/event.js';
import { INPUT_FORMATS } from '../receivers/files/files.js';
import { DEFAULT_OTLP_PROTOCOL, DEFAULT_OTLP_TIMEOUT_MILLIS, OTLP_PROTOCOLS } from '../exporters/otlp/options.js';
import { PII_PRESETS } from '../redact/pii-policy.js';
import type { ConvertCliOptions } from './convert.js';
import { DEFAULT_DRAIN_TIMEOUT_SECS, EXIT, type CliIo } from './io.js';
import { SCHEMA_NAMES } from './schema-names.js';
import { Scrubber } from './scrub.js';
import type { FlagCommand } from './flags.js';
// Commands load their modules when they run: starting the CLI stays cheap.
import type { QueryCliOptions, VerifyCliOptions } from './archive.js';
import type { PullCliOptions } from './pull.js';
import type { RunCliOptions } from './run.js';
import type { Vendor } from '../model/event.js';

/** The package root: src/cli/ in a checkout, dist/src/cli/ when built. */
const PACKAGE_ROOT = ((): string => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();

async function version(): Promise<string> {
  const pkg = JSON.parse(await readFile(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** The output flags `convert` and `pull` share. */
function addOutputOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        '--to <format>',
        'output: unified NDJSON, OCSF 1.8.0 events (NDJSON), OTLP log records, a tamper-evident archive, or Hive-partitioned Parquet (-o DIR)',
      )
        .choices(['ndjson', 'ocsf', 'otlp', 'archive', 'parquet'])
        .default('ndjson'),
    )
    .option('-o, --output <path>', 'write events to FILE instead of stdout (the directory with --to archive or parquet)')
    .option('--max-file-bytes <bytes>', 'archive: rotate segments at this size (default 67108864)')
    .option('--max-file-age-secs <secs>', 'archive: rotate segments at this age (default 3600)')
    .option('--anchor-file <path>', 'archive: after every flush, record the head here (keep it outside the archive)')
    .option(
      '--dedupe-window-secs <secs>',
      'archive: skip events whose id is in a segment written this recently (default 2592000, 30 days; 0: off)',
    )
    .option('--wait-lock-secs <secs>', 'archive: wait this long for another writer to finish (default 0: fail at once, exit 3)')
    .option('--sign-key-file <pem>', 'archive: sign digests with this Ed25519 private key')
    .option('--sign-hmac-key-env <name>', 'archive: sign digests with HMAC-SHA256, key in this environment variable')
    .option('--sign-key-id <id>', 'archive: key id written into signatures (default: a key fingerprint)')
    .option(
      '--endpoint <url>',
      'OTLP endpoint: a base URL gets /v1/logs, a URL with a path is used as is (default: OTEL_EXPORTER_OTLP_LOGS_ENDPOINT, or OTEL_EXPORTER_OTLP_ENDPOINT + /v1/logs)',
    )
    .addOption(
      new Option(
        '--otlp-protocol <protocol>',
        `OTLP transport (default: OTEL_EXPORTER_OTLP_LOGS_PROTOCOL, OTEL_EXPORTER_OTLP_PROTOCOL, else ${DEFAULT_OTLP_PROTOCOL})`,
      ).choices([...OTLP_PROTOCOLS]),
    )
    .option(
      '--header <key=value>',
      'OTLP request header, repeatable (default: OTEL_EXPORTER_OTLP_LOGS_HEADERS)',
      (v: string, prev: string[] | undefined) => [...(prev ?? []), v],
    )
    .addOption(
      new Option(
        '--compression <algorithm>',
        'OTLP compression (default: OTEL_EXPORTER_OTLP_LOGS_COMPRESSION, OTEL_EXPORTER_OTLP_COMPRESSION, else gzip)',
      ).choices(['gzip', 'none']),
    )
    .option(
      '--timeout-ms <millis>',
      `OTLP request timeout in milliseconds (default: OTEL_EXPORTER_OTLP_LOGS_TIMEOUT, OTEL_EXPORTER_OTLP_TIMEOUT, else ${DEFAULT_OTLP_TIMEOUT_MILLIS})`,
    )
    .addOption(new Option('--redact <preset>', 'PII policy for every output').choices([...PII_PRESETS]).default('off'))
    .option('--hmac-key-env <name>', 'environment variable holding the HMAC key (hash mode; never printed)')
    .option('--hmac-key-id <id>', 'key id written into hashed values (default: a fingerprint of the key)');
}

/** Runs one auditkit command; resolves to the process exit code. */
export async function runCli(
  argv: readonly string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin },
): Promise<number> {
  let code: number = EXIT.ok;
  // Everything on stderr is scrubbed of the secrets this command line names (and, under a
  // redacting policy, passes through it): scrub.ts.
  const scrubber = new Scrubber(process.env);
  scrubber.addFromArgv(argv);
  io = { ...io, stderr: scrubber.wrap(io.stderr), secrets: scrubber };
  const program = new Command()
    .name('auditkit')
    .description('Normalize SaaS audit logs into one audit event; redact, validate and deliver them.')
    .version(await version())
    .exitOverride()
    .configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) })
    .showHelpAfterError('(run auditkit --help for usage)');

  /** Applies the flag rules (src/cli/flags.ts): false, with the usage error printed, when a flag is refused. */
  const flagsHold = async (cmd: Command, command: FlagCommand, opts: object, vendor?: string): Promise<boolean> => {
    const { resolveFlags } = await import('./flags.js');
    const values = opts as Record<string, unknown>;
    const given = new Set(Object.keys(values).filter((k) => cmd.getOptionValueSource(k) === 'cli'));
    const { problems, notes } = resolveFlags({ command, ...(vendor ? { vendor } : {}), values, given });
    for (const p of problems) io.stderr.write(`auditkit ${command}: ${p.path}: ${p.message}\n`);
    if (problems.length) {
      code = EXIT.usage;
      return false;
    }
    for (const n of notes) io.stderr.write(`auditkit ${command}: note: ${n}\n`);
    return true;
  };

  const convert = program
    .command('convert')
    .description('convert vendor audit log files (or stdin) into unified NDJSON events')
    .argument('[files...]', 'input files; `-` or none reads stdin')
    .addOption(
      new Option('--from <vendor>', 'vendor of the input, or auto to recognize each record').choices([...VENDORS, 'auto']).default('auto'),
    )
    .addOption(new Option('--input-format <format>', 'input format (default: sniffed from the content)').choices([...INPUT_FORMATS]))
    .option('--max-record-bytes <bytes>', 'a record longer than this is rejected alone, its first KiB kept (default 4194304)')
    .option('--max-input-bytes <bytes>', 'stop reading an input after this many decompressed bytes (a gzip bomb; default: no limit)')
    .option('--dead-letter <file>', 'write rejected records, with the reason and original text, to FILE (NDJSON)')
    .option('--keep-raw', "keep the original vendor record in each event's `raw`")
    .option(
      '--jobs <n>',
      'worker threads for NDJSON to NDJSON output: 1 to 64, or auto (one per core, up to 4); faster, uses more memory (default 1)',
    )
    .option('-q, --quiet', 'no progress bar and no summary');
  addOutputOptions(convert).action(async (files: string[], opts: ConvertCliOptions) => {
    if (!(await flagsHold(convert, 'convert', opts))) return;
    code = (await (await import('./convert.js')).runConvert(files, opts, io)).code;
  });

  const pull = program
    .command('pull')
    .description('pull a vendor audit log API from its checkpoint into unified NDJSON, OTLP or an archive')
    .addArgument(program.createArgument('<vendor>', 'vendor').choices([...VENDORS]))
    .requiredOption(
      '--url <url>',
      'vendor API base URL (W&B instance URL, https://api.wandb.ai, Snorkel Flow URL, https://api.cloud.wherobots.com)',
    )
    .option('--since <time>', 'start when there is no checkpoint yet (any time form; W&B and Wherobots need it)')
    .option('--until <time>', 'end of the range, exclusive (default: now)')
    .requiredOption('--state <dir>', 'checkpoint directory')
    .requiredOption('--api-key-env <name>', 'environment variable holding the API key (never printed)')
    .option('--username <name>', 'W&B: Basic auth user name')
    .addOption(new Option('--deployment <kind>', 'W&B deployment').choices(['self-managed', 'dedicated', 'multi-tenant']))
    .option('--anonymize', 'W&B: ask for anonymized logs (Self-Managed, Dedicated)')
    .option('--page-size <n>', 'W&B limit / Wherobots size per page')
    .option('--limit <n>', 'Snorkel Flow: records per pull (default 1000)')
    .option('--max-limit <n>', 'Snorkel Flow: double --limit up to this when an answer may hide older records (default 100000)')
    .addOption(new Option('--mode <mode>', 'Wherobots: paged API or the CSV export').choices(['api', 'csv']))
    .option('--api-key-header <name>', 'Snorkel Flow: header carrying the key (default Authorization)')
    .option('--api-key-prefix <text>', 'Snorkel Flow: text before the key (default "Bearer " for Authorization)')
    .option('--overlap-secs <n>', 'look again this far before the checkpoint (default 600)')
    .option('--timeout-secs <n>', 'per-request timeout (default 30)')
    .option('--retries <n>', 'retries for 429, 5xx and network failures (default 6)')
    .option('--max-response-bytes <bytes>', 'a response larger than this stops the pull (default 268435456)')
    .option('--max-pages <n>', 'pages one window may take before the pull stops (default 100000)')
    .option('--dead-letter <file>', 'write rejected records to FILE (NDJSON)')
    .option('-q, --quiet', 'no summary');
  addOutputOptions(pull).action(async (vendor: Vendor, opts: PullCliOptions) => {
    if (!(await flagsHold(pull, 'pull', opts, vendor))) return;
    code = await (await import('./pull.js')).runPull(vendor, opts, io);
  });

  program
    .command('run')
    .description('run the pipelines of a Collector-shaped YAML configuration')
    .requiredOption('--config <file>', 'configuration file')
    .option('--once', 'pull every receiver once, drain the sending queues and exit')
    .option('--drain-timeout-secs <n>', 'how long to wait for sending queues to empty', String(DEFAULT_DRAIN_TIMEOUT_SECS))
    .action(async (opts: RunCliOptions) => {
      code = await (await import('./run.js')).runRun(opts, io);
    });

  program
    .command('verify')
    .description('check a tamper-evident archive: every segment, line and digest; exit 0 only when all hold')
    .argument('<dir>', 'archive directory')
    .option('--public-key <pem>', 'Ed25519 public (or private) key to check digest signatures')
    .option('--hmac-key-env <name>', 'environment variable with the HMAC key to check digest signatures')
    .option('--strict', 'also fail on lines written after the last flush (not covered yet)')
    .option('--require-signatures', 'fail on any digest that is not signed (catches stripped signatures without a key)')
    .option('--anchor-file <path>', 'the head anchor the writer kept outside the archive: fail when the archive ends before it or diverges')
    .option('--max-silence-secs <secs>', 'fail when the newest digest was sealed longer ago than this')
    .option('-q, --quiet', 'no summary line')
    .action(async (dir: string, opts: VerifyCliOptions) => {
      code = await (await import('./archive.js')).runVerify(dir, opts, io);
    });

  const query = program
    .command('query')
    .description('stream the events of an archive, filtered; or SQL over an archive or a Parquet dataset')
    .argument('<dir>', 'archive directory, or a Parquet dataset (with --sql)')
    .option('--since <time>', 'events at or after this time (RFC 3339)')
    .option('--until <time>', 'events before this time (RFC 3339)')
    .addOption(new Option('--vendor <vendor>', 'only this vendor').choices([...VENDORS]))
    .option('--actor <text>', 'actor id, e-mail or name contains TEXT')
    .option('--action <text>', 'action name contains TEXT, or category/operation equals it')
    .option('--search <text>', 'any field contains TEXT (case-insensitive)')
    .option('--sql <query>', 'SQL over the events (the table events; ocsf for OCSF events), through DuckDB, instead of the filters')
    .addOption(new Option('--format <format>', 'output format').choices(['ndjson', 'csv', 'table']).default('ndjson'))
    .option('--csv-raw', "CSV: write cells as they are (by default a cell starting with = + - @ gets a leading ')")
    .action(async (dir: string, opts: QueryCliOptions) => {
      if (!(await flagsHold(query, 'query', opts))) return;
      code = await (await import('./archive.js')).runQuery(dir, opts, io);
    });

  program
    .command('schema')
    .description('print a JSON Schema: the unified event, or a vendor input record')
    .addArgument(
      program
        .createArgument('[name]', 'which schema')
        .choices([...SCHEMA_NAMES])
        .default('event'),
    )
    .action(async (name: (typeof SCHEMA_NAMES)[number]) => {
      code = await (await import('./schema.js')).runSchema(name, PACKAGE_ROOT, io);
    });

  program
    .command('validate')
    .description('check unified NDJSON event files against the event schema')
    .argument('<files...>', 'NDJSON files of events')
    .action(async (files: string[]) => {
      code = await (await import('./schema.js')).runValidate(files, io);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help'
        ? EXIT.ok
        : EXIT.usage;
    }
    // An OS error no command caught (stdout on a full disk, a closed descriptor): one line, exit 3.
    const errno = err as NodeJS.ErrnoException;
    if (typeof errno.code === 'string' && typeof errno.syscall === 'string') {
      const target = errno.path ?? (errno.syscall === 'write' ? 'stdout' : errno.syscall);
      io.stderr.write(`auditkit ${argv[0] ?? ''}: cannot ${errno.syscall} ${target}: ${errno.code}\n`);
      return EXIT.io;
    }
    throw err;
  }
  return code;
}

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === realpathSync(process.argv[1]);
if (invokedDirectly) {
  // A reader that stops early (`| head`) is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(`auditkit ${process.argv[2] ?? ''}: cannot write stdout: ${err.code ?? err.message}\n`);
    process.exit(EXIT.io);
  });
  process.exitCode = await runCli(process.argv.slice(2));
}
