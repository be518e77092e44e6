import { defineCatalog, type ActionCatalog } from '../../src/model/catalog.js';

/**
 * Snorkel Flow's audited actions, keyed `<event_name>:<event_type>`.
 *
 * Only `api_key:create` is a literal confirmed by the vendor's example; the others are the
 * vendor's prose list ("Annotation Create/Commit/Transfer/Delete", ...) written in the same
 * lower_snake form. Records whose literals differ still map: `normalizeSnorkel` falls back to
 * `event_name` as category and `event_type` as operation, and `extraActions` lets a user add
 * the real literals (see adapters/snorkel/README.md).
 */
export const SNORKEL_ACTIONS: ActionCatalog = defineCatalog([
  ['annotation:create', 'annotation', 'create', 'Annotation Create'],
  ['annotation:commit', 'annotation', 'commit', 'Annotation Commit'],
  ['annotation:transfer', 'annotation', 'transfer', 'Annotation Transfer'],
  ['annotation:delete', 'annotation', 'delete', 'Annotation Delete'],
  ['application:create', 'application', 'create', 'Application Create'],
  ['application:update', 'application', 'update', 'Application Update'],
  ['application:delete', 'application', 'delete', 'Application Delete'],
  ['batch:create', 'batch', 'create', 'Batch Create'],
  ['batch:update', 'batch', 'update', 'Batch Update'],
  ['batch:delete', 'batch', 'delete', 'Batch Delete'],
  ['dataset:create', 'dataset', 'create', 'Dataset Create'],
  ['dataset:delete', 'dataset', 'delete', 'Dataset Delete'],
  ['datasource:create', 'datasource', 'create', 'Datasource Create'],
  ['datasource:delete', 'datasource', 'delete', 'Datasource Delete'],
  ['lf:create', 'labeling_function', 'create', 'LF (labeling function) Create'],
  ['lf:delete', 'labeling_function', 'delete', 'LF (labeling function) Delete'],
  ['training_set:create', 'training_set', 'create', 'Training Set Create'],
  ['training_set:update', 'training_set', 'update', 'Training Set Update'],
  ['training_set:delete', 'training_set', 'delete', 'Training Set Delete'],
  ['user:create', 'user', 'create', 'User Create'],
  ['user:update', 'user', 'update', 'User Update'],
  ['user:delete', 'user', 'delete', 'User Delete'],
  ['user_role:assignment', 'user_role', 'assign', 'User Role Assignment'],
  ['user_role:removal', 'user_role', 'unassign', 'User Role Removal'],
  ['user_role:create', 'user_role', 'create', 'User Role Creation'],
  ['api_key:create', 'api_key', 'create', 'User API Keys Create (confirmed literal)'],
  ['api_key:delete', 'api_key', 'delete', 'User API Keys Delete'],
  ['user:login', 'user', 'login', 'User Login'],
  ['workspace:create', 'workspace', 'create', 'Workspace Create'],
  ['workspace:update', 'workspace', 'update', 'Workspace Update'],
  ['external_llm_config:create', 'external_llm_config', 'create', 'External LLM Config Create'],
  ['custom_pip:install', 'custom_pip', 'install', 'Custom PIP install'],
]);
