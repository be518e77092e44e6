import type { VendorAdapter } from '../../src/model/adapter.js';
import { SNORKEL_ACTIONS } from './actions.js';
import { looksLikeSnorkel, normalizeSnorkel } from './normalize.js';
import { snorkelApi } from './client.js';

export { SNORKEL_ACTIONS } from './actions.js';
export { normalizeSnorkel } from './normalize.js';

/** The Snorkel adapter (see adapters/snorkel/README.md for the field mapping). */
export const snorkelAdapter: VendorAdapter = {
  vendor: 'snorkel',
  actions: SNORKEL_ACTIONS,
  recordSchema: 'schemas/vendor/snorkel.schema.json',
  normalize: normalizeSnorkel,
  looksLike: looksLikeSnorkel,
  api: snorkelApi,
};
export { snorkelApi } from './client.js';
