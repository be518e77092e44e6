import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { formatLocation } from '../errors.js';
import { describeSchemaErrors, validateAuditEvent } from '../model/validators.js';
import { readRecords } from '../receivers/files/files.js';
import { EXIT, type CliIo } from './io.js';

import { SCHEMA_NAMES } from './schema-names.js';
const SCHEMA_FILES: Record<(typeof SCHEMA_NAMES)[number], string> = {
  event: 'schemas/audit-event.v1.schema.json',
  wandb: 'schemas/vendor/wandb.schema.json',
  snorkel: 'schemas/vendor/snorkel.schema.json',
  wherobots: 'schemas/vendor/wherobots.schema.json',
  config: 'schemas/config.v1.schema.json',
};

/** `auditkit schema NAME`: prints the schema. */
export async function runSchema(name: (typeof SCHEMA_NAMES)[number], root: string, io: CliIo): Promise<number> {
  io.stdout.write(await readFile(path.join(root, SCHEMA_FILES[name]), 'utf8'));
  return EXIT.ok;
}

/** `auditkit validate FILE...`: checks every line of unified NDJSON against the event schema. */
export async function runValidate(files: readonly string[], io: CliIo): Promise<number> {
  let valid = 0;
  let invalid = 0;
  let failed = false;
  for (const file of files) {
    try {
      for await (const rec of readRecords(file, { format: 'ndjson', envelopeKeyOf: () => undefined, envelopeKeys: new Set() })) {
        if (rec.error) {
          invalid++;
          io.stderr.write(`${formatLocation(rec.location)}: ${rec.error.code}: ${rec.error.message}\n`);
        } else if (validateAuditEvent(rec.value)) valid++;
        else {
          invalid++;
          io.stderr.write(
            `${formatLocation(rec.location)}: schema_violation: ${describeSchemaErrors(validateAuditEvent.errors).join('; ')}\n`,
          );
        }
      }
    } catch (err) {
      failed = true;
      io.stderr.write(`${file}: cannot read: ${(err as Error).message}\n`);
    }
  }
  io.stderr.write(`auditkit validate: ${valid} valid, ${invalid} invalid\n`);
  return failed ? EXIT.io : invalid ? EXIT.rejected : EXIT.ok;
}
