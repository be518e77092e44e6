/**
 * Options of the `ndjson` exporter: unified NDJSON to a file or to standard output. The CLI's
 * `convert` and `pull` use it for `--to ndjson`; it has no YAML form (`auditkit run` archives
 * with `ndjson_file`).
 */
export interface NdjsonConfig {
  /** The file to write (created or truncated); `-` or absent: the context's stdout. */
  path?: string;
  /** Write each event as its OCSF 1.8.0 event (`--to ocsf`) instead of the unified event. */
  ocsf?: boolean;
}
