import type { HrTime } from '@opentelemetry/api';
import { AuditInputError } from '../errors.js';

// RFC 3339 date-time, also accepting a space for `T`, a comma for the decimal point, and a
// missing zone (which is read as UTC: Snorkel Flow writes `2021-08-17T20:51:47.268843`).
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * Converts a source time to RFC 3339 UTC with `Z`, keeping the sub-second digits exactly as
 * written (no precision invented or lost). A time without a zone is read as UTC.
 * Throws `AuditInputError('invalid_time')` naming `pointer` when the text is not a valid time.
 */
const UTC_Z = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?Z$/;
const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The instants OTLP can carry: `time_unix_nano` is an unsigned 64-bit count of nanoseconds since
 * 1970, so from 1970-01-01T00:00:00Z to 2262-04-11T23:47:16.854775807Z (what an SDK HrTime
 * converts exactly). An event outside them is rejected rather than sent garbled.
 */
export const MIN_TIME = '1970-01-01T00:00:00Z';
export const MAX_TIME = '2262-04-11T23:47:16.854775807Z';

function inOtlpRange(utc: string, text: string, pointer: string): string {
  const year = Number(utc.slice(0, 4));
  if (year < 1970 || (year >= 2262 && (year > 2262 || compareTimes(utc, MAX_TIME) > 0)))
    throw new AuditInputError(
      'time_out_of_range',
      `${JSON.stringify(text.slice(0, 64))} is outside what OTLP can carry (${MIN_TIME} to ${MAX_TIME})`,
      pointer,
    );
  return utc;
}

export function toUtcTime(text: string, pointer: string): string {
  return inOtlpRange(parseUtcTime(text, pointer), text, pointer);
}

function parseUtcTime(text: string, pointer: string): string {
  // Fast path: already RFC 3339 UTC with `Z` and in range (the common case); returned as is.
  const z = UTC_Z.exec(text);
  if (z) {
    const y = Number(z[1]),
      mo = Number(z[2]),
      d = Number(z[3]);
    if (
      mo >= 1 &&
      mo <= 12 &&
      d >= 1 &&
      d <= DAYS[mo - 1]! &&
      Number(z[4]) <= 23 &&
      Number(z[5]) <= 59 &&
      Number(z[6]) <= 59 &&
      (mo !== 2 || d <= 28 || (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)))
    )
      return text;
  }
  const m = DATE_TIME.exec(text);
  if (!m) throw new AuditInputError('invalid_time', `not an RFC 3339 date-time: ${JSON.stringify(text.slice(0, 64))}`, pointer);
  const [, y, mo, d, h, mi, s = '00', frac, , sign, oh = '00', om = '00'] = m;
  const year = Number(y),
    month = Number(mo),
    day = Number(d);
  const hour = Number(h),
    minute = Number(mi),
    second = Number(s);
  const offHours = Number(oh),
    offMinutes = Number(om);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  if (
    month < 1 ||
    month > 12 ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    offHours > 23 ||
    offMinutes > 59 ||
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    throw new AuditInputError('invalid_time', `date-time out of range: ${JSON.stringify(text.slice(0, 64))}`, pointer);
  }
  if (sign) date.setTime(date.getTime() - (sign === '-' ? -1 : 1) * (offHours * 60 + offMinutes) * 60_000);
  const utcYear = date.getUTCFullYear();
  if (utcYear < 0 || utcYear > 9999) {
    throw new AuditInputError('invalid_time', `date-time outside years 0000-9999 in UTC: ${JSON.stringify(text.slice(0, 64))}`, pointer);
  }
  return (
    `${pad(utcYear, 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}` +
    (frac !== undefined ? `.${frac}` : '') +
    'Z'
  );
}

const TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/;

/** The current time as an HrTime `[seconds, nanoseconds]` (millisecond precision). */
export function nowHrTime(): HrTime {
  const ms = Date.now();
  return [Math.floor(ms / 1000), (ms % 1000) * 1e6];
}

/** RFC 3339 UTC time -> HrTime `[seconds, nanoseconds]`, exact to the nanosecond (extra digits are cut). */
export function timeToHrTime(time: string): HrTime {
  const m = TIME.exec(time);
  if (!m) throw new TypeError(`not an RFC 3339 UTC time: ${time}`);
  const seconds = Date.parse(`${m[1]}Z`) / 1000;
  const nanos = m[2] ? Number(m[2].slice(0, 9).padEnd(9, '0')) : 0;
  return [seconds, nanos];
}

/** HrTime -> RFC 3339 UTC with as many fraction digits as needed (none for whole seconds). */
export function hrTimeToTime([seconds, nanos]: HrTime): string {
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  const frac = nanos ? `.${String(nanos).padStart(9, '0').replace(/0+$/, '')}` : '';
  return `${base}${frac}Z`;
}

/** Compares RFC 3339 UTC times by instant, to the nanosecond. */
export function compareTimes(a: string, b: string): number {
  const [as, an] = timeToHrTime(a);
  const [bs, bn] = timeToHrTime(b);
  return as !== bs ? as - bs : an - bn;
}

/** The forms a user may type a time in, for error messages. */
export const TIME_FORMS =
  'RFC 3339 (2026-08-01T13:45:00Z), a date (2026-08-01, UTC midnight), 2026-08-01T13:45 (UTC), or a duration back from now (90m, 24h, 7d)';

const DURATION = /^(\d+)([mhd])$/;
const UNIT_MILLIS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * A time as users type it, as RFC 3339 UTC: RFC 3339 (a zone-less time is UTC), `YYYY-MM-DD`
 * (UTC midnight), `YYYY-MM-DDTHH:MM` (UTC), or a duration back from `now` (`90m`, `24h`, `7d`).
 * Throws `AuditInputError('invalid_time')` naming `pointer` and the accepted forms.
 */
export function parseUserTime(text: string, pointer: string, now: number = Date.now()): string {
  const t = text.trim();
  const d = DURATION.exec(t);
  if (d) return new Date(now - Number(d[1]) * UNIT_MILLIS[d[2] as keyof typeof UNIT_MILLIS]).toISOString().replace('.000Z', 'Z');
  try {
    return toUtcTime(/^\d{4}-\d{2}-\d{2}$/.test(t) ? `${t}T00:00:00Z` : t, pointer);
  } catch {
    throw new AuditInputError('invalid_time', `${JSON.stringify(text.slice(0, 64))} is not a time: use ${TIME_FORMS}`, pointer);
  }
}
