import type { VendorAdapter } from '../../src/model/adapter.js';
import { defineOcsf } from '../../src/model/ocsf.js';
import ocsfData from './ocsf.json' with { type: 'json' };
import { WHEROBOTS_ACTIONS } from './actions.js';
import { looksLikeWherobots, normalizeWherobots } from './normalize.js';
import { wherobotsApi } from './client.js';

export { WHEROBOTS_ACTIONS } from './actions.js';
export { normalizeWherobots } from './normalize.js';

/** The Wherobots adapter (see adapters/wherobots/README.md for the field mapping). */
export const wherobotsAdapter: VendorAdapter = {
  vendor: 'wherobots',
  actions: WHEROBOTS_ACTIONS,
  ocsf: defineOcsf(ocsfData, { name: 'Wherobots', vendor_name: 'Wherobots' }, true, 'adapters/wherobots/ocsf.json'),
  recordSchema: 'schemas/vendor/wherobots.schema.json',
  envelopeKey: 'items',
  csvExport: true,
  normalize: normalizeWherobots,
  looksLike: looksLikeWherobots,
  api: wherobotsApi,
};
export { wherobotsApi } from './client.js';
