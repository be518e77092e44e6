/**
 * IP truncation: the fast paths for plain dotted quads and hex-only IPv6 agree with the general
 * path (node:net's isIPv4/isIPv6, then the expansion) on every string, IP or not: same network,
 * or the same "not an IP".
 */
import { isIPv4, isIPv6 } from 'node:net';
import fc from 'fast-check';
import t from 'tap';
import { truncateIp, truncateIpGeneral } from '../../src/redact/ip.js';

const same = (s: string): boolean => truncateIp(s) === truncateIpGeneral(s);

t.test('examples: networks, zones, embedded IPv4, and strings that are not IPs', async (t) => {
  const cases: [string, string | undefined][] = [
    ['203.0.113.7', '203.0.113.0/24'],
    ['0.0.0.0', '0.0.0.0/24'],
    ['255.255.255.255', '255.255.255.0/24'],
    ['2001:db8:4f2a:1::7', '2001:db8:4f2a::/48'],
    ['2001:0DB8:0000:0001:0000:0000:0000:0001', '2001:db8:0::/48'],
    ['::1', '0:0:0::/48'],
    ['::', '0:0:0::/48'],
    ['1::', '1:0:0::/48'],
    ['1:2:3:4:5:6:7::', '1:2:3::/48'],
    ['fe80::1%eth0', 'fe80:0:0::/48'],
    ['::ffff:192.0.2.1', '0:0:0::/48'],
    ['010.1.1.1', undefined],
    ['256.1.1.1', undefined],
    ['1.1.1', undefined],
    ['1.1.1.1.', undefined],
    ['1:2:3:4:5:6:7:8:9', undefined],
    ['1:2:3:4:5:6:7:8::', undefined],
    ['1::2::3', undefined],
    ['1:::2', undefined],
    ['12345::', undefined],
    [':1:2:3:4:5:6:7', undefined],
    ['', undefined],
    ['ana@example.com', undefined],
  ];
  for (const [ip, want] of cases) {
    t.equal(truncateIp(ip), want, ip);
    t.equal(truncateIpGeneral(ip), want, `${ip} (general path)`);
    t.equal(want !== undefined, isIPv4(ip) || isIPv6(ip), `${ip}: an IP exactly when node:net says so`);
  }
});

t.test('property: the fast paths agree with the general path on IPs of every form', async () => {
  fc.assert(fc.property(fc.oneof(fc.ipV4(), fc.ipV4Extended(), fc.ipV6()), same), { numRuns: 20_000 });
});

t.test('property: ... and on near-IPs built from the characters IPs are made of', async () => {
  const near = fc.string({ unit: fc.constantFrom(...Array.from('0123456789abcdefABCDEFg:.%')), maxLength: 45 });
  // Valid addresses with one character changed, inserted or removed.
  const edited = fc
    .tuple(fc.oneof(fc.ipV4(), fc.ipV6()), fc.nat(), fc.constantFrom('', ':', '.', '0', 'f', '::', '%', '00', '1234'), fc.nat(3))
    .map(([ip, at, ch, del]) => {
      const i = at % (ip.length + 1);
      return ip.slice(0, i) + ch + ip.slice(Math.min(ip.length, i + del));
    });
  fc.assert(fc.property(fc.oneof(near, edited), same), { numRuns: 50_000 });
});
