/**
 * The Snorkel Flow audit log API: `GET /audit-logs?limit=N` (SuperAdmin only) answers a JSON
 * array. Only `limit` is documented: no paging and no time filter, so the latest `limit`
 * records are fetched and the range is applied after normalizing; dedupe by id keeps repeated
 * pulls exact. How the SDK's TDM client authenticates is unconfirmed: the header that carries
 * the key and its prefix are configurable (default `Authorization: Bearer <key>`).
 */
import { parseJsonExact } from '../../src/model/json.js';
import { endpoint, type ApiPage, type VendorApi } from '../../src/model/api.js';

export const SNORKEL_DEFAULT_LIMIT = 1000;
/** Default header carrying the key (unconfirmed by the vendor, so configurable). */
export const SNORKEL_DEFAULT_API_KEY_HEADER = 'Authorization';

export const snorkelApi: VendorApi = {
  vendor: 'snorkel',
  check(p) {
    const limit = p.options.limit;
    return limit !== undefined && (!Number.isInteger(limit) || (limit as number) < 1) ? ['limit: must be a positive whole number'] : [];
  },
  windows(p) {
    return [{ label: `${p.since}/${p.until}`, query: {} }];
  },
  request(p) {
    const url = endpoint(p.url, '/audit-logs');
    url.searchParams.set('limit', String((p.options.limit as number | undefined) ?? SNORKEL_DEFAULT_LIMIT));
    const header = ((p.options.api_key_header as string | undefined) ?? SNORKEL_DEFAULT_API_KEY_HEADER).toLowerCase();
    const prefix = typeof p.options.api_key_prefix === 'string' ? p.options.api_key_prefix : header === 'authorization' ? 'Bearer ' : '';
    return { url: url.toString(), headers: { [header]: `${prefix}${p.credentials.apiKey}`, accept: 'application/json' } };
  },
  parse(body): ApiPage {
    const value = parseJsonExact(body);
    if (!Array.isArray(value)) throw new SyntaxError('Snorkel Flow /audit-logs did not answer a JSON array');
    return { kind: 'records', records: value };
  },
  explain(status) {
    if (status === 401)
      return 'Snorkel Flow rejected the credentials (401): check the API key and its header (api_key_header, api_key_prefix)';
    if (status === 403) return 'Snorkel Flow (403): audit logs are for SuperAdmins only';
    return `Snorkel Flow answered ${status}`;
  },
};
