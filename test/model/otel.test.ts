import { isDeepStrictEqual } from 'node:util';
import t from 'tap';
import fc from 'fast-check';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { ATTR, AUDIT_EVENT_NAME, fromLogRecord, hrTimeToTime, timeToHrTime, toLogRecord } from '../../src/model/otel.js';
import { OTEL_FIELDS } from '../../src/generated/annotations.js';
import { validateAuditEvent, describeSchemaErrors } from '../../src/model/validators.js';
import type { AuditEvent } from '../../src/model/event.js';
import { auditEvents } from '../helpers/event-arbitrary.js';

t.test('round trip: fromLogRecord(toLogRecord(e)) deep-equals e', async () => {
  fc.assert(
    fc.property(auditEvents(), (e) => {
      if (!validateAuditEvent(e))
        throw new Error(`generator made an invalid event: ${describeSchemaErrors(validateAuditEvent.errors).join('; ')}`);
      const back = fromLogRecord(toLogRecord(e));
      if (!isDeepStrictEqual(back, e)) throw new Error(`differs:\n${JSON.stringify(e)}\n${JSON.stringify(back)}`);
    }),
    { numRuns: 500 },
  );
});

t.test('round trip also through the timestamp alone (no auditkit.time)', async () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 4102444800 }), fc.integer({ min: 0, max: 999_999_999 }), (s, ns) => {
      const time = hrTimeToTime([s, ns]);
      const [s2, ns2] = timeToHrTime(time);
      if (s2 !== s || ns2 !== ns) throw new Error(`${s},${ns} -> ${time} -> ${s2},${ns2}`);
    }),
  );
});

const sample: AuditEvent = {
  schema_version: '1.0',
  id: 'wandb:sha256:abc',
  time: '2026-08-01T13:02:11.123456789Z',
  vendor: 'wandb',
  action: { name: 'artifact:create', category: 'artifact', operation: 'create' },
  outcome: { result: 'failure', status_code: 403 },
  actor: { id: '1187', email: 'maria@acme.io', name: 'Maria', ip: '203.0.113.24', user_agent: 'curl/8', type: 'user' },
  target_user: { id: '1203', email: 'kenji@acme.io' },
  resources: [{ type: 'project', id: '5120', name: 'detr' }],
  client: { version: '0.21.0' },
  cloud: { region: 'us-west-2' },
  details: { constructor: 'x', n: 1 },
};

t.test('the attribute contract', async (t) => {
  const lr = toLogRecord(sample);
  t.equal(lr.eventName, AUDIT_EVENT_NAME, 'EventName auditkit.event');
  t.equal(lr.severityNumber, SeverityNumber.WARN, 'failure is WARN (13)');
  t.equal(toLogRecord({ ...sample, outcome: { result: 'success' } }).severityNumber, SeverityNumber.INFO, 'success is INFO (9)');
  t.same(lr.timestamp, [Date.UTC(2026, 7, 1, 13, 2, 11) / 1000, 123456789], 'Timestamp to the nanosecond, as HrTime');
  const a = lr.attributes;
  t.equal(a['user.id'], '1187');
  t.equal(a['user.email'], 'maria@acme.io');
  t.equal(a['user.name'], 'Maria');
  t.equal(a['client.address'], '203.0.113.24');
  t.equal(a['user_agent.original'], 'curl/8');
  t.equal(a['http.response.status_code'], 403);
  t.equal(a['cloud.region'], 'us-west-2');
  t.equal(a['auditkit.id'], 'wandb:sha256:abc');
  t.equal(a['auditkit.action.name'], 'artifact:create');
  t.equal(a['auditkit.target_user.email'], 'kenji@acme.io');
  t.same(a['auditkit.resources'], [{ type: 'project', id: '5120', name: 'detr' }]);
  t.equal(a['auditkit.details'], '{"constructor":"x","n":1}', 'details as JSON text (a `constructor` key would make the SDK drop a map)');
  t.equal(lr.body, 'wandb artifact:create by maria@acme.io on project detr: failure', 'one-line summary body');
});

t.test('semantic conventions only where the value has their meaning (issue 14, item 4)', async (t) => {
  const hash = `hmac-sha256:k1:${'a'.repeat(64)}`;
  const redacted: AuditEvent = {
    ...sample,
    actor: { id: '1187', email: hash, name: '****', ip: '203.0.113.0/24' },
    cloud: { region: 'aws-us-west-2' },
  };
  const a = toLogRecord(redacted).attributes;
  t.equal(a['user.hash'], hash, 'a hashed identity is user.hash');
  t.equal(a['user.email'], undefined, 'not user.email');
  t.equal(a['auditkit.actor.name'], '****', 'a masked name is not user.name');
  t.equal(a['user.name'], undefined);
  t.equal(a['auditkit.actor.ip'], '203.0.113.0/24', 'a truncated network is not client.address');
  t.equal(a['client.address'], undefined);
  t.equal(a['cloud.provider'], 'aws', 'the provider split off the vendor region');
  t.equal(a['cloud.region'], 'us-west-2', "the provider's own region id");
  t.equal(a['auditkit.cloud.region'], 'aws-us-west-2', "the vendor's text, kept");
  t.equal(a['error.type'], '403', 'a failure carries error.type: the status code');
  t.equal(toLogRecord({ ...sample, outcome: { result: 'failure' } }).attributes['error.type'], '_OTHER', 'or _OTHER');
  t.equal(
    toLogRecord({ ...sample, outcome: { result: 'success', status_code: 200 } }).attributes['error.type'],
    undefined,
    'not on success',
  );
  const masked = toLogRecord({ ...sample, actor: { email: '****' } }).attributes;
  t.equal(masked['user.email'], undefined, 'a masked e-mail is omitted from user.email');
  t.equal(masked['auditkit.actor.email'], '****');
  t.same(fromLogRecord({ attributes: a, hrTime: toLogRecord(redacted).timestamp }), redacted, 'and it still inverts');
  t.same(fromLogRecord({ attributes: toLogRecord(sample).attributes }), sample, 'unredacted too');
});

t.test('every x-otel annotation of the schema is an attribute the mapping writes', async (t) => {
  const names = new Set(Object.values(ATTR));
  for (const f of OTEL_FIELDS) {
    if (f.value === 'Timestamp') continue;
    t.ok(names.has(f.value as never), `${f.pointer} -> ${f.value}`);
  }
});

t.test('fromLogRecord: not an audit record, and the SDK ReadableLogRecord shape', async (t) => {
  t.equal(fromLogRecord({ attributes: { foo: 'bar' } }), undefined);
  const lr = toLogRecord(sample);
  const attrs = { ...lr.attributes };
  delete attrs[ATTR.time];
  t.equal(
    fromLogRecord({ attributes: attrs, hrTime: lr.timestamp })?.time,
    '2026-08-01T13:02:11.123456789Z',
    'time from hrTime when auditkit.time is absent',
  );
});
