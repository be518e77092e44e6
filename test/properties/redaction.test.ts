/**
 * Redaction never leaks (issue 12, item 6): for each detector class, generated PII (e-mails in
 * every encoding, IPv4 and IPv6 addresses, secrets of every shape the detectors know) is placed
 * at random depths, under random keys or as a key, in every vendor's records; normalized,
 * redacted under `default`, HMAC mode and `wandb-anonymize` (which keeps IPs), and serialized as
 * NDJSON and as OTLP (JSON and protobuf bytes): the planted value never appears. Generated benign
 * values (digests, ids, versions, times, UUIDs, regions) come out unchanged.
 */
import t from 'tap';
import fc from 'fast-check';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { normalize } from '../../src/components/adapters.js';
import { readableLogRecord } from '../../src/exporters/otlp/otlp.js';
import type { Vendor } from '../../src/model/event.js';
import { compilePiiPolicy, type PiiPolicyConfig } from '../../src/redact/pii-policy.js';

const RUNS = 150;
const alnum = (min: number, max: number): fc.Arbitrary<string> => fc.stringMatching(new RegExp(`^[a-z0-9]{${min},${max}}$`));
const ALNUM = (n: number): fc.Arbitrary<string> => fc.stringMatching(new RegExp(`^[A-Za-z0-9]{${n}}$`));
const fullWidth = (s: string): string => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** A planted value: its text, and what must never appear in the output. */
interface Plant {
  text: string;
  secrets: string[];
}

const emails: fc.Arbitrary<Plant> = fc
  .record({
    local: alnum(4, 12).map((s) => `zq${s}`),
    dot: fc.boolean(),
    domain: alnum(3, 10).map((s) => `dm${s}`),
    tld: fc.constantFrom('example', 'com', 'io', 'de'),
    encoding: fc.constantFrom('plain', '%40', '\\u0040', '&#64;', '&#x40;', '&commat;', '＠', 'full-width', 'quoted', 'idn'),
  })
  .map(({ local, dot, domain, tld, encoding }) => {
    const l = dot ? `${local}.x` : local;
    const d = `${domain}.${tld}`;
    const at = {
      plain: '@',
      '%40': '%40',
      '\\u0040': '\\u0040',
      '&#64;': '&#64;',
      '&#x40;': '&#x40;',
      '&commat;': '&commat;',
      '＠': '＠',
    } as Record<string, string>;
    const text =
      encoding === 'full-width'
        ? fullWidth(`${l}@${d}`)
        : encoding === 'quoted'
          ? `"${l}"@${d}`
          : encoding === 'idn'
            ? `${l}ü@${domain}ö.${tld}`
            : `${l}${at[encoding]!}${d}`;
    return { text, secrets: [local, domain, fullWidth(local), fullWidth(domain)] };
  });

const ips: fc.Arbitrary<Plant> = fc.oneof(
  fc
    .record({ o: fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.integer({ min: 1, max: 255 })), zeros: fc.boolean() })
    .map(({ o, zeros }) => {
      const text = o.map((x) => (zeros ? String(x).padStart(3, '0') : String(x))).join('.');
      return { text, secrets: [text] };
    }),
  fc
    .tuple(
      fc.integer({ min: 0x2001, max: 0x2fff }),
      fc.integer({ min: 1, max: 0xffff }),
      fc.integer({ min: 1, max: 0xffff }),
      fc.integer({ min: 1, max: 0xffff }),
    )
    .map(([a, b, c, d]) => {
      const text = `${a.toString(16)}:db8:${b.toString(16)}:${c.toString(16)}::${d.toString(16)}`;
      return { text, secrets: [text] };
    }),
);

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const secrets: fc.Arbitrary<Plant> = fc.oneof(
  ALNUM(24).map((s) => ({ text: `sk_live_${s}`, secrets: [s] })),
  ALNUM(36).map((s) => ({ text: `ghp_${s}`, secrets: [s] })),
  ALNUM(20).map((s) => ({ text: `glpat-${s}`, secrets: [s] })),
  fc.stringMatching(/^[A-Z0-9]{16}$/).map((s) => ({ text: `AKIA${s}`, secrets: [s] })),
  ALNUM(35).map((s) => ({ text: `AIza${s}`, secrets: [s] })),
  fc.tuple(ALNUM(12), ALNUM(12), fc.boolean()).map(([a, b, empty]) => ({
    text: `eyJ${a}.eyJ${b}.${empty ? '' : 'sig'}`,
    secrets: [`eyJ${b}`],
  })),
  fc.tuple(alnum(1, 4), alnum(1, 4)).map(([u, p]) => ({ text: `Basic ${b64(`${u}:${p}`)}`, secrets: [b64(`${u}:${p}`)] })),
  ALNUM(20).map((s) => ({ text: `https://cb.example/x?access_token=${s}&y=1`, secrets: [s] })),
  ALNUM(16).map((s) => ({ text: `https://svc:${s}@host.example/p`, secrets: [s] })),
  fc.tuple(ALNUM(30), fc.boolean()).map(([s, end]) => ({
    text: `-----BEGIN OPENSSH PRIVATE KEY-----\n${s}${end ? '\n-----END OPENSSH PRIVATE KEY-----' : ''}`,
    secrets: [s],
  })),
  fc.stringMatching(/^[0-9a-f]{40}$/).map((s) => ({ text: `WANDB_API_KEY=${s}`, secrets: [s] })),
  fc.stringMatching(/^[A-Za-z0-9/+]{40}$/).map((s) => ({ text: `aws_secret_access_key: ${s}`, secrets: [s] })),
);

/** Text around a planted value: words and separators a detector must see past. */
const around = fc.tuple(
  fc.constantFrom('', 'note ', 'see: ', '(', '"', "'", '<', '[', '{"v":"', 'x=', '\n', '\t'),
  fc.constantFrom('', ' done', ')', '"', "'", '>', ']', '"}', ', next', '.', '\n'),
);

type Placement = { as: 'value'; depth: number; key: string } | { as: 'key'; depth: number };
const placements = (asKey: boolean): fc.Arbitrary<Placement> =>
  fc.oneof(
    fc.record({ as: fc.constant('value' as const), depth: fc.nat(3), key: fc.constantFrom('note', 'info', 'Detail', 'x_y', 'msg', 'a') }),
    ...(asKey ? [fc.record({ as: fc.constant('key' as const), depth: fc.nat(3) })] : []),
  );

/** Puts `text` at `depth` inside neutral objects and arrays. */
function nest(text: string, p: Placement): Record<string, unknown> {
  let node: Record<string, unknown> = p.as === 'key' ? { [text]: 'v' } : { [p.key]: text };
  for (let i = 0; i < p.depth; i++) node = i % 2 ? { meta: node, n: i } : { items: [1, node] };
  return node;
}

/** A record of `vendor` carrying `payload` in a free-form place. */
function record(vendor: Vendor, payload: Record<string, unknown>, text: string, i: number): Record<string, unknown> {
  switch (vendor) {
    case 'snorkel':
      return {
        event_id: i,
        event_time: '2026-07-13T12:40:40.309363',
        event_name: 'dataset',
        event_type: 'create',
        event_details: payload,
        user_uid: 2,
      };
    case 'wandb':
      return { timestamp: '2026-08-01T09:00:00Z', action: 'run:update', actor_user_id: 1187, response_code: 200, extra: payload };
    case 'wherobots':
      return {
        event_id: `evt_${i}`,
        event_time: '2026-02-01T00:00:00Z',
        action_name: 'CreateJobRun',
        user_id: 'usr_1',
        resource_name: text,
        extra: payload,
      };
  }
}

const POLICIES: [string, PiiPolicyConfig, boolean][] = [
  ['default', { preset: 'default' }, true],
  ['HMAC', { preset: 'default', hmac_key: 'prop-key' }, true],
  ['wandb-anonymize', { preset: 'wandb-anonymize' }, false],
];

function check(kind: string, plants: fc.Arbitrary<Plant>, asKey: boolean, isIp: boolean): void {
  for (const [name, config, masksIps] of POLICIES) {
    if (isIp && !masksIps) continue;
    t.test(`${kind}: never leaks under ${name}, into NDJSON or OTLP`, async (t) => {
      const policy = compilePiiPolicy(config);
      let n = 0;
      fc.assert(
        fc.property(
          plants,
          around,
          placements(asKey),
          fc.constantFrom<Vendor>('snorkel', 'wandb', 'wherobots'),
          (plant, [pre, post], where, vendor) => {
            const text = where.as === 'key' ? plant.text : `${pre}${plant.text}${post}`;
            const event = policy.redactEvent(normalize(vendor, record(vendor, nest(text, where), text, n++)));
            const ndjson = JSON.stringify(event);
            const records = [readableLogRecord(event, [0, 0])];
            const json = Buffer.from(JsonLogsSerializer.serializeRequest(records)!).toString('utf8');
            const proto = Buffer.from(ProtobufLogsSerializer.serializeRequest(records)!);
            for (const s of plant.secrets) {
              if (ndjson.includes(s)) throw new Error(`${JSON.stringify(s)} leaked into NDJSON: ${ndjson}`);
              if (json.includes(s)) throw new Error(`${JSON.stringify(s)} leaked into OTLP/JSON`);
              if (proto.includes(Buffer.from(s))) throw new Error(`${JSON.stringify(s)} leaked into OTLP/protobuf`);
            }
          },
        ),
        { numRuns: RUNS },
      );
      t.equal(n, RUNS, `${RUNS} placements checked`);
    });
  }
}

check('e-mail addresses', emails, true, false);
check('IP addresses', ips, false, true);
check('secrets', secrets, false, false);

t.test('benign values come out unchanged under every preset', async (t) => {
  const hex = (n: number): fc.Arbitrary<string> => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
  const benign = fc.record({
    artifact_digest: fc.oneof(hex(32), hex(40), hex(64)),
    commit: hex(40),
    artifact_asset: fc.nat(),
    asset_id: fc.string({ minLength: 4, maxLength: 24 }).map((s) => Buffer.from(`Artifact:${s.length}`).toString('base64')),
    cli_version: fc.tuple(fc.nat(30), fc.nat(99), fc.nat(99)).map((v) => v.join('.')),
    build_version: fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((v) => v.join('.')),
    time: fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString()),
    uuid: fc.uuid(),
    region: fc.constantFrom('us-west-2', 'aws-us-west-2', 'europe-west4-a', 'eastus2'),
    action: fc.constantFrom('team:invite_user', 'run:update', 'artifact:create', 'LinkOrganizationToAwsMarketplace', 'api_key:create'),
    token_count: fc.nat(),
  });
  for (const [name, config] of POLICIES) {
    const policy = compilePiiPolicy(config);
    fc.assert(
      fc.property(benign, (value) => {
        const out = policy.redactValue(value);
        if (JSON.stringify(out) !== JSON.stringify(value))
          throw new Error(`${name} changed ${JSON.stringify(value)} into ${JSON.stringify(out)}`);
      }),
      { numRuns: RUNS },
    );
    t.pass(`${name}: ${RUNS} benign records unchanged`);
  }
});
