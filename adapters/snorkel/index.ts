import type { VendorAdapter } from '../../src/model/adapter.js';
import { defineOcsf } from '../../src/model/ocsf.js';
import ocsfData from './ocsf.json' with { type: 'json' };
import { SNORKEL_ACTIONS } from './actions.js';
import { looksLikeSnorkel, normalizeSnorkel } from './normalize.js';
import { snorkelApi } from './client.js';

export { SNORKEL_ACTIONS } from './actions.js';
export { normalizeSnorkel } from './normalize.js';

/** The Snorkel adapter (see adapters/snorkel/README.md for the field mapping). */
export const snorkelAdapter: VendorAdapter = {
  vendor: 'snorkel',
  actions: SNORKEL_ACTIONS,
  ocsf: defineOcsf(ocsfData, { name: 'Snorkel Flow', vendor_name: 'Snorkel AI' }, true, 'adapters/snorkel/ocsf.json'),
  recordSchema: 'schemas/vendor/snorkel.schema.json',
  normalize: normalizeSnorkel,
  looksLike: looksLikeSnorkel,
  api: snorkelApi,
};
export { snorkelApi } from './client.js';
