/**
 * Loopback HTTP servers that behave as the vendor docs say (reference/vendor-formats.md), for
 * the puller tests: auth, pagination, windows, errors, 429 with Retry-After, 500s, slow and
 * truncated answers. Each keeps the requests it saw.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Fault {
  /** Answer with this status (and Retry-After seconds) instead. */
  status?: number;
  retryAfter?: number;
  body?: string;
  /** Send half the body, then destroy the connection. */
  truncate?: boolean;
  /** Send half the body and end the answer cleanly (a proxy that cut it). */
  cutCleanly?: boolean;
  /** Wait this long before answering. */
  delayMillis?: number;
}

export class VendorServer {
  readonly requests: { url: URL; headers: IncomingMessage['headers'] }[] = [];
  /** Faults for the next requests, in order. */
  faults: Fault[] = [];
  private server: Server | undefined;
  url = '';

  constructor(private readonly handler: (url: URL, req: IncomingMessage, res: ServerResponse) => void) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      this.requests.push({ url, headers: req.headers });
      const fault = this.faults.shift();
      const go = (): void => {
        if (fault?.status) {
          res.writeHead(fault.status, {
            'content-type': 'application/json',
            ...(fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {}),
          });
          res.end(fault.body ?? '');
          return;
        }
        if (fault?.cutCleanly) {
          const realEnd = res.end.bind(res);
          res.end = ((chunk?: unknown) => {
            const text = typeof chunk === 'string' ? chunk : '';
            return realEnd(text.slice(0, Math.floor(text.length / 2)));
          }) as typeof res.end;
        }
        if (fault?.truncate) {
          res.end = ((chunk?: unknown) => {
            const text = typeof chunk === 'string' ? chunk : '';
            res.write(text.slice(0, Math.floor(text.length / 2)));
            res.socket?.destroy();
            return res;
          }) as typeof res.end;
        }
        this.handler(url, req, res);
      };
      if (fault?.delayMillis) setTimeout(go, fault.delayMillis);
      else go();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

const json = (res: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void => {
  res.writeHead(status, { 'content-type': contentType });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};

/** W&B records: `count` events spread over `days` days from `start`, one every `stepMillis`. */
export function wandbRecords(count: number, startMs: number, stepMillis: number): Record<string, unknown>[] {
  const actions = ['artifact:create', 'run:update', 'user:login', 'project:read', 'team:invite_user'];
  return Array.from({ length: count }, (_, i) => ({
    timestamp: new Date(startMs + i * stepMillis).toISOString().replace('.000Z', 'Z'),
    action: actions[i % actions.length],
    actor_user_id: 1000 + (i % 13),
    actor_email: `user${i % 13}@acme-ml.com`,
    actor_ip: `203.0.113.${(i % 200) + 1}`,
    entity_name: 'vision-research',
    project_name: `proj-${i % 5}`,
    response_code: 200,
    seq: i, // unknown field: keeps every record distinct (and shows up in details)
  }));
}

/**
 * W&B: `/admin/audit_logs` (Self-Managed) and `/audit_logs` (Multi-tenant), Basic auth,
 * startDate/endDate (or numDays on Multi-tenant), limit+cursor envelope pages, NDJSON without
 * limit, anonymize dropping PII, 403 for non-admins and the multi-organization message.
 */
export function wandbServer(
  records: Record<string, unknown>[],
  opts: { user?: string; key?: string; multiOrg?: boolean; ndjsonOnly?: boolean } = {},
): VendorServer {
  const expected = `Basic ${Buffer.from(`${opts.user ?? 'admin'}:${opts.key ?? 'wandb-key'}`).toString('base64')}`;
  return new VendorServer((url, req, res) => {
    const multi = url.pathname === '/audit_logs';
    if (url.pathname !== '/admin/audit_logs' && !multi) {
      json(res, 404, { error: 'not found' });
      return;
    }
    if (req.headers.authorization !== expected) {
      json(res, 401, { error: 'unauthorized' });
      return;
    }
    if (opts.multiOrg) {
      json(res, 403, { error: 'user is associated with multiple organizations but no valid org ID found in user info' });
      return;
    }
    const startDate = url.searchParams.get('startDate') ?? new Date().toISOString().slice(0, 10);
    let from = Date.parse(startDate.length === 10 ? `${startDate}T00:00:00Z` : `${startDate}Z`);
    let to: number;
    if (multi) {
      if (startDate.length !== 10) {
        json(res, 400, { error: 'startDate must be YYYY-MM-DD' });
        return;
      }
      const numDays = Math.min(Number(url.searchParams.get('numDays') ?? 0), 7);
      to = from + (numDays + 1) * 86_400_000;
    } else {
      const end = url.searchParams.get('endDate');
      to = end ? Date.parse(end.length === 10 ? `${end}T00:00:00Z` : `${end}Z`) : from + 86_400_000;
    }
    let rows = records.filter((r) => {
      const t = Date.parse(r.timestamp as string);
      return t >= from && t < to;
    });
    if (url.searchParams.get('anonymize') === 'true') {
      rows = rows.map(({ actor_email: _a, entity_name: _e, project_name: _p, user_email: _u, ...rest }) => rest);
    }
    const limit = url.searchParams.get('limit');
    if (!limit || opts.ndjsonOnly) {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.end(rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : ''));
      return;
    }
    const offset = Number(url.searchParams.get('cursor') ? Buffer.from(url.searchParams.get('cursor')!, 'base64url').toString() : 0);
    const page = rows.slice(offset, offset + Number(limit));
    const next = offset + page.length < rows.length ? Buffer.from(String(offset + page.length)).toString('base64url') : null;
    from = 0;
    json(res, 200, {
      audit_logs: page,
      range_start_time: startDate,
      range_end_time: new Date(to).toISOString(),
      count: page.length,
      next_cursor: next,
    });
  });
}

/** Snorkel Flow: `/audit-logs?limit=N`, a bare array of the newest N; the key in a header. */
export function snorkelServer(records: Record<string, unknown>[], opts: { header?: string; value?: string } = {}): VendorServer {
  return new VendorServer((url, req, res) => {
    if (url.pathname !== '/audit-logs') {
      json(res, 404, { detail: 'Not Found' });
      return;
    }
    if (req.headers[opts.header ?? 'authorization'] !== (opts.value ?? 'Bearer snorkel-key')) {
      json(res, 403, { detail: 'Only SuperAdmins can view audit logs' });
      return;
    }
    const limit = Number(url.searchParams.get('limit') ?? 100);
    json(res, 200, records.slice(-limit));
  });
}

/** Wherobots: `/audit-log` cursor pages (`items`, `next_page`, size 0..100) and `/audit-log/export` CSV; X-API-Key. */
export function wherobotsServer(records: Record<string, string | null>[], opts: { key?: string } = {}): VendorServer {
  return new VendorServer((url, req, res) => {
    if (req.headers['x-api-key'] !== (opts.key ?? 'wherobots-key')) {
      json(res, 403, {
        errors: [
          {
            code: 'INSUFFICIENT_PERMISSIONS_ERROR',
            message: 'Admin role required',
            details: null,
            path: url.pathname,
            suggestion: null,
            documentation_url: null,
            field: null,
          },
        ],
        requestId: 'req-1',
      });
      return;
    }
    const start = Date.parse(url.searchParams.get('startTime') ?? '1970-01-01T00:00:00Z');
    const end = Date.parse(url.searchParams.get('endTime') ?? '2100-01-01T00:00:00Z');
    const rows = records.filter((r) => Date.parse(r.event_time!) >= start && Date.parse(r.event_time!) < end);
    if (url.pathname === '/audit-log/export') {
      const cols = ['event_time', 'user_name', 'action_name', 'resource_name', 'source_ip', 'user_agent', 'compute_region'];
      const heads = ['Time', 'User', 'Action', 'Resource', 'IP Address', 'User Agent', 'Region'];
      const q = (v: string | null): string => (v === null ? '' : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
      json(res, 200, [heads.join(','), ...rows.map((r) => cols.map((c) => q(r[c] ?? null)).join(','))].join('\r\n') + '\r\n', 'text/csv');
      return;
    }
    if (url.pathname !== '/audit-log') {
      json(res, 404, { errors: [{ code: 'NOT_FOUND', message: 'no route' }], requestId: 'req-2' });
      return;
    }
    const size = Math.min(Math.max(Number(url.searchParams.get('size') ?? 50), 0), 100);
    const offset = Number(url.searchParams.get('cursor') ?? 0);
    const items = rows.slice(offset, offset + size);
    const next = offset + items.length < rows.length ? String(offset + items.length) : null;
    json(res, 200, {
      items,
      total: rows.length,
      current_page: String(offset),
      current_page_backwards: null,
      previous_page: offset ? String(Math.max(0, offset - size)) : null,
      next_page: next,
    });
  });
}

export function wherobotsRecords(count: number, startMs: number, stepMillis: number): Record<string, string | null>[] {
  const actions = ['CreateJobRun', 'UploadFile', 'CreateNotebook', 'InviteUser', 'DeleteFile'];
  return Array.from({ length: count }, (_, i) => ({
    event_id: `evt_${i}`,
    event_time: new Date(startMs + i * stepMillis).toISOString().replace('.000Z', 'Z'),
    action_name: actions[i % actions.length]!,
    user_id: `usr_${i % 4}`,
    user_name: `dana${i % 4}@geo.io`,
    user_agent: 'wherobots-python/0.12.1',
    source_ip: '198.51.100.7',
    resource_name: `job "nightly", run ${i}`,
    resource_id: `res_${i}`,
    compute_region: 'aws-us-west-2',
    client_chain: null,
    source_client: 'wherobots-python',
  }));
}
