import { defineCatalog, type ActionCatalog } from '../../src/model/catalog.js';
import catalog from './actions.json' with { type: 'json' };

/**
 * Snorkel Flow's audited actions, keyed `<event_name>:<event_type>`.  Only `api_key:create` is a literal confirmed by the vendor's example; the others are the vendor's prose list ("Annotation Create/Commit/Transfer/Delete", ...) written in the same lower_snake form. Records whose literals differ still map: `normalizeSnorkel` falls back to `event_name` as category and `event_type` as operation, and `extraActions` lets a user add the real literals (see adapters/snorkel/README.md).
 *
 * The catalog is data: adapters/snorkel/actions.json, one `[action, category, operation,
 * description]` row per action, checked when loaded (a duplicate action or an operation the
 * event schema does not have is an error).
 */
export const SNORKEL_ACTIONS: ActionCatalog = defineCatalog(catalog.actions, 'adapters/snorkel/actions.json');
