/**
 * The SDK processors' lifecycle, as sdk-logs has it: shutdown is idempotent, onEmit after
 * shutdown does nothing, forceFlush honours its timeout, and failures go to the OTel diag
 * logger instead of being swallowed.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
  type LogRecordProcessor,
  type ReadWriteLogRecord,
} from '@opentelemetry/sdk-logs';
import { NdjsonDeadLetterFile } from '../../src/io/dead-letter-file.js';
import { AuditLogProcessor } from '../../src/sdk/audit-log-processor.js';
import { createRedactionProcessor } from '../../src/sdk/redaction-processor.js';
import { createValidationProcessor } from '../../src/sdk/validation-processor.js';
import type { ForwardingProcessor } from '../../src/sdk/forwarding-processor.js';

const dir = await mkdtemp(path.join(tmpdir(), 'auditkit-lifecycle-'));
const WANDB = { action: 'user:login', timestamp: '2026-08-01T13:02:11Z', actor_email: 'maria.garcia@acme-ml.com', response_code: 200 };

/** Rejects when `p` has not settled after `ms`. */
const within = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms).unref())]);

const makers: [string, (o: { next: LogRecordProcessor; forceFlushTimeoutMillis?: number }) => ForwardingProcessor][] = [
  [
    'AuditLogProcessor',
    (o) =>
      new AuditLogProcessor({
        ...o,
        onInvalid: 'dead_letter',
        deadLetter: new NdjsonDeadLetterFile(path.join(dir, `${Math.random()}.ndjson`)),
      }),
  ],
  ['RedactionProcessor', (o) => createRedactionProcessor({ allow_all_keys: true }, o)],
  [
    'ValidationProcessor',
    (o) =>
      createValidationProcessor(
        { on_invalid: 'dead_letter' },
        { ...o, deadLetter: new NdjsonDeadLetterFile(path.join(dir, `${Math.random()}.ndjson`)) },
      ),
  ],
];

for (const [name, make] of makers) {
  t.test(`${name}: shutdown is idempotent and onEmit after it does nothing`, async (t) => {
    const exporter = new InMemoryLogRecordExporter();
    const processor = make({ next: new SimpleLogRecordProcessor({ exporter }) });
    const provider = new LoggerProvider({ processors: [processor] });
    provider.getLogger('x').emit({ body: WANDB, attributes: { 'auditkit.vendor': 'wandb' } });
    await within(processor.shutdown(), 2000);
    await within(processor.shutdown(), 200).then(
      () => t.pass('a second shutdown resolves at once'),
      (err: unknown) => t.fail(String(err)),
    );
    const received = processor.stats.received;
    processor.onEmit({ attributes: {}, body: 'late', setBody: () => undefined } as unknown as ReadWriteLogRecord);
    t.equal(processor.stats.received, received, 'a record after shutdown is not even counted');
  });

  t.test(`${name}: forceFlush rejects after its timeout when the next processor hangs`, async (t) => {
    const hanging: LogRecordProcessor = {
      onEmit: () => undefined,
      forceFlush: () => new Promise(() => undefined),
      shutdown: () => Promise.resolve(),
    };
    const processor = make({ next: hanging, forceFlushTimeoutMillis: 50 });
    const started = Date.now();
    await t.rejects(processor.forceFlush(), /forceFlush timed out after 50 ms/);
    t.ok(Date.now() - started < 1000, 'within the timeout, not the default 30 s');
    await processor.shutdown();
  });

  t.test(`${name}: a failure of the next processor goes to the diag logger and is counted`, async (t) => {
    const errors: string[] = [];
    const logger: DiagLogger = {
      error: (m) => void errors.push(m),
      warn: () => undefined,
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    };
    diag.setLogger(logger, DiagLogLevel.ERROR);
    t.teardown(() => diag.disable());
    const throwing: LogRecordProcessor = {
      onEmit: () => {
        throw new Error('exporter broke');
      },
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    };
    const processor = make({ next: throwing });
    const provider = new LoggerProvider({ processors: [processor] });
    t.doesNotThrow(() =>
      provider.getLogger('x').emit({ body: WANDB, attributes: { 'auditkit.vendor': 'wandb', 'auditkit.id': undefined as never } }),
    );
    t.equal(processor.stats.errors, 1);
    t.match(errors.join('\n'), new RegExp(`${name}: the next processor threw: exporter broke`));
    await processor.shutdown();
  });
}

t.test('ValidationProcessor: forceFlush writes its dead letters, shutdown closes the file', async (t) => {
  const file = path.join(dir, 'validation-dead.ndjson');
  const exporter = new InMemoryLogRecordExporter();
  const processor = createValidationProcessor(
    { on_invalid: 'dead_letter' },
    { next: new SimpleLogRecordProcessor({ exporter }), deadLetter: new NdjsonDeadLetterFile(file) },
  );
  const provider = new LoggerProvider({ processors: [processor] });
  provider.getLogger('x').emit({ body: 'x', attributes: { 'auditkit.id': 'wandb:1', 'auditkit.vendor': 'wandb' } });
  await provider.forceFlush();
  const lines = (await readFile(file, 'utf8')).trim().split('\n');
  t.equal(lines.length, 1, 'the rejected record is in the file after forceFlush');
  t.match(JSON.parse(lines[0]!), { dead_letter: 'auditkit/v1', stage: 'validate', code: 'schema_violation' });
  t.equal(processor.stats.deadLettered, 1);
  await provider.shutdown();
  await within(provider.shutdown(), 200);
});
