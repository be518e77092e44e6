import { isIPv4, isIPv6 } from 'node:net';

/** IPv4 address -> its /24 network (`203.0.113.0/24`). */
function truncateIPv4(ip: string): string {
  return `${ip.slice(0, ip.lastIndexOf('.'))}.0/24`;
}

/** Expands an IPv6 address to eight 16-bit groups (embedded IPv4 included). */
function ipv6Groups(ip: string): number[] {
  let text = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? (text.split('::') as [string, string]) : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const fill = tail !== undefined ? new Array<string>(8 - h.length - t.length).fill('0') : [];
  return [...h, ...fill, ...t].map((g) => parseInt(g, 16));
}

/** IPv6 address -> its /48 network (`2001:db8:4f2a::/48`). */
function truncateIPv6(ip: string): string {
  const g = ipv6Groups(ip.split('%')[0]!);
  return `${g
    .slice(0, 3)
    .map((x) => x.toString(16))
    .join(':')}::/48`;
}

/**
 * The network of `ip` by node:net's definition of an address (zones and embedded IPv4
 * included), or undefined. The reference the fast paths below are tested against.
 */
export function truncateIpGeneral(ip: string): string | undefined {
  if (isIPv4(ip)) return truncateIPv4(ip);
  if (isIPv6(ip)) return truncateIPv6(ip);
  return undefined;
}

/**
 * True for a dotted quad as node:net's isIPv4 accepts it (each part 0-255, no leading zero).
 * node:net tests a large regex (about 0.75 µs an address with isIPv6 here); this is a scan.
 */
function isPlainIPv4(ip: string): boolean {
  const n = ip.length;
  if (n < 7 || n > 15) return false;
  let parts = 0;
  let i = 0;
  for (;;) {
    const start = i;
    let value = 0;
    while (i < n) {
      const c = ip.charCodeAt(i);
      if (c < 48 || c > 57) break;
      value = value * 10 + (c - 48);
      i++;
    }
    const digits = i - start;
    if (digits === 0 || digits > 3 || value > 255 || (digits > 1 && ip.charCodeAt(start) === 48)) return false;
    parts++;
    if (i === n) return parts === 4;
    if (parts === 4 || ip.charCodeAt(i) !== 46) return false;
    i++;
  }
}

/** The value of a hex digit, or -1. */
function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * The /48 network of an IPv6 address made of hex groups only (eight, or fewer around one `::`),
 * as node:net's isIPv6 accepts them; undefined for anything else, including valid addresses
 * with a zone or an embedded IPv4 (the general path takes those).
 */
function plainIPv6Network(ip: string): string | undefined {
  const n = ip.length;
  if (n < 2 || n > 39) return undefined;
  const groups: number[] = []; // the groups as written
  let gap = -1; // groups written before the `::`, or -1 without one
  let i = 0;
  if (ip.charCodeAt(0) === 58) {
    if (ip.charCodeAt(1) !== 58) return undefined;
    gap = 0;
    i = 2;
  }
  while (i < n) {
    let value = 0;
    const start = i;
    while (i < n && i - start < 5) {
      const v = hexValue(ip.charCodeAt(i));
      if (v < 0) break;
      value = value * 16 + v;
      i++;
    }
    const digits = i - start;
    if (digits === 0 || digits > 4 || groups.length === 8) return undefined;
    groups.push(value);
    if (i === n) break;
    if (ip.charCodeAt(i) !== 58) return undefined;
    i++;
    if (i === n) return undefined; // a single trailing `:`
    if (ip.charCodeAt(i) === 58) {
      if (gap >= 0) return undefined;
      gap = groups.length;
      i++;
    }
  }
  if (gap < 0 ? groups.length !== 8 : groups.length > 7) return undefined;
  // Group k of the eight: before the gap as written, then zeros, then the groups after it.
  const tail = gap < 0 ? 0 : groups.length - gap;
  const group = (k: number): number => (gap < 0 || k < gap ? groups[k]! : k >= 8 - tail ? groups[gap + k - (8 - tail)]! : 0);
  return `${group(0).toString(16)}:${group(1).toString(16)}:${group(2).toString(16)}::/48`;
}

/**
 * The network prefix of an IP address (/24 for IPv4, /48 for IPv6), or undefined when `ip`
 * is not an IP address. Plain dotted quads and hex-only IPv6 are read by a scan; the rest
 * (zones, embedded IPv4, and every string that is no IP) by the general path.
 */
export function truncateIp(ip: string): string | undefined {
  if (isPlainIPv4(ip)) return truncateIPv4(ip);
  return plainIPv6Network(ip) ?? truncateIpGeneral(ip);
}
