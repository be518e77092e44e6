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
