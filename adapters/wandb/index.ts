import type { VendorAdapter } from '../../src/model/adapter.js';
import { WANDB_ACTIONS } from './actions.js';
import { looksLikeWandb, normalizeWandb } from './normalize.js';
import { wandbApi } from './client.js';

export { WANDB_ACTIONS } from './actions.js';
export { normalizeWandb } from './normalize.js';

/** The Wandb adapter (see adapters/wandb/README.md for the field mapping). */
export const wandbAdapter: VendorAdapter = {
  vendor: 'wandb',
  actions: WANDB_ACTIONS,
  recordSchema: 'schemas/vendor/wandb.schema.json',
  envelopeKey: 'audit_logs',
  normalize: normalizeWandb,
  looksLike: looksLikeWandb,
  api: wandbApi,
};
export { wandbApi } from './client.js';
