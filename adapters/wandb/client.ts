/**
 * The W&B audit log API (reference/vendor-formats.md): Self-Managed and Dedicated serve
 * `<url>/admin/audit_logs`, Multi-tenant `https://api.wandb.ai/audit_logs`; Basic auth with
 * `username:api-key`. A range is asked with `startDate`/`endDate` and `limit`, which makes the
 * API answer with the `audit_logs` envelope and a `next_cursor`; an NDJSON answer (older
 * servers) is read too. Multi-tenant takes only `YYYY-MM-DD` and `numDays`, and the docs
 * disagree on the direction of `numDays`, so each day is asked on its own with `numDays=0`,
 * which both readings agree on; it also keeps only 7 days.
 */
import { parseJsonExact } from '../../src/model/json.js';
import { basicAuth, endpoint, type ApiPage, type PullParams, type PullWindow, type VendorApi } from '../../src/model/api.js';

export type WandbDeployment = 'self-managed' | 'dedicated' | 'multi-tenant';
const DEPLOYMENTS: readonly WandbDeployment[] = ['self-managed', 'dedicated', 'multi-tenant'];
/** Default page size (`limit`); W&B allows 1..20000 (Multi-tenant up to 1,000,000). */
export const WANDB_DEFAULT_PAGE_SIZE = 1000;
/** Default deployment. */
export const WANDB_DEFAULT_DEPLOYMENT: WandbDeployment = 'self-managed';
/** Anonymized logs are not asked for unless configured. */
export const WANDB_DEFAULT_ANONYMIZE = false;
const MULTI_ORG = 'user is associated with multiple organizations but no valid org ID found in user info';
const DAY = 86_400_000;

const deploymentOf = (p: PullParams): WandbDeployment => (p.options.deployment as WandbDeployment | undefined) ?? WANDB_DEFAULT_DEPLOYMENT;
/** `YYYY-MM-DDTHH:mm:ss` in UTC, the finest form `startDate`/`endDate` accept. */
const wandbTime = (t: string): string => t.slice(0, 19);

export const wandbApi: VendorApi = {
  vendor: 'wandb',
  check(p) {
    const problems: string[] = [];
    if (!DEPLOYMENTS.includes(deploymentOf(p))) problems.push(`deployment: must be one of ${DEPLOYMENTS.join(', ')}`);
    if (!p.credentials.username) problems.push('username: required (W&B Basic auth is username:api-key)');
    const size = p.options.page_size;
    if (
      size !== undefined &&
      (!Number.isInteger(size) || (size as number) < 1 || (size as number) > (deploymentOf(p) === 'multi-tenant' ? 1_000_000 : 20_000))
    )
      problems.push('page_size: out of range');
    return problems;
  },
  warnings(p, now) {
    if (deploymentOf(p) === 'multi-tenant' && Date.parse(p.since) < now - 7 * DAY) {
      return ['W&B Multi-tenant keeps audit logs for 7 days: days before that come back empty'];
    }
    return [];
  },
  windows(p) {
    if (deploymentOf(p) !== 'multi-tenant')
      return [{ label: `${p.since}/${p.until}`, query: { startDate: wandbTime(p.since), endDate: wandbTime(p.until) } }];
    const out: PullWindow[] = [];
    for (let d = Date.parse(p.since.slice(0, 10)); d < Date.parse(p.until); d += DAY) {
      const day = new Date(d).toISOString().slice(0, 10);
      out.push({ label: day, query: { startDate: day, numDays: '0' } });
    }
    return out;
  },
  request(p, window, cursor) {
    const url = endpoint(p.url, deploymentOf(p) === 'multi-tenant' ? '/audit_logs' : '/admin/audit_logs');
    for (const [k, v] of Object.entries(window.query)) url.searchParams.set(k, v);
    url.searchParams.set('limit', String((p.options.page_size as number | undefined) ?? WANDB_DEFAULT_PAGE_SIZE));
    if (p.options.anonymize === true && deploymentOf(p) !== 'multi-tenant') url.searchParams.set('anonymize', 'true');
    if (cursor) url.searchParams.set('cursor', cursor);
    return {
      url: url.toString(),
      headers: { authorization: basicAuth(p.credentials.username ?? '', p.credentials.apiKey), accept: 'application/json' },
    };
  },
  parse(body): ApiPage {
    const start = body.trimStart();
    const nl = start.indexOf('\n');
    const firstLine = nl < 0 ? start : start.slice(0, nl);
    if (start.startsWith('{')) {
      let whole: unknown;
      try {
        whole = parseJsonExact(start);
      } catch {
        // not one JSON document: NDJSON, or an envelope cut off on its way
      }
      const env = whole as { audit_logs?: unknown; next_cursor?: unknown } | undefined;
      if (Array.isArray(env?.audit_logs)) {
        return {
          kind: 'records',
          records: env.audit_logs,
          envelopeKey: 'audit_logs',
          ...(typeof env.next_cursor === 'string' && env.next_cursor ? { cursor: env.next_cursor } : {}),
        };
      }
      // A page asked with `limit` is an envelope: one that does not parse, or whose first line is
      // not a record of its own, was cut off (by a proxy, say) and is asked for again.
      let first: unknown;
      try {
        first = JSON.parse(firstLine);
      } catch {
        throw new SyntaxError('the page is neither an audit_logs envelope nor NDJSON (cut off?)');
      }
      if (typeof first === 'object' && first !== null && 'audit_logs' in first) throw new SyntaxError('the audit_logs envelope is cut off');
    }
    // NDJSON (older servers): a last line without its newline that does not parse was cut off.
    const lastLine = start.slice(start.trimEnd().lastIndexOf('\n') + 1).trim();
    if (lastLine && !body.endsWith('\n')) {
      try {
        JSON.parse(lastLine);
      } catch {
        throw new SyntaxError('the NDJSON answer ends in the middle of a line (cut off?)');
      }
    }
    return { kind: 'text', format: 'ndjson', text: body };
  },
  explain(status, body) {
    if (status === 401) return 'W&B rejected the credentials (401): check the user name and the API key';
    if (status === 403 && body.includes(MULTI_ORG)) {
      return 'W&B (403): this user belongs to several Multi-tenant organizations and has no Default API organization. Set one in User Settings > Default API organization, or use a service account (it belongs to one organization)';
    }
    if (status === 403) return 'W&B (403): only organization admins (or a service account with admin rights) can fetch audit logs';
    if (status === 404) return 'W&B (404): no audit log endpoint at this URL; check --url and --deployment (Multi-tenant has no /admin)';
    return `W&B answered ${status}`;
  },
};
