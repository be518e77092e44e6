import type { VendorAdapter } from '../../src/model/adapter.js';
import { defineOcsf } from '../../src/model/ocsf.js';
import ocsfData from './ocsf.json' with { type: 'json' };
import { WANDB_ACTIONS } from './actions.js';
import { looksLikeWandb, normalizeWandb } from './normalize.js';
import { wandbApi } from './client.js';

export { WANDB_ACTIONS } from './actions.js';
export { normalizeWandb } from './normalize.js';

/** The Wandb adapter (see adapters/wandb/README.md for the field mapping). */
export const wandbAdapter: VendorAdapter = {
  vendor: 'wandb',
  actions: WANDB_ACTIONS,
  ocsf: defineOcsf(ocsfData, { name: 'Weights & Biases', vendor_name: 'Weights & Biases' }, false, 'adapters/wandb/ocsf.json'),
  recordSchema: 'schemas/vendor/wandb.schema.json',
  envelopeKey: 'audit_logs',
  normalize: normalizeWandb,
  looksLike: looksLikeWandb,
  api: wandbApi,
};
export { wandbApi } from './client.js';
