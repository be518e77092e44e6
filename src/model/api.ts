/**
 * What an adapter's `client.ts` tells the generic puller (src/receivers/http-puller.ts) about a
 * vendor's audit log API: the windows to request, each request, how to read a response page
 * and how to explain an error. Adapters describe; the puller does the HTTP, retries and paging.
 */
import type { Vendor } from './event.js';

/** Credentials, read at the edge from environment variables named by flags or config. */
export interface ApiCredentials {
  apiKey: string;
  /** W&B Basic auth user name. */
  username?: string;
}

/** One pull: a time range against a vendor endpoint, with vendor options. */
export interface PullParams {
  /** Base URL of the vendor API (or the full audit log URL). */
  url: string;
  /** Start of the range, RFC 3339 UTC (inclusive). */
  since: string;
  /** End of the range, RFC 3339 UTC (exclusive). Default: now. */
  until: string;
  credentials: ApiCredentials;
  /** Vendor options (deployment, page size, CSV mode, header names, ...). */
  options: Readonly<Record<string, unknown>>;
}

/** A sub-range requested on its own (W&B Multi-tenant is asked one day at a time). */
export interface PullWindow {
  /** Stable label, kept in checkpoints. */
  label: string;
  query: Readonly<Record<string, string>>;
}

export interface ApiRequest {
  url: string;
  headers: Record<string, string>;
}

/** A parsed response page. */
export type ApiPage =
  | { kind: 'records'; records: unknown[]; envelopeKey?: string; cursor?: string }
  | { kind: 'text'; format: 'ndjson' | 'csv'; text: string; cursor?: string };

/** How one vendor's audit log API is called. */
export interface VendorApi {
  readonly vendor: Vendor;
  /** Checks options and credentials; returns problems as `key: message` strings. */
  check(params: PullParams): string[];
  /** The windows that cover [since, until). */
  windows(params: PullParams): PullWindow[];
  /** The request for one page of a window (`cursor` from the previous page). */
  request(params: PullParams, window: PullWindow, cursor: string | undefined): ApiRequest;
  /** Reads a page; a page without `cursor` is the window's last. */
  parse(body: string, contentType: string): ApiPage;
  /** A clear message for a non-retryable error (401, 403, 4xx). */
  explain(status: number, body: string): string;
  /** Warnings about the range (e.g. W&B Multi-tenant keeps 7 days). */
  warnings?(params: PullParams, now: number): string[];
  /**
   * For an API that answers only its newest `limit` records, with no time filter and no paging
   * (Snorkel Flow): a full answer whose oldest record is newer than the range's start may be
   * missing records, so the puller asks again with a larger limit, up to `maxLimit`.
   */
  newest?: NewestOnly;
}

/** How to ask a newest-`limit`-records API for more. */
export interface NewestOnly {
  /** The limit the options ask for. */
  limit(options: Readonly<Record<string, unknown>>): number;
  /** The largest limit the puller may ask for. */
  maxLimit(options: Readonly<Record<string, unknown>>): number;
  /** The options with another limit. */
  withLimit(options: Readonly<Record<string, unknown>>, limit: number): Readonly<Record<string, unknown>>;
}

/** `Authorization: Basic base64(user:key)`. */
export function basicAuth(username: string, apiKey: string): string {
  return `Basic ${Buffer.from(`${username}:${apiKey}`).toString('base64')}`;
}

/** Joins a base URL and a path unless the URL already ends with that path. */
export function endpoint(base: string, path: string): URL {
  const url = new URL(base);
  const trimmed = url.pathname.replace(/\/+$/, '');
  if (!trimmed.endsWith(path)) url.pathname = `${trimmed}${path}`;
  return url;
}
