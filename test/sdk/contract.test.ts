/**
 * The sdk-logs contract (issue 14, item 3), with both the Simple and the Batch processor after
 * auditkit's: attributes are written through the SDK, so `logRecordLimits` (count and value
 * length) hold and `droppedAttributesCount` says what was dropped; the Collector-mode redaction
 * counts the attributes it removes; `enabled()` is delegated to the next processor; in list mode
 * a dropped record is exported blank with `auditkit.dropped` (README documents it).
 */
import t from 'tap';
import {
  BatchLogRecordProcessor,
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
  type LogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import { context } from '@opentelemetry/api';
import { AuditLogProcessor } from '../../src/sdk/audit-log-processor.js';
import { createRedactionProcessor } from '../../src/sdk/redaction-processor.js';

const WANDB = {
  action: 'user:login',
  timestamp: '2026-08-01T13:02:11.123456Z',
  actor_email: 'maria.garcia@acme-ml.com',
  actor_ip: '203.0.113.24',
  actor_user_id: 1187,
  response_code: 200,
  user_agent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
};
const LIMITS = { attributeCountLimit: 5, attributeValueLengthLimit: 16 };
const KINDS = [
  ['Simple', (exporter: InMemoryLogRecordExporter): LogRecordProcessor => new SimpleLogRecordProcessor({ exporter })],
  [
    'Batch',
    (exporter: InMemoryLogRecordExporter): LogRecordProcessor => new BatchLogRecordProcessor({ exporter, scheduledDelayMillis: 10 }),
  ],
] as const;

for (const [kind, make] of KINDS) {
  t.test(`${kind}: AuditLogProcessor respects attributeCountLimit and attributeValueLengthLimit, and counts what it dropped`, async (t) => {
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({ logRecordLimits: LIMITS, processors: [new AuditLogProcessor({ next: make(exporter) })] });
    provider.getLogger('audit').emit({ body: WANDB, attributes: { 'auditkit.vendor': 'wandb' } });
    await provider.forceFlush();
    const [rec] = exporter.getFinishedLogRecords();
    t.ok(rec, 'exported');
    const attrs = Object.entries(rec!.attributes);
    t.ok(attrs.length <= 5, `${attrs.length} attributes, at most 5`);
    for (const [k, v] of attrs) if (typeof v === 'string') t.ok(v.length <= 16, `${k}: ${v.length} characters, at most 16`);
    t.ok(rec!.droppedAttributesCount > 0, `droppedAttributesCount ${rec!.droppedAttributesCount}`);
    await provider.shutdown();
  });

  t.test(`${kind}: the Collector-mode redaction counts the attributes it removes and frees their slots`, async (t) => {
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({
      logRecordLimits: { attributeCountLimit: 4 },
      processors: [createRedactionProcessor({ allowed_keys: ['keep'], summary: 'silent' }, { next: make(exporter) })],
    });
    provider.getLogger('x').emit({ body: 'b', attributes: { keep: 'k', secret: 's', other: 'o' } });
    await provider.forceFlush();
    const [rec] = exporter.getFinishedLogRecords();
    t.same(rec!.attributes, { keep: 'k' });
    t.equal(rec!.droppedAttributesCount, 2, 'the two removed attributes are counted as dropped');
    await provider.shutdown();
  });
}

t.test('enabled() is delegated to the next processor', async (t) => {
  const off: LogRecordProcessor = {
    onEmit: () => undefined,
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
    enabled: () => false,
  };
  const provider = new LoggerProvider({ processors: [new AuditLogProcessor({ next: off })] });
  t.equal(provider.getLogger('x').enabled({ context: context.active() }), false, 'disabled downstream: disabled');
  const on = new LoggerProvider({
    processors: [new AuditLogProcessor({ next: new SimpleLogRecordProcessor({ exporter: new InMemoryLogRecordExporter() }) })],
  });
  t.equal(on.getLogger('x').enabled({ context: context.active() }), true);
  const audit = new AuditLogProcessor();
  await audit.shutdown();
  t.equal(audit.enabled({ context: context.active(), instrumentationScope: { name: 'x' } }), false, 'after shutdown: disabled');
});

t.test('list mode: a dropped record is exported blank, marked auditkit.dropped', async (t) => {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    processors: [new AuditLogProcessor({ onInvalid: 'drop' }), new SimpleLogRecordProcessor({ exporter })],
  });
  provider
    .getLogger('x')
    .emit({ body: { not: 'a wandb record', email: 'leak@example.com' }, attributes: { 'auditkit.vendor': 'wandb', note: 'n' } });
  await provider.forceFlush();
  const [rec] = exporter.getFinishedLogRecords();
  t.same(rec!.attributes, { 'auditkit.dropped': true });
  t.equal(rec!.body, '');
  t.equal(rec!.droppedAttributesCount, 2, 'the attributes it had are counted as dropped');
});
