/** Every `DEFAULT_*` constant equals the default schemas/config.v1.schema.json declares for its option. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { SNORKEL_DEFAULT_API_KEY_HEADER, SNORKEL_DEFAULT_LIMIT, SNORKEL_DEFAULT_MAX_LIMIT } from '../../adapters/snorkel/client.js';
import { WANDB_DEFAULT_ANONYMIZE, WANDB_DEFAULT_DEPLOYMENT, WANDB_DEFAULT_PAGE_SIZE } from '../../adapters/wandb/client.js';
import { WHEROBOTS_DEFAULT_MODE, WHEROBOTS_DEFAULT_PAGE_SIZE } from '../../adapters/wherobots/client.js';
import {
  DEFAULT_MAX_FILE_AGE_SECS,
  DEFAULT_MAX_FILE_BYTES,
  DEFAULT_WAIT_LOCK_SECS,
  DEFAULT_DEDUPE_WINDOW_SECS,
  DEFAULT_HEARTBEAT_SECS,
  DEFAULT_NDJSON_FILE_OCSF,
} from '../../src/exporters/ndjson_file/config.js';
import {
  DEFAULT_OTLP_COMPRESSION,
  DEFAULT_OTLP_TIMEOUT_MILLIS,
  DEFAULT_SENDING_QUEUE_ENABLED,
  DEFAULT_SENDING_QUEUE_MAX_BATCHES,
} from '../../src/exporters/otlp/config.js';
import { DEFAULT_STATE_DIRECTORY } from '../../src/pipeline/config.js';
import {
  DEFAULT_MAX_BYTES_PER_FILE,
  DEFAULT_MAX_ROWS_PER_FILE,
  DEFAULT_PARQUET_OCSF,
  DEFAULT_SECURITY_LAKE_SOURCE,
} from '../../src/exporters/parquet/config.js';
import {
  DEFAULT_GRPC_ENDPOINT,
  DEFAULT_HTTP_ENDPOINT,
  DEFAULT_KEEP_RAW,
  DEFAULT_LOGS_URL_PATH,
  DEFAULT_MAX_RECV_MSG_SIZE_MIB,
  DEFAULT_MAX_REQUEST_BODY_SIZE,
} from '../../src/receivers/otlp/config.js';
import { DEFAULT_MASK, DEFAULT_PRESET } from '../../src/processors/redact/config.js';
import {
  DEFAULT_ALLOW_ALL_KEYS,
  DEFAULT_ALLOW_FALLBACK_WITHOUT_SYSTEM,
  DEFAULT_REDACT_ALL_TYPES,
  DEFAULT_SANITIZER_ENABLED,
  DEFAULT_SANITIZE_LOG_BODY,
} from '../../src/processors/redaction/config.js';
import { DB_KINDS } from '../../src/processors/redaction/db-sanitizer.js';
import { DEFAULT_ON_INVALID } from '../../src/processors/validate/config.js';
import {
  DEFAULT_OVERLAP_SECS,
  DEFAULT_POLL_INTERVAL_SECS,
  DEFAULT_RETRIES,
  DEFAULT_TIMEOUT_SECS,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_MAX_PAGES,
} from '../../src/receivers/vendor_api/config.js';
import { ROOT } from '../helpers/golden.js';

interface Schema {
  default?: unknown;
  properties?: Record<string, Schema>;
  $defs?: Record<string, Schema>;
}
const schema = JSON.parse(readFileSync(path.join(ROOT, 'schemas/config.v1.schema.json'), 'utf8')) as Schema;

/** The schema default at a dotted path below `$defs/<def>` (or the root for `def` = '.'). */
function schemaDefault(def: string, option: string): unknown {
  let node: Schema | undefined = def === '.' ? schema : schema.$defs?.[def];
  for (const key of option.split('.')) node = node?.properties?.[key];
  return node?.default;
}

const CASES: [string, string, unknown][] = [
  ['.', 'service.state_directory', DEFAULT_STATE_DIRECTORY],
  ...(['wandb', 'snorkel', 'wherobots'] as const).flatMap((r): [string, string, unknown][] => [
    [r, 'poll_interval_secs', DEFAULT_POLL_INTERVAL_SECS],
    [r, 'overlap_secs', DEFAULT_OVERLAP_SECS],
    [r, 'timeout_secs', DEFAULT_TIMEOUT_SECS],
    [r, 'retries', DEFAULT_RETRIES],
    [r, 'max_response_bytes', DEFAULT_MAX_RESPONSE_BYTES],
    [r, 'max_pages', DEFAULT_MAX_PAGES],
  ]),
  ['wandb', 'deployment', WANDB_DEFAULT_DEPLOYMENT],
  ['wandb', 'anonymize', WANDB_DEFAULT_ANONYMIZE],
  ['wandb', 'page_size', WANDB_DEFAULT_PAGE_SIZE],
  ['snorkel', 'limit', SNORKEL_DEFAULT_LIMIT],
  ['snorkel', 'max_limit', SNORKEL_DEFAULT_MAX_LIMIT],
  ['snorkel', 'api_key_header', SNORKEL_DEFAULT_API_KEY_HEADER],
  ['wherobots', 'mode', WHEROBOTS_DEFAULT_MODE],
  ['wherobots', 'page_size', WHEROBOTS_DEFAULT_PAGE_SIZE],
  ['redact', 'preset', DEFAULT_PRESET],
  ['redact', 'mask', DEFAULT_MASK],
  ['validate', 'on_invalid', DEFAULT_ON_INVALID],
  ['redaction', 'allow_all_keys', DEFAULT_ALLOW_ALL_KEYS],
  ['redaction', 'redact_all_types', DEFAULT_REDACT_ALL_TYPES],
  ['redaction', 'url_sanitizer.enabled', DEFAULT_SANITIZER_ENABLED],
  ['redaction', 'url_sanitizer.sanitize_log_body', DEFAULT_SANITIZE_LOG_BODY],
  ...DB_KINDS.map((k): [string, string, unknown] => ['redaction', `db_sanitizer.${k}.enabled`, DEFAULT_SANITIZER_ENABLED]),
  ['redaction', 'db_sanitizer.allow_fallback_without_system', DEFAULT_ALLOW_FALLBACK_WITHOUT_SYSTEM],
  ['otlp_receiver', 'protocols.http.endpoint', DEFAULT_HTTP_ENDPOINT],
  ['otlp_receiver', 'protocols.http.logs_url_path', DEFAULT_LOGS_URL_PATH],
  ['otlp_receiver', 'protocols.http.max_request_body_size', DEFAULT_MAX_REQUEST_BODY_SIZE],
  ['otlp_receiver', 'protocols.grpc.endpoint', DEFAULT_GRPC_ENDPOINT],
  ['otlp_receiver', 'protocols.grpc.max_recv_msg_size_mib', DEFAULT_MAX_RECV_MSG_SIZE_MIB],
  ['otlp_receiver', 'keep_raw', DEFAULT_KEEP_RAW],
  ['parquet', 'max_rows_per_file', DEFAULT_MAX_ROWS_PER_FILE],
  ['parquet', 'max_bytes_per_file', DEFAULT_MAX_BYTES_PER_FILE],
  ['parquet', 'ocsf', DEFAULT_PARQUET_OCSF],
  ['parquet', 'security_lake.source_name', DEFAULT_SECURITY_LAKE_SOURCE],
  ['otlp', 'compression', DEFAULT_OTLP_COMPRESSION],
  ['otlp', 'timeout_secs', DEFAULT_OTLP_TIMEOUT_MILLIS / 1000],
  ['otlp', 'sending_queue.enabled', DEFAULT_SENDING_QUEUE_ENABLED],
  ['otlp', 'sending_queue.max_batches', DEFAULT_SENDING_QUEUE_MAX_BATCHES],
  ['ndjson_file', 'max_file_bytes', DEFAULT_MAX_FILE_BYTES],
  ['ndjson_file', 'max_file_age_secs', DEFAULT_MAX_FILE_AGE_SECS],
  ['ndjson_file', 'wait_lock_secs', DEFAULT_WAIT_LOCK_SECS],
  ['ndjson_file', 'dedupe_window_secs', DEFAULT_DEDUPE_WINDOW_SECS],
  ['ndjson_file', 'heartbeat_secs', DEFAULT_HEARTBEAT_SECS],
  ['ndjson_file', 'ocsf', DEFAULT_NDJSON_FILE_OCSF],
];

t.test('DEFAULT_* constants equal the schema defaults', async (t) => {
  for (const [def, option, constant] of CASES)
    t.equal(constant, schemaDefault(def, option), `${def === '.' ? '' : `$defs/${def}.`}${option}`);
});

t.test('every default the schema declares has a constant', async (t) => {
  const declared: string[] = [];
  const walk = (def: string, node: Schema, prefix: string): void => {
    for (const [k, v] of Object.entries(node.properties ?? {})) {
      if (v.default !== undefined) declared.push(`${def}:${prefix}${k}`);
      walk(def, v, `${prefix}${k}.`);
    }
  };
  for (const [def, node] of Object.entries(schema.$defs ?? {})) walk(def, node, '');
  walk('.', schema, '');
  t.same(
    declared.filter((d) => !CASES.some(([def, option]) => `${def}:${option}` === d)),
    [],
    'no default without its constant',
  );
});
