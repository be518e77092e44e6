/**
 * Times OTLP cannot carry (issue 14, item 5): `time_unix_nano` is an unsigned 64-bit count of
 * nanoseconds since 1970, so an event before 1970 or after 2262-04-11T23:47:16.854775807Z is
 * rejected as `time_out_of_range` (for every output, so NDJSON and OTLP agree), never sent
 * garbled; the last representable instant is encoded exactly.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { validateEvent } from '../../src/processors/validate/validate.js';
import { timeToHrTime } from '../../src/model/time.js';
import { spawnCli } from '../helpers/cli.js';
import { OtlpReceiver } from '../helpers/otlp-receiver.js';

const tmp = await mkdtemp(path.join(tmpdir(), 'auditkit-time-range-'));
const record = (timestamp: string): string => JSON.stringify({ timestamp, action: 'user:login', actor_user_id: 1, response_code: 200 });

t.test('before 1970 and after 2262: rejected as time_out_of_range, the rest delivered', async (t) => {
  const file = path.join(tmp, 'edges.ndjson');
  await writeFile(
    file,
    [
      '1969-12-31T23:59:59.5Z',
      '1970-01-01T00:00:00.000000001Z',
      '2262-04-11T23:47:16.854775807Z',
      '2262-04-11T23:47:16.854775808Z',
      '2300-01-01T00:00:00Z',
    ]
      .map(record)
      .join('\n') + '\n',
  );
  const r = await spawnCli(['convert', file, '--from', 'wandb']);
  t.equal(r.code, 1, 'records were rejected');
  t.equal(r.stdout.split('\n').filter(Boolean).length, 2, 'the two in range');
  t.match(r.stderr, /edges\.ndjson:1 at \/timestamp: time_out_of_range/);
  t.match(r.stderr, /edges\.ndjson:4 at \/timestamp: time_out_of_range/);
  t.match(r.stderr, /edges\.ndjson:5 at \/timestamp: time_out_of_range/);

  const receiver = await new OtlpReceiver().start();
  t.teardown(() => receiver.stop());
  const o = await spawnCli(['convert', file, '--from', 'wandb', '--to', 'otlp', '--endpoint', receiver.url]);
  t.equal(o.code, 1);
  t.same(
    receiver.records.map((x) => x.timeUnixNano),
    ['1', '9223372036854775807'],
    'the first nanosecond after the epoch (0 means "unknown" in OTLP) and the last instant an SDK HrTime holds, exactly',
  );
});

t.test('an event given whole (the validate processor, AuditLogProcessor) is checked too', async (t) => {
  const event = {
    schema_version: '1.0',
    id: 'wandb:x',
    time: '1969-07-20T20:17:40Z',
    vendor: 'wandb',
    action: { name: 'user:login', category: 'user', operation: 'login' },
    outcome: { result: 'success' },
  };
  t.same(
    validateEvent(event).map((p) => [p.code, p.pointer]),
    [['time_out_of_range', '/time']],
  );
  t.same(validateEvent({ ...event, time: '2026-08-01T00:00:00Z' }), []);
  t.same(timeToHrTime('2262-04-11T23:47:16.854775807Z'), [9223372036, 854775807]);
});
