import { defineCatalog, type ActionCatalog } from '../../src/model/catalog.js';
import catalog from './actions.json' with { type: 'json' };

/**
 * Every action the W&B audit log documentation lists (30, including `organization:update_member` from the newest docs), with its normalized category and operation. Descriptions are W&B's.
 *
 * The catalog is data: adapters/wandb/actions.json, one `[action, category, operation,
 * description]` row per action, checked when loaded (a duplicate action or an operation the
 * event schema does not have is an error).
 */
export const WANDB_ACTIONS: ActionCatalog = defineCatalog(catalog.actions, 'adapters/wandb/actions.json');
