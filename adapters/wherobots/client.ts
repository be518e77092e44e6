/**
 * The Wherobots audit log API (https://api.cloud.wherobots.com): `GET /audit-log` with
 * `startTime`, `endTime`, `cursor` and `size` (0..100, default 50) answers pages
 * `{items, next_page, ...}`; `GET /audit-log/export` answers the same range as CSV (mode
 * `csv`, no paging). Auth: `X-API-Key`. Errors are `{errors: [{code, message, ...}], requestId}`.
 */
import { parseJsonExact } from '../../src/model/json.js';
import { endpoint, type ApiPage, type VendorApi } from '../../src/model/api.js';

export const WHEROBOTS_DEFAULT_PAGE_SIZE = 100;
/** Default mode: the paged API (`csv`: the export). */
export const WHEROBOTS_DEFAULT_MODE = 'api';

interface WherobotsErrorBody {
  errors?: { code?: string; message?: string }[];
  requestId?: string;
}

export const wherobotsApi: VendorApi = {
  vendor: 'wherobots',
  check(p) {
    const problems: string[] = [];
    const mode = p.options.mode ?? WHEROBOTS_DEFAULT_MODE;
    if (mode !== 'api' && mode !== 'csv') problems.push('mode: must be api or csv');
    const size = p.options.page_size;
    if (size !== undefined && (!Number.isInteger(size) || (size as number) < 1 || (size as number) > 100))
      problems.push('page_size: must be 1..100');
    return problems;
  },
  windows(p) {
    return [{ label: `${p.since}/${p.until}`, query: { startTime: p.since, endTime: p.until } }];
  },
  request(p, window, cursor) {
    const csv = p.options.mode === 'csv';
    const url = endpoint(p.url, csv ? '/audit-log/export' : '/audit-log');
    for (const [k, v] of Object.entries(window.query)) url.searchParams.set(k, v);
    if (!csv) url.searchParams.set('size', String((p.options.page_size as number | undefined) ?? WHEROBOTS_DEFAULT_PAGE_SIZE));
    if (cursor) url.searchParams.set('cursor', cursor);
    return { url: url.toString(), headers: { 'x-api-key': p.credentials.apiKey, accept: csv ? 'text/csv' : 'application/json' } };
  },
  parse(body, contentType): ApiPage {
    if (contentType.includes('csv') || !body.trimStart().startsWith('{')) return { kind: 'text', format: 'csv', text: body };
    const page = parseJsonExact(body) as { items?: unknown; next_page?: unknown };
    if (!Array.isArray(page.items)) throw new SyntaxError('Wherobots /audit-log page has no items array');
    return {
      kind: 'records',
      records: page.items,
      envelopeKey: 'items',
      ...(typeof page.next_page === 'string' && page.next_page ? { cursor: page.next_page } : {}),
    };
  },
  explain(status, body) {
    let detail = '';
    try {
      const e = (JSON.parse(body) as WherobotsErrorBody).errors?.[0];
      if (e) detail = `: ${e.code ?? ''}${e.message ? ` ${e.message}` : ''}`;
    } catch {
      // not the documented error shape
    }
    if (status === 401) return `Wherobots rejected the API key (401)${detail}`;
    if (status === 403)
      return `Wherobots (403): audit logs need an Organization Admin on a Professional or Enterprise organization${detail}`;
    return `Wherobots answered ${status}${detail}`;
  },
};
