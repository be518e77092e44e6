import { defineCatalog, type ActionCatalog } from '../../src/model/catalog.js';
import catalog from './actions.json' with { type: 'json' };

/**
 * The auditable actions of Wherobots' "List of Auditable Events", with their normalized category and operation. The description is Wherobots' own "Type" column. The seed page lists 48 distinct names (reference/vendor-formats.md says 49; no 49th name is public).
 *
 * The catalog is data: adapters/wherobots/actions.json, one `[action, category, operation,
 * description]` row per action, checked when loaded (a duplicate action or an operation the
 * event schema does not have is an error).
 */
export const WHEROBOTS_ACTIONS: ActionCatalog = defineCatalog(catalog.actions, 'adapters/wherobots/actions.json');
