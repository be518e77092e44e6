/** The OCSF 1.8.0 JSON Schema (schemas/ocsf/, generated from ocsf/ocsf-schema v1.8.0) compiled once for tests. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { ROOT } from './golden.js';

export const ocsfAjv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
/** True when `value` is an OCSF 1.8.0 event of one of the classes auditkit writes; errors in `validateOcsf.errors`. */
export const validateOcsf = ocsfAjv.compile(
  JSON.parse(readFileSync(path.join(ROOT, 'schemas/ocsf/ocsf-1.8.0.schema.json'), 'utf8')) as object,
);
