import type { Parquet } from '../../generated/types.js';

/** Options of the `parquet` exporter: schemas/config.v1.schema.json `$defs/parquet`. */
export type ParquetConfig = Parquet;

/** Defaults, equal to the schema's (test/components/defaults.test.ts checks them). */
export const DEFAULT_MAX_ROWS_PER_FILE = 1_000_000;
