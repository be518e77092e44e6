import { OPERATIONS } from '../generated/annotations.js';
import type { Operation } from './event.js';

/** What the catalog knows about one vendor action. */
export interface ActionEntry {
  /** Normalized resource family, lower_snake (`artifact`, `api_key`, `job_run`). */
  readonly category: string;
  /** Normalized operation. */
  readonly operation: Operation;
  /** The vendor's own description or grouping, for documentation. */
  readonly description: string;
}

/** Action name (verbatim) -> entry. A `Map`, so user-supplied names never reach a prototype. */
export type ActionCatalog = ReadonlyMap<string, ActionEntry>;

/**
 * Builds a catalog from `[name, category, operation, description]` rows; `source` names the
 * rows in errors. Throws on a malformed row, an operation the event schema lacks, or a duplicate.
 */
export function defineCatalog(rows: readonly (readonly string[])[], source = 'catalog'): ActionCatalog {
  const map = new Map<string, ActionEntry>();
  rows.forEach((row, i) => {
    const [name, category, operation, description] = row;
    const where = `${source}: actions[${i}]`;
    if (row.length !== 4 || name === undefined || category === undefined || operation === undefined || description === undefined) {
      throw new Error(`${where}: expected [action, category, operation, description]`);
    }
    if (!isOperation(operation)) throw new Error(`${where}: ${JSON.stringify(operation)} is not an operation of the event schema`);
    if (map.has(name)) throw new Error(`${where}: duplicate catalog entry ${name}`);
    map.set(name, Object.freeze({ category, operation, description }));
  });
  return map;
}

const isOperation = (value: string): value is Operation => (OPERATIONS as readonly string[]).includes(value);

/**
 * lower_snake form of a vendor word: `Training Set` -> `training_set`, `JobRun` -> `job_run`,
 * `api-key` -> `api_key`. Never empty (`unknown`).
 */
export function lowerSnake(text: string): string {
  const s = text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return s === '' ? 'unknown' : s;
}

/** Verbs that name an operation directly (Snorkel `event_type`, W&B action suffixes). */
const VERB_OPERATIONS: ReadonlyMap<string, Operation> = new Map<string, Operation>([
  ['create', 'create'],
  ['read', 'read'],
  ['get', 'read'],
  ['update', 'update'],
  ['delete', 'delete'],
  ['restore', 'restore'],
  ['undelete', 'restore'],
  ['rename', 'rename'],
  ['login', 'login'],
  ['logout', 'logout'],
  ['invite', 'invite'],
  ['uninvite', 'uninvite'],
  ['assign', 'assign'],
  ['assignment', 'assign'],
  ['unassign', 'unassign'],
  ['removal', 'unassign'],
  ['activate', 'activate'],
  ['reactivate', 'activate'],
  ['deactivate', 'deactivate'],
  ['stop', 'stop'],
  ['cancel', 'cancel'],
  ['upload', 'upload'],
  ['download', 'download'],
  ['commit', 'commit'],
  ['transfer', 'transfer'],
  ['revoke', 'revoke'],
  ['link', 'link'],
  ['install', 'install'],
]);

/** The operation a verb names (`create`, `Delete`, `login`), or `other`. */
export function operationFromVerb(verb: string): Operation {
  return VERB_OPERATIONS.get(verb.toLowerCase()) ?? 'other';
}
