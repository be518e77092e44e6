import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import fc from 'fast-check';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { AuditLogProcessor } from '../../src/sdk/audit-log-processor.js';
import { createRedactionProcessor } from '../../src/sdk/redaction-processor.js';
import { createValidationProcessor } from '../../src/sdk/validation-processor.js';
import { NdjsonDeadLetterFile } from '../../src/io/dead-letter-file.js';
import { fromLogRecord, timeToHrTime, toLogRecord } from '../../src/model/otel.js';
import { validateAuditEvent } from '../../src/model/validators.js';
import type { DeadLetter } from '../../src/model/dead-letter.js';
import type { ForwardingProcessor } from '../../src/sdk/forwarding-processor.js';

const dir = await mkdtemp(path.join(tmpdir(), 'auditkit-proc-'));

function pipeline<P extends ForwardingProcessor>(make: (next: LogRecordProcessor) => P) {
  const exporter = new InMemoryLogRecordExporter();
  const processor = make(new SimpleLogRecordProcessor({ exporter }));
  const provider = new LoggerProvider({ processors: [processor] });
  return { exporter, processor, provider, logger: provider.getLogger('test') };
}

const WANDB = {
  action: 'user:login',
  timestamp: '2026-08-01T13:02:11.123456Z',
  actor_email: 'maria.garcia@acme-ml.com',
  actor_ip: '203.0.113.24',
  actor_user_id: 1187,
  response_code: 200,
};

t.test('AuditLogProcessor: raw vendor bodies become redacted audit event records', async (t) => {
  const { exporter, processor, provider, logger } = pipeline((next) => new AuditLogProcessor({ next }));
  logger.emit({ body: WANDB, attributes: { 'auditkit.vendor': 'wandb', 'service.name.custom': 'kept' } });
  logger.emit({
    body: JSON.stringify({
      event_id: 1,
      event_time: '2021-08-17T20:51:47.268843',
      event_name: 'api_key',
      event_type: 'create',
      user_uid: 2,
    }),
    attributes: { 'auditkit.vendor': 'snorkel' },
  });
  logger.emit({
    body: { event_time: '2025-02-20T18:09:00-08:00', action_name: 'CreateJobRun', user_name: 'dana@geo.io', source_ip: '198.51.100.7' },
    attributes: { 'auditkit.vendor': 'wherobots' },
  });
  await provider.forceFlush();
  const records = exporter.getFinishedLogRecords();
  t.equal(records.length, 3);
  const [w, s, r] = records;
  t.equal(w!.eventName, 'auditkit.event');
  t.equal(w!.severityNumber, SeverityNumber.INFO);
  t.same(w!.hrTime, timeToHrTime('2026-08-01T13:02:11.123456Z'), 'Timestamp = event time to the nanosecond');
  t.equal(w!.attributes['auditkit.action.operation'], 'login');
  t.equal(w!.attributes['auditkit.actor.email'], '****', 'PII masked by the default policy');
  t.equal(w!.attributes['user.email'], undefined, 'a mask is not a user.email');
  t.equal(w!.attributes['auditkit.actor.ip'], '203.0.113.0/24', 'a truncated network is not a client.address');
  t.equal(w!.attributes['client.address'], undefined);
  t.equal(w!.attributes['service.name.custom'], 'kept', 'other attributes stay');
  t.equal(w!.body, 'wandb user:login by ****: success', 'the body is built after redaction');
  t.equal(s!.attributes['auditkit.id'], 'snorkel:1');
  t.equal(r!.attributes['auditkit.time'], '2025-02-21T02:09:00Z');
  for (const rec of records) t.ok(validateAuditEvent(fromLogRecord(rec)), 'each record maps back to a valid event');
  t.same(processor.stats, { received: 3, forwarded: 3, dropped: 0, deadLettered: 0, errors: 0 });
});

t.test('AuditLogProcessor: other telemetry passes through untouched', async (t) => {
  const { exporter, processor, provider, logger } = pipeline((next) => new AuditLogProcessor({ next }));
  logger.emit({ body: 'GET /health 200 from maria@acme.io', attributes: { 'http.route': '/health' } });
  await provider.forceFlush();
  const [rec] = exporter.getFinishedLogRecords();
  t.equal(rec!.body, 'GET /health 200 from maria@acme.io', 'not an audit record: not ours to change');
  t.equal(processor.passedThrough, 1);
});

t.test('AuditLogProcessor: already-normalized records are validated and redacted again', async (t) => {
  const { exporter, provider, logger } = pipeline((next) => new AuditLogProcessor({ next, redaction: { preset: 'wandb-anonymize' } }));
  const event = {
    schema_version: '1.0' as const,
    id: 'wandb:x',
    time: '2026-08-01T00:00:00Z',
    vendor: 'wandb' as const,
    action: { name: 'project:read', category: 'project', operation: 'read' as const },
    outcome: { result: 'unknown' as const },
    actor: { email: 'a@b.io' },
  };
  logger.emit(toLogRecord(event));
  await provider.forceFlush();
  const [rec] = exporter.getFinishedLogRecords();
  t.equal(rec!.attributes['user.email'], undefined, 'removed by wandb-anonymize');
});

t.test('on_invalid: drop counts, pass annotates without PII, dead_letter keeps the original', async (t) => {
  const bad = { action: 'user:login', timestamp: 'yesterday', actor_email: 'maria.garcia@acme-ml.com' };

  const drop = pipeline((next) => new AuditLogProcessor({ next, onInvalid: 'drop' }));
  drop.logger.emit({ body: bad, attributes: { 'auditkit.vendor': 'wandb' } });
  await drop.provider.forceFlush();
  t.equal(drop.exporter.getFinishedLogRecords().length, 0, 'dropped');
  t.equal(drop.processor.stats.dropped, 1, 'and counted');

  const pass = pipeline((next) => new AuditLogProcessor({ next, onInvalid: 'pass' }));
  pass.logger.emit({ body: bad, attributes: { 'auditkit.vendor': 'wandb' } });
  await pass.provider.forceFlush();
  const [p] = pass.exporter.getFinishedLogRecords();
  t.match(p!.attributes['auditkit.validation.errors'], [/\/timestamp: invalid_time/]);
  t.notMatch(JSON.stringify(p!.body), /maria/, 'passed on, but PII is still scanned out');

  const file = path.join(dir, 'dead.ndjson');
  const sink = new NdjsonDeadLetterFile(file);
  const dl = pipeline((next) => new AuditLogProcessor({ next, onInvalid: 'dead_letter', deadLetter: sink }));
  dl.logger.emit({ body: bad, attributes: { 'auditkit.vendor': 'wandb' } });
  dl.logger.emit({ body: 'not json', attributes: { 'auditkit.vendor': 'wandb' } });
  await dl.provider.shutdown();
  const letters = (await readFile(file, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as DeadLetter);
  t.equal(letters.length, 2);
  t.same(
    [letters[0]!.code, letters[0]!.source.pointer, letters[0]!.stage, letters[0]!.vendor],
    ['invalid_time', '/timestamp', 'process', 'wandb'],
  );
  t.same(JSON.parse(letters[0]!.original), bad, 'original record kept for re-feeding');
  t.equal(letters[1]!.code, 'invalid_json');
  t.same(dl.processor.stats, { received: 2, forwarded: 0, dropped: 0, deadLettered: 2, errors: 0 });
  t.throws(() => new AuditLogProcessor({ onInvalid: 'dead_letter' }), /needs a deadLetter sink/);
});

t.test('hash mode without a key refuses to start', async (t) => {
  t.throws(() => new AuditLogProcessor({ redaction: { email: 'hash' } }), { code: 'config_error' });
});

t.test('createRedactionProcessor in a LoggerProvider, before the exporting processor', async (t) => {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    processors: [
      createRedactionProcessor({ allowed_keys: ['user.id', 'note'], blocked_values: ['[0-9]{16}'], summary: 'debug' }),
      new SimpleLogRecordProcessor({ exporter }),
    ],
  });
  provider.getLogger('x').emit({
    body: { note: 'card 4111111111111111', secret: 's' },
    attributes: { 'user.id': 'u1', note: 'card 4111111111111111', password: 'p' },
  });
  await provider.forceFlush();
  const [rec] = exporter.getFinishedLogRecords();
  t.same(rec!.attributes, {
    'user.id': 'u1',
    note: 'card ****',
    'redaction.redacted.keys': 'password',
    'redaction.redacted.count': 1,
    'redaction.masked.keys': 'note',
    'redaction.masked.count': 1,
    'redaction.body.redacted.keys': 'secret',
    'redaction.body.redacted.count': 1,
    'redaction.body.masked.keys': 'note',
    'redaction.body.masked.count': 1,
  });
  t.same(rec!.body, { note: 'card ****' });
});

t.test('validation processor: on_invalid policies on event records', async (t) => {
  const good = toLogRecord({
    schema_version: '1.0',
    id: 'wandb:x',
    time: '2026-08-01T00:00:00Z',
    vendor: 'wandb',
    action: { name: 'a', category: 'a', operation: 'read' },
    outcome: { result: 'unknown' },
  });
  const bad = { ...good, attributes: { ...good.attributes, 'auditkit.action.operation': 'explode' } };
  const v = pipeline((next) => createValidationProcessor({ on_invalid: 'pass' }, { next }));
  v.logger.emit(good);
  v.logger.emit(bad);
  await v.provider.forceFlush();
  const [a, b] = v.exporter.getFinishedLogRecords();
  t.equal(a!.attributes['auditkit.validation.errors'], undefined);
  t.match(b!.attributes['auditkit.validation.errors'], [/\/action\/operation: schema_violation/]);
  const d = pipeline((next) => createValidationProcessor({ on_invalid: 'drop' }, { next }));
  d.logger.emit(bad);
  await d.provider.forceFlush();
  t.equal(d.exporter.getFinishedLogRecords().length, 0);
  t.equal(d.processor.stats.dropped, 1);
});

t.test('property: no processor ever throws from onEmit, and every record is accounted for', async (t) => {
  const key = fc.oneof(
    fc.constantFrom(
      'auditkit.vendor',
      'auditkit.id',
      'auditkit.time',
      'auditkit.resources',
      'auditkit.details',
      'user.email',
      '__proto__',
      'constructor',
      'note',
    ),
    fc.string({ maxLength: 12 }),
  );
  const value = fc.oneof(fc.constantFrom('wandb', 'snorkel', 'wherobots', '{"a":', '[]'), fc.jsonValue({ maxDepth: 3 }));
  const body = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.string(), fc.constant(undefined), fc.constant(JSON.stringify(WANDB)));
  const makers: [string, (next: LogRecordProcessor) => ForwardingProcessor][] = [
    ['AuditLogProcessor drop', (next) => new AuditLogProcessor({ next })],
    [
      'AuditLogProcessor pass',
      (next) => new AuditLogProcessor({ next, onInvalid: 'pass', redaction: { preset: 'default', hmac_key: 'k' } }),
    ],
    [
      'RedactionProcessor',
      (next) =>
        createRedactionProcessor(
          { allowed_keys: ['note', 'auditkit.vendor'], blocked_values: ['a+', '[0-9]'], redact_all_types: true, summary: 'debug' },
          { next },
        ),
    ],
    ['ValidationProcessor', (next) => createValidationProcessor({ on_invalid: 'pass' }, { next })],
  ];
  for (const [name, make] of makers) {
    const p = pipeline(make);
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 6 }), body, (attrs, b) => {
        p.logger.emit({ attributes: JSON.parse(JSON.stringify(attrs)) as never, body: b });
      }),
      { numRuns: 300 },
    );
    await p.provider.forceFlush();
    const s = p.processor.stats;
    t.equal(s.received, 300, `${name}: saw every record`);
    t.equal(s.received, s.forwarded + s.dropped + s.deadLettered, `${name}: received = forwarded + dropped + dead-lettered`);
    t.equal(p.exporter.getFinishedLogRecords().length, s.forwarded, `${name}: exactly the forwarded records reached the exporter`);
  }
});

t.test('AuditLogProcessor: the vendor attribute is matched case- and spelling-insensitively (issue 12, item 5)', async (t) => {
  const { exporter, provider, logger } = pipeline((next) => new AuditLogProcessor({ next }));
  for (const vendor of ['WandB', 'W&B', 'weights-and-biases', 'Weights & Biases', ' WANDB '])
    logger.emit({ body: WANDB, attributes: { 'auditkit.vendor': vendor } });
  await provider.forceFlush();
  const records = exporter.getFinishedLogRecords();
  t.equal(records.length, 5);
  for (const r of records) {
    t.equal(r.attributes['auditkit.vendor'], 'wandb', 'normalized as W&B');
    t.equal(r.attributes['auditkit.actor.email'], '****', 'and redacted');
    t.notMatch(JSON.stringify(r.body) + JSON.stringify(r.attributes), /maria\.garcia/);
  }
});

t.test('AuditLogProcessor: a record naming a vendor it does not know is rejected, never passed on unredacted', async (t) => {
  for (const onInvalid of ['drop', 'pass'] as const) {
    const { exporter, processor, provider, logger } = pipeline((next) => new AuditLogProcessor({ next, onInvalid }));
    logger.emit({ body: WANDB, attributes: { 'auditkit.vendor': 'zendesk' } });
    await provider.forceFlush();
    const records = exporter.getFinishedLogRecords();
    t.notMatch(
      JSON.stringify(records.map((r) => [r.body, r.attributes])),
      /maria\.garcia|203\.0\.113\.24/,
      `${onInvalid}: no PII forwarded`,
    );
    t.equal(processor.passedThrough, 0, `${onInvalid}: not counted as other telemetry`);
    if (onInvalid === 'pass') t.match(JSON.stringify(records[0]!.attributes), /unknown_vendor/, 'pass: marked with the problem');
    else t.equal(records.length, 0, 'drop: dropped');
  }
});
