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
import { INPUT_FORMATS } from '../receivers/files.js';
import { DEFAULT_OTLP_PROTOCOL, DEFAULT_OTLP_TIMEOUT_MILLIS, OTLP_PROTOCOLS } from '../exporters/otlp.js';
import { PII_PRESETS } from '../redact/pii-policy.js';
import { runConvert, type ConvertCliOptions } from './convert.js';
import { EXIT, type CliIo } from './io.js';
import { runSchema, runValidate, SCHEMA_NAMES } from './schema.js';

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

/** Runs one auditkit command; resolves to the process exit code. */
export async function runCli(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command()
    .name('auditkit')
    .description('Normalize SaaS audit logs into one audit event; redact, validate and deliver them.')
    .version(await version())
    .exitOverride()
    .configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) })
    .showHelpAfterError('(run auditkit --help for usage)');

  program
    .command('convert')
    .description('convert vendor audit log files (or stdin) into unified NDJSON events')
    .argument('[files...]', 'input files; `-` or none reads stdin')
    .addOption(new Option('--from <vendor>', 'vendor of the input, or auto to recognize each record').choices([...VENDORS, 'auto']).default('auto'))
    .addOption(new Option('--input-format <format>', 'input format (default: sniffed from the content)').choices([...INPUT_FORMATS]))
    .addOption(new Option('--to <format>', 'output: unified NDJSON, or OTLP log records').choices(['ndjson', 'otlp']).default('ndjson'))
    .option('-o, --output <file>', 'write events to FILE instead of stdout')
    .option('--endpoint <url>', 'OTLP endpoint (base URL, /v1/logs is added; default: OTEL_EXPORTER_OTLP_LOGS_ENDPOINT)')
    .addOption(new Option('--otlp-protocol <protocol>', 'OTLP encoding').choices([...OTLP_PROTOCOLS]).default(DEFAULT_OTLP_PROTOCOL))
    .option('--header <key=value>', 'OTLP request header, repeatable (default: OTEL_EXPORTER_OTLP_LOGS_HEADERS)', (v: string, prev: string[] = []) => [...prev, v])
    .addOption(new Option('--compression <algorithm>', 'OTLP compression').choices(['gzip', 'none']).default('gzip'))
    .option('--timeout-ms <millis>', 'OTLP request timeout in milliseconds', String(DEFAULT_OTLP_TIMEOUT_MILLIS))
    .addOption(new Option('--redact <preset>', 'PII policy for every output').choices([...PII_PRESETS]).default('off'))
    .option('--hmac-key-env <name>', 'environment variable holding the HMAC key (hash mode; never printed)')
    .option('--hmac-key-id <id>', 'key id written into hashed values (default: a fingerprint of the key)')
    .option('--dead-letter <file>', 'write rejected records, with the reason and original text, to FILE (NDJSON)')
    .option('--keep-raw', 'keep the original vendor record in each event\'s `raw`')
    .option('-q, --quiet', 'no progress bar and no summary')
    .action(async (files: string[], opts: ConvertCliOptions) => {
      code = (await runConvert(files, opts, io)).code;
    });

  program
    .command('schema')
    .description('print a JSON Schema: the unified event, or a vendor input record')
    .addArgument(program.createArgument('[name]', 'which schema').choices([...SCHEMA_NAMES]).default('event'))
    .action(async (name: (typeof SCHEMA_NAMES)[number]) => {
      code = await runSchema(name, PACKAGE_ROOT, io);
    });

  program
    .command('validate')
    .description('check unified NDJSON event files against the event schema')
    .argument('<files...>', 'NDJSON files of events')
    .action(async (files: string[]) => {
      code = await runValidate(files, io);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help' ? EXIT.ok : EXIT.usage;
    }
    throw err;
  }
  return code;
}

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === realpathSync(process.argv[1]);
if (invokedDirectly) {
  process.exitCode = await runCli(process.argv.slice(2));
}
