import t from 'tap';
import fc from 'fast-check';
import { AuditInputError } from '../../src/errors.js';
import { toUtcTime } from '../../src/model/time.js';
import { dateTimeText } from '../helpers/schema-arbitrary.js';

t.test('examples from the vendor docs', async (t) => {
  t.equal(toUtcTime('2023-01-23T12:34:56Z', '/t'), '2023-01-23T12:34:56Z', 'W&B example unchanged');
  t.equal(toUtcTime('2021-08-17T20:51:47.268843', '/t'), '2021-08-17T20:51:47.268843Z', 'Snorkel: no zone read as UTC, microseconds kept');
  t.equal(toUtcTime('2025-02-20T18:09:00-08:00', '/t'), '2025-02-21T02:09:00Z', 'Wherobots offset becomes UTC');
  t.equal(toUtcTime('2025-01-27T00:07:29Z', '/t'), '2025-01-27T00:07:29Z');
  t.equal(toUtcTime('2026-08-01T13:02:11.100Z', '/t'), '2026-08-01T13:02:11.100Z', 'trailing zeros are kept, not invented or lost');
  t.equal(toUtcTime('2026-08-01 13:02:11,5+0530', '/t'), '2026-08-01T07:32:11.5Z', 'space, comma and +hhmm forms');
  t.equal(toUtcTime('2024-01-01T00:30:00+01:00', '/t'), '2023-12-31T23:30:00Z', 'crosses a year boundary');
  t.equal(toUtcTime('2024-02-29T23:00:00-01:00', '/t'), '2024-03-01T00:00:00Z', 'leap day');
});

t.test('invalid times are typed errors naming the pointer', async (t) => {
  for (const bad of [
    '',
    'yesterday',
    '2026-02-30T10:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T10:00:00+25:00',
    '2026-01-01',
    '0000-01-01T00:00:00+01:00',
  ]) {
    let caught: unknown;
    try {
      toUtcTime(bad, '/timestamp');
    } catch (err) {
      caught = err;
    }
    t.ok(caught instanceof AuditInputError, `${JSON.stringify(bad)} throws AuditInputError`);
    t.match(caught, { code: 'invalid_time', pointer: '/timestamp' }, `${JSON.stringify(bad)}: code and pointer`);
  }
});

t.test('property: the instant is preserved and the fraction digits are kept exactly', async () => {
  fc.assert(
    fc.property(dateTimeText, (text) => {
      const out = toUtcTime(text, '/t');
      const frac = /\.(\d+)/.exec(text)?.[1];
      const outFrac = /\.(\d+)Z$/.exec(out)?.[1];
      if (frac !== outFrac) throw new Error(`fraction changed: ${text} -> ${out}`);
      const zoned = /(Z|[+-]\d\d:\d\d)$/.test(text) ? text : `${text}Z`;
      const expectedMs = Date.parse(zoned.replace(/\.(\d{1,3})\d*/, '.$1'));
      const actualMs = Date.parse(out.replace(/\.(\d{1,3})\d*/, '.$1'));
      if (expectedMs !== actualMs) throw new Error(`instant changed: ${text} -> ${out}`);
      if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(out)) throw new Error(`not RFC 3339 UTC: ${out}`);
    }),
    { numRuns: 2000 },
  );
});
