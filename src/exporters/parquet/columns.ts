/**
 * What the parquet exporter and `query --sql` share: the fixed Parquet column types (DuckDB) of
 * both shapes, how they and paths are written into DuckDB SQL, and the files of a dataset.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** A string as a DuckDB SQL literal. */
export const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** Column types as read_ndjson's `columns` argument: `{"name": 'TYPE', ...}` (names quoted: `group` is a keyword). */
export const columnsArg = (columns: Record<string, string>): string =>
  `{${Object.entries(columns)
    .map(([k, t]) => `"${k}": ${sqlString(t)}`)
    .join(', ')}}`;

/** Every file below `dir`, as paths relative to it. */
export async function filesBelow(dir: string): Promise<string[]> {
  return (await readdir(dir, { withFileTypes: true, recursive: true }))
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

const V = 'VARCHAR';
/** The fixed column types (DuckDB), the same in every file. */
export const PARQUET_COLUMNS: Record<string, string> = {
  schema_version: V,
  id: V,
  time: V,
  vendor: V,
  action: `STRUCT(name ${V}, category ${V}, operation ${V})`,
  outcome: `STRUCT(result ${V}, status_code INTEGER)`,
  actor: `STRUCT(id ${V}, email ${V}, name ${V}, ip ${V}, user_agent ${V}, type ${V})`,
  target_user: `STRUCT(id ${V}, email ${V}, name ${V})`,
  resources: `STRUCT(type ${V}, id ${V}, name ${V}, extra ${V})[]`,
  client: `STRUCT(version ${V}, source ${V}, chain ${V})`,
  cloud: `STRUCT(region ${V})`,
  details: V,
  raw: V,
};

const S = (fields: string): string => `STRUCT(${fields})`;
const NAMED = `uid ${V}, name ${V}, type ${V}`;
/** The fixed columns of the OCSF shape: the union of what src/model/ocsf.ts writes in every class; `unmapped` as JSON text. */
export const OCSF_PARQUET_COLUMNS: Record<string, string> = {
  class_uid: 'INTEGER',
  class_name: V,
  category_uid: 'INTEGER',
  category_name: V,
  activity_id: 'INTEGER',
  activity_name: V,
  type_uid: 'BIGINT',
  type_name: V,
  time: 'BIGINT',
  severity_id: 'INTEGER',
  severity: V,
  status_id: 'INTEGER',
  status: V,
  status_code: V,
  message: V,
  metadata: S(
    `version ${V}, product ${S(`name ${V}, vendor_name ${V}, uid ${V}`)}, uid ${V}, log_version ${V}, original_event_uid ${V}, original_time ${V}, log_name ${V}`,
  ),
  actor: S(`user ${S(`uid ${V}, name ${V}, email_addr ${V}`)}, app_name ${V}`),
  src_endpoint: S(`ip ${V}, name ${V}`),
  http_request: S(`user_agent ${V}`),
  user: S(`uid ${V}, name ${V}, email_addr ${V}`),
  service: S(`name ${V}`),
  entity: S(NAMED),
  group: S(NAMED),
  privileges: `${V}[]`,
  resources: `${S(NAMED)}[]`,
  api: S(`operation ${V}, service ${S(`name ${V}`)}`),
  unmapped: V,
};
