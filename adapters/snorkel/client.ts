/**
 * The Snorkel Flow audit log API: `GET /audit-logs?limit=N` (SuperAdmin only) answers a JSON
 * array. Only `limit` is documented: no paging and no time filter, so the latest `limit`
 * records are fetched and the range is applied after normalizing; dedupe by id keeps repeated
 * pulls exact. A full answer that does not reach back to the range's start is asked again with
 * the limit doubled, up to `max_limit` (the puller does it: `newest`). How the SDK's TDM client authenticates is unconfirmed: the header that carries
 * the key and its prefix are configurable (default `Authorization: Bearer <key>`).
 */
import { parseJsonExact } from '../../src/model/json.js';
import { endpoint, type ApiPage, type VendorApi } from '../../src/model/api.js';

export const SNORKEL_DEFAULT_LIMIT = 1000;
/** The largest limit a pull doubles up to when a full answer may hide older records. */
export const SNORKEL_DEFAULT_MAX_LIMIT = 100_000;

const limitOf = (options: Readonly<Record<string, unknown>>): number => (options.limit as number | undefined) ?? SNORKEL_DEFAULT_LIMIT;
/** Default header carrying the key (unconfirmed by the vendor, so configurable). */
export const SNORKEL_DEFAULT_API_KEY_HEADER = 'Authorization';

export const snorkelApi: VendorApi = {
  vendor: 'snorkel',
  check(p) {
    const { limit, max_limit: maxLimit } = p.options;
    const problems: string[] = [];
    if (limit !== undefined && (!Number.isInteger(limit) || (limit as number) < 1)) problems.push('limit: must be a positive whole number');
    if (maxLimit !== undefined && (!Number.isInteger(maxLimit) || (maxLimit as number) < 1))
      problems.push('max_limit: must be a positive whole number');
    else if (Number.isInteger(limit) && ((maxLimit as number | undefined) ?? SNORKEL_DEFAULT_MAX_LIMIT) < (limit as number))
      problems.push(`max_limit: must not be below limit (${String(limit)})`);
    return problems;
  },
  newest: {
    limit: limitOf,
    maxLimit: (options) => (options.max_limit as number | undefined) ?? SNORKEL_DEFAULT_MAX_LIMIT,
    withLimit: (options, limit) => ({ ...options, limit }),
  },
  windows(p) {
    return [{ label: `${p.since}/${p.until}`, query: {} }];
  },
  request(p) {
    const url = endpoint(p.url, '/audit-logs');
    url.searchParams.set('limit', String(limitOf(p.options)));
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
