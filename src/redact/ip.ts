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
 * The network prefix of an IP address (/24 for IPv4, /48 for IPv6), or undefined when `ip`
 * is not an IP address.
 */
export function truncateIp(ip: string): string | undefined {
  if (isIPv4(ip)) return truncateIPv4(ip);
  if (isIPv6(ip)) return truncateIPv6(ip);
  return undefined;
}
