import t from 'tap';
import fc from 'fast-check';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { ConfigError } from '../../src/errors.js';
import type { AuditEvent } from '../../src/model/event.js';
import { validateAuditEvent } from '../../src/model/validators.js';
import { compilePiiPolicy, HASHED_ID } from '../../src/redact/pii-policy.js';
import { readableLogRecord } from '../../src/exporters/otlp/otlp.js';
import { truncateIp } from '../../src/redact/ip.js';
import { auditEvents } from '../helpers/event-arbitrary.js';

const event: AuditEvent = {
  schema_version: '1.0',
  id: 'wandb:sha256:00',
  time: '2026-08-01T13:02:11Z',
  vendor: 'wandb',
  action: { name: 'team:invite_user', category: 'team_member', operation: 'invite' },
  outcome: { result: 'success', status_code: 200 },
  actor: { id: '1187', email: 'maria.garcia@acme-ml.com', ip: '203.0.113.24' },
  target_user: { id: '1203', email: 'kenji.watanabe@acme-ml.com' },
  resources: [
    { type: 'entity', id: '311', name: 'vision-research' },
    { type: 'project', name: 'detr-finetune' },
  ],
  details: {
    note: 'invited by maria.garcia@acme-ml.com from 2001:db8:4f2a::17 with key sk-proj-abcdefghijklmnop0123',
    api_key: 'plain-secret',
    nested: [{ ip: '198.51.100.7' }],
  },
  raw: { actor_email: 'maria.garcia@acme-ml.com' },
};

t.test('default preset without a key: masks e-mails and names, truncates IPs, scans free text, drops raw', async (t) => {
  const out = compilePiiPolicy({ preset: 'default' }).redactEvent(event);
  t.ok(validateAuditEvent(out), 'still a valid event');
  t.same(out.actor, { id: '1187', email: '****', ip: '203.0.113.0/24' });
  t.same(out.target_user, { id: '1203', email: '****' });
  t.same(out.resources, [
    { type: 'entity', id: '311', name: '****' },
    { type: 'project', name: '****' },
  ]);
  t.same(out.details, {
    note: 'invited by **** from 2001:db8:4f2a::/48 with key ****',
    api_key: '****',
    nested: [{ ip: '198.51.100.0/24' }],
  });
  t.equal(out.raw, undefined, 'raw (the unredacted vendor record) is removed');
  t.equal(out.id, event.id, 'the dedupe key is never rewritten');
  t.equal(event.actor?.email, 'maria.garcia@acme-ml.com', 'the input event is not modified');
});

t.test('hash mode: HMAC-SHA256 naming the key id, stable per key, different across keys', async (t) => {
  const a = compilePiiPolicy({ preset: 'default', hmac_key: 'k-one', hmac_key_id: '2026-11' }).redactEvent(event);
  const b = compilePiiPolicy({ preset: 'default', hmac_key: 'k-one', hmac_key_id: '2026-11' }).redactEvent(event);
  const c = compilePiiPolicy({ preset: 'default', hmac_key: 'k-two', hmac_key_id: '2026-12' }).redactEvent(event);
  t.match(a.actor?.email, /^hmac-sha256:2026-11:[0-9a-f]{64}$/);
  t.equal(a.actor?.email, b.actor?.email, 'same key, same value: correlatable');
  t.not(a.actor?.email, c.actor?.email, 'another key gives another value');
  t.match(c.actor?.email, /^hmac-sha256:2026-12:/, 'rotation is visible in the key id');
  t.match(
    compilePiiPolicy({ preset: 'default', hmac_key: 'k-one' }).redactEvent(event).actor?.email,
    /^hmac-sha256:k[0-9a-f]{8}:/,
    'default key id is a fingerprint',
  );
  t.notMatch(JSON.stringify(a), /k-one/, 'the key itself never appears');
});

t.test('hash mode without a key refuses to start; every problem is listed with its path', async (t) => {
  t.throws(() => compilePiiPolicy({ email: 'hash' }), ConfigError);
  try {
    compilePiiPolicy({ email: 'hash', name: 'truncate', ip: 'bogus' as never }, 'processors.redact');
    t.fail('should throw');
  } catch (err) {
    t.ok(err instanceof ConfigError);
    t.same(
      (err as ConfigError).problems.map((p) => p.path),
      ['processors.redact.email', 'processors.redact.name', 'processors.redact.ip'],
    );
  }
});

t.test('wandb-anonymize removes e-mails and the names of projects, teams and reports', async (t) => {
  const out = compilePiiPolicy({ preset: 'wandb-anonymize' }).redactEvent(event);
  t.same(out.actor, { id: '1187', ip: '203.0.113.24' }, 'e-mail removed, IP kept (W&B does not list it as PII)');
  t.same(out.target_user, { id: '1203' });
  t.same(out.resources, [{ type: 'entity', id: '311' }, { type: 'project' }]);
});

t.test('off keeps everything, and keep modes are honoured', async (t) => {
  t.same(compilePiiPolicy({ preset: 'off' }).redactEvent(event), event);
  const out = compilePiiPolicy({ preset: 'default', ip: 'keep', email: 'remove', mask: '[redacted]' }).redactEvent(event);
  t.equal(out.actor?.ip, '203.0.113.24');
  t.equal(out.actor?.email, undefined);
  t.equal(out.resources?.[0]?.name, '[redacted]');
});

t.test('IP truncation: /24 and /48, also for compressed and IPv4-mapped forms', async (t) => {
  t.equal(truncateIp('203.0.113.24'), '203.0.113.0/24');
  t.equal(truncateIp('2001:db8:4f2a:1:2:3:4:5'), '2001:db8:4f2a::/48');
  t.equal(truncateIp('2001:db8::1'), '2001:db8:0::/48');
  t.equal(truncateIp('::ffff:192.0.2.1'), '0:0:0::/48');
  t.equal(truncateIp('not-an-ip'), undefined);
});

// ---- the leak property ------------------------------------------------------------------

/** Pools of PII values; events are built from them, then none may appear in the exported bytes. */
const pools = fc.record({
  emails: fc.uniqueArray(
    fc.emailAddress().filter((e) => e.length >= 8),
    { minLength: 1, maxLength: 4 },
  ),
  names: fc.uniqueArray(fc.stringMatching(/^[A-Z][a-z]{3,9} [A-Z][a-z]{3,11}$/), { minLength: 1, maxLength: 4 }),
  // Host addresses: an address equal to its own network prefix reveals nothing more when truncated.
  ips: fc.uniqueArray(
    fc.oneof(
      fc.ipV4().filter((ip) => !ip.endsWith('.0')),
      fc.ipV6().filter((ip) => ip.length >= 12 && !truncateIp(ip)!.startsWith(ip)),
    ),
    { minLength: 1, maxLength: 4 },
  ),
});

function eventsFrom(p: { emails: string[]; names: string[]; ips: string[] }): fc.Arbitrary<AuditEvent> {
  const email = fc.constantFrom(...p.emails);
  const ip = fc.constantFrom(...p.ips);
  const text = fc
    .tuple(
      fc.constantFrom('seen ', 'login from ', '', 'x='),
      fc.oneof(email, ip),
      fc.constantFrom('', ' ok', ', then ', ';'),
      fc.oneof(email, ip),
    )
    .map((parts) => parts.join(''));
  return auditEvents({ email, name: fc.constantFrom(...p.names), ip, text });
}

t.test('leak property: with the default policy no e-mail, IP or name reaches the exported OTLP bytes (body included)', async (t) => {
  const redactor = compilePiiPolicy({ preset: 'default' });
  const hashing = compilePiiPolicy({ preset: 'default', hmac_key: 'leak-test-key' });
  let checked = 0;
  fc.assert(
    fc.property(
      pools.chain((p) => fc.tuple(fc.constant(p), fc.array(eventsFrom(p), { minLength: 1, maxLength: 5 }))),
      ([p, events]) => {
        for (const policy of [redactor, hashing]) {
          const records = events.map((e) => readableLogRecord(policy.redactEvent(e), [0, 0]));
          const json = Buffer.from(JsonLogsSerializer.serializeRequest(records)!).toString('utf8');
          const proto = Buffer.from(ProtobufLogsSerializer.serializeRequest(records)!);
          for (const value of [...p.emails, ...p.names, ...p.ips]) {
            if (json.includes(value)) throw new Error(`${value} leaked into OTLP/JSON: ${json}`);
            if (proto.includes(Buffer.from(value, 'utf8'))) throw new Error(`${value} leaked into OTLP/protobuf`);
          }
          checked++;
        }
      },
    ),
    { numRuns: 300 },
  );
  t.ok(checked >= 600, `${checked} batches checked in both encodings`);
});

t.test('a hashed id (vendor:sha256:<64 hex>) is never changed by the text scan, so redactEvent may skip scanning it', (t) => {
  const policies = [
    compilePiiPolicy({ preset: 'default' }),
    compilePiiPolicy({ preset: 'default', hmac_key: 'k' }),
    compilePiiPolicy({ preset: 'wandb-anonymize' }),
  ];
  let checked = 0;
  fc.assert(
    fc.property(fc.stringMatching(/^[a-z]{1,12}$/), fc.uint8Array({ minLength: 32, maxLength: 32 }), (vendor, bytes) => {
      const id = `${vendor}:sha256:${Buffer.from(bytes).toString('hex')}`;
      if (!HASHED_ID.test(id)) throw new Error(`${id} is not of the hashed form`);
      for (const p of policies) {
        if (p.redactText(id) !== id) throw new Error(`${id} changed by the scan`);
        checked++;
      }
    }),
    { numRuns: 2000 },
  );
  for (const hex of ['0'.repeat(64), 'f'.repeat(64), 'deadbeef'.repeat(8), 'acbd0123'.repeat(8)]) {
    const id = `wandb:sha256:${hex}`;
    t.ok(HASHED_ID.test(id), `${hex.slice(0, 8)}... is of the hashed form`);
    t.equal(policies[0]!.redactText(id), id, `${hex.slice(0, 8)}... unchanged by the scan`);
  }
  const leaky = { ...event, id: 'wandb:sha256:maria.garcia@acme-ml.com' };
  t.not(policies[0]!.redactEvent(leaky).id, leaky.id, 'an id of the hashed form with PII in it is still scanned and replaced');
  t.ok(checked >= 6000, `${checked} ids checked`);
  t.end();
});
