import type { AuditEvent, NormalizeOptions, Resource } from '../../src/model/event.js';
import { SCHEMA_VERSION, eventId, nonEmpty, setOwn, unmappedDetails } from '../../src/model/event.js';
import { lowerSnake } from '../../src/model/catalog.js';
import { toUtcTime } from '../../src/model/time.js';
import { checkRecord, validateWherobotsRecord } from '../../src/model/validators.js';
import type { WherobotsAuditRecord } from '../../src/generated/types.js';
import { WHEROBOTS_ACTIONS } from './actions.js';

/** API field names, in the order of the vendor's OpenAPI item. */
export const WHEROBOTS_FIELDS = [
  'event_id',
  'event_time',
  'action_name',
  'user_id',
  'user_name',
  'user_agent',
  'source_ip',
  'resource_name',
  'resource_id',
  'compute_region',
  'client_chain',
  'source_client',
] as const;

const MAPPED: ReadonlySet<string> = new Set(WHEROBOTS_FIELDS);

const headerKey = (h: string): string =>
  h
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');

/**
 * CSV header -> API field name. The export's header row is unconfirmed, so both the UI's
 * column names (Time, User, Action, Resource, IP Address, User Agent, Region) and the API's
 * field names are accepted, case-insensitively and with `_`, `-` and spaces alike.
 */
const COLUMN_TO_FIELD: ReadonlyMap<string, string> = new Map([
  ...WHEROBOTS_FIELDS.map((f) => [headerKey(f), f] as const),
  ['time', 'event_time'],
  ['user', 'user_name'],
  ['action', 'action_name'],
  ['resource', 'resource_name'],
  ['ip address', 'source_ip'],
  ['ip', 'source_ip'],
  ['user agent', 'user_agent'],
  ['region', 'compute_region'],
]);

const columnMemo = new Map<string, string>();

/** Maps a CSV header cell to its API field name, or returns it unchanged (kept in details). */
export function wherobotsColumn(header: string): string {
  let field = columnMemo.get(header);
  if (field === undefined) {
    field = COLUMN_TO_FIELD.get(headerKey(header)) ?? header;
    // Headers repeat on every row: remember them (bounded, a header is data).
    if (columnMemo.size < 1000) columnMemo.set(header, field);
  }
  return field;
}

/**
 * The record with CSV column names renamed to API field names; empty cells are kept (the adapter
 * reads them as absent and keeps them in details). When several keys name one field (`ip` and
 * `source_ip`), a non-empty value wins over an empty one, then the API's own name, else the
 * smallest key, whatever the key order; the others keep their names (in details).
 */
function renameColumns(raw: Record<string, unknown>): Record<string, unknown> {
  const renamed: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    const field = wherobotsColumn(k);
    if (Object.hasOwn(renamed, field)) return renameCollidingColumns(raw);
    setOwn(renamed, field, v);
  }
  return renamed;
}

function renameCollidingColumns(raw: Record<string, unknown>): Record<string, unknown> {
  const keysOf = new Map<string, string[]>(); // field -> the record's keys that name it
  for (const k of Object.keys(raw)) {
    const field = wherobotsColumn(k);
    const keys = keysOf.get(field);
    if (keys) keys.push(k);
    else keysOf.set(field, [k]);
  }
  const renamed: Record<string, unknown> = {};
  for (const [field, keys] of keysOf) {
    const filled = keys.filter((k) => raw[k] !== '');
    const pool = filled.length ? filled : keys;
    const winner = pool.includes(field) ? field : pool.reduce((a, b) => (b < a ? b : a));
    for (const k of keys) setOwn(renamed, k === winner ? field : k, raw[k]);
  }
  return renamed;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Maps one Wherobots audit log item (`GET /audit-log` `items`) or CSV export row to an
 * AuditEvent. A CSV row may use the UI's column names; they are renamed to API names first.
 * Empty strings (what a CSV cell holds for "no value") are read as absent. Times with an
 * offset become UTC.
 */
export function normalizeWherobots(raw: unknown, options: NormalizeOptions = {}): AuditEvent {
  let input = raw;
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    input = renameColumns(raw as Record<string, unknown>);
  }
  const rec: WherobotsAuditRecord = checkRecord(validateWherobotsRecord, input, 'Wherobots audit log');
  const v = (k: (typeof WHEROBOTS_FIELDS)[number]): string | undefined => {
    const value = rec[k];
    return value === null || value === '' ? undefined : value;
  };
  const entry = WHEROBOTS_ACTIONS.get(rec.action_name);
  const event: AuditEvent = {
    schema_version: SCHEMA_VERSION,
    // Hashed without empty cells, so ids are those earlier versions (which dropped them) gave.
    id: eventId('wherobots', v('event_id'), withoutEmptyStrings(input)),
    time: toUtcTime(rec.event_time, '/event_time'),
    vendor: 'wherobots',
    action: {
      name: rec.action_name,
      category: entry?.category ?? lowerSnake(rec.action_name),
      operation: entry?.operation ?? 'other',
    },
    outcome: { result: 'unknown' },
  };
  // The UI's "User" column is the member's e-mail address; an API user_name that is an
  // e-mail address is therefore carried as actor.email, any other as actor.name.
  const userName = v('user_name');
  const isEmail = userName !== undefined && EMAIL.test(userName);
  const actor = nonEmpty({
    id: v('user_id'),
    email: isEmail ? userName : undefined,
    name: isEmail ? undefined : userName,
    ip: v('source_ip'),
    user_agent: v('user_agent'),
  });
  if (actor) event.actor = actor;
  const resourceId = v('resource_id');
  const resourceName = v('resource_name');
  if (resourceId !== undefined || resourceName !== undefined) {
    const r: Resource = { type: event.action.category };
    if (resourceId !== undefined) r.id = resourceId;
    if (resourceName !== undefined) r.name = resourceName;
    event.resources = [r];
  }
  const client = nonEmpty({ source: v('source_client'), chain: v('client_chain') });
  if (client) event.client = client;
  const region = v('compute_region');
  if (region !== undefined) event.cloud = { region };
  // An empty cell or string has no mapped place; it is kept in details so no field is lost.
  let details = unmappedDetails(rec, MAPPED);
  // (event_time and action_name cannot be empty: the record schema rejects that first.)
  for (const k of MAPPED) if ((rec as Record<string, unknown>)[k] === '') setOwn((details ??= {}), k, '');
  if (details) event.details = details;
  if (options.keepRaw) event.raw = raw as Record<string, unknown>;
  return event;
}

function withoutEmptyStrings(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (v !== '') setOwn(out, k, v);
  return out;
}

/** True when a record looks like a Wherobots audit log item or CSV row (for `--from auto`). */
export function looksLikeWherobots(rec: Record<string, unknown>): boolean {
  return 'action_name' in rec || ('Action' in rec && 'Time' in rec);
}
