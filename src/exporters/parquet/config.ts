import type { Parquet } from '../../generated/types.js';

/** Options of the `parquet` exporter: schemas/config.v1.schema.json `$defs/parquet`. */
export type ParquetConfig = Parquet;

/** Defaults, equal to the schema's (test/components/defaults.test.ts checks them). */
export const DEFAULT_MAX_ROWS_PER_FILE = 1_000_000;
/** 128 MiB of row JSON held at most before a part is written. */
export const DEFAULT_MAX_BYTES_PER_FILE = 128 * 1024 * 1024;
/** Write unified events unless `ocsf` is set. */
export const DEFAULT_PARQUET_OCSF = false;
/** Prefix of the Security Lake custom sources (`<prefix>-<class_uid>`). */
export const DEFAULT_SECURITY_LAKE_SOURCE = 'auditkit';
