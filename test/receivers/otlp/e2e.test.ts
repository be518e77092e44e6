/**
 * End to end, as an SRE runs it: `auditkit run` (a child process) with the otlp receiver, a
 * redaction and a validate processor, an archive and an otlphttp exporter to a downstream
 * receiver on loopback.
 *
 * 1. The official OTLP exporter sends 10,000 records (9,500 raw W&B records, 250 of them invalid,
 *    and 500 ordinary logs): the partial-success counts it receives are exact, the archive holds
 *    every accepted audit event once, and the downstream receiver gets every accepted record.
 * 2. A client sends requests one after another while auditkit is killed with SIGKILL and started
 *    again on the same port: every acknowledged record reaches the downstream receiver and the
 *    archive (once), and nothing rejected does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { ROOT } from '../../helpers/golden.js';
import { OtlpReceiver } from '../../helpers/otlp-receiver.js';
import { logRecord, post, request } from '../../helpers/otlp-client.js';
import { until } from '../../helpers/wait.js';
import { CLI_ARGS, childEnv } from '../../helpers/cli.js';

/** A raw W&B audit record; `seq` makes it unique (its actor id); `bad` leaves out the timestamp. */
function wandb(seq: number, bad = false): Record<string, unknown> {
  return {
    ...(bad ? {} : { timestamp: new Date(Date.UTC(2026, 7, 1) + seq * 1000).toISOString() }),
    action: 'run:update',
    actor_user_id: seq,
    actor_email: `user${seq}@acme-ml.com`,
    actor_ip: '203.0.113.7',
    entity_name: 'vision',
    project_name: `proj-${seq % 17}`,
    response_code: 200,
  };
}
const isBad = (seq: number): boolean => seq % 38 === 0; // 250 of 9,500

function config(dir: string, downstream: string): string {
  return `
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:\${env:GW_PORT}
processors:
  redaction:
    allow_all_keys: true
    blocked_values: ["4[0-9]{12}(?:[0-9]{3})?"]
  validate:
    on_invalid: drop
exporters:
  ndjson_file:
    directory: ${path.join(dir, 'archive')}
  otlphttp:
    endpoint: ${downstream}
    retry_on_failure:
      initial_interval: 50ms
      max_interval: 500ms
service:
  state_directory: ${path.join(dir, 'state')}
  pipelines:
    logs:
      receivers: [otlp]
      processors: [redaction, validate]
      exporters: [ndjson_file, otlphttp]
`;
}

interface Running {
  child: ChildProcess;
  port: number;
  stderr: string[];
}

/** Starts `auditkit run` and waits for its listening line. */
function startAuditkit(file: string, port: number): Promise<Running> {
  const child = spawn(process.execPath, [...CLI_ARGS, 'run', '--config', file], {
    cwd: ROOT,
    env: childEnv({ GW_PORT: String(port) }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stderr: string[] = [];
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stderr.on('data', (c: Buffer) => {
      buf += c.toString('utf8');
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const line of lines) {
        stderr.push(line);
        const m = /listening for OTLP\/HTTP on 127\.0\.0\.1:(\d+)/.exec(line);
        if (m) resolve({ child, port: Number(m[1]), stderr });
      }
    });
    child.once('exit', (code) => {
      reject(new Error(`auditkit exited (${code}): ${stderr.join('\n')}`));
    });
  });
}

const exited = (child: ChildProcess): Promise<void> =>
  new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));

async function archiveLines(dir: string): Promise<Record<string, unknown>[]> {
  const archive = path.join(dir, 'archive');
  const files = (await readdir(archive)).filter((f) => f.endsWith('.ndjson')).sort();
  const lines = (await Promise.all(files.map(async (f) => (await readFile(path.join(archive, f), 'utf8')).split('\n')))).flat();
  return lines.filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

t.test(
  '10,000 records from the official OTLP exporter: exact partial success, the archive and the downstream receiver hold every accepted record once',
  async (t) => {
    const downstream = await new OtlpReceiver().start();
    const dir = await mkdtemp(path.join(tmpdir(), 'auditkit-e2e-'));
    const file = path.join(dir, 'gateway.yaml');
    await writeFile(file, config(dir, downstream.url));
    const run = await startAuditkit(file, 0);
    t.teardown(async () => {
      run.child.kill('SIGKILL');
      await exited(run.child);
      await downstream.stop();
    });

    // The official exporter reports partial success through the diagnostics logger.
    let rejected = 0;
    diag.setLogger(
      {
        warn: (msg: string, ...args: unknown[]) => {
          if (msg.startsWith('Received Partial Success'))
            rejected += Number((JSON.parse(String(args[0])) as { rejectedLogRecords?: number | string }).rejectedLogRecords ?? 0);
        },
        error: () => undefined,
        info: () => undefined,
        debug: () => undefined,
        verbose: () => undefined,
      },
      DiagLogLevel.WARN,
    );
    t.teardown(() => diag.disable());
    const exporter = new OTLPLogExporter({ url: `http://127.0.0.1:${run.port}/v1/logs` });
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'audit-forwarder' }),
      processors: [new BatchLogRecordProcessor({ exporter, maxExportBatchSize: 500, maxQueueSize: 20_000, scheduledDelayMillis: 20 })],
    });
    const logger = provider.getLogger('e2e');
    let expectedBad = 0;
    for (let seq = 1; seq <= 9500; seq++) {
      if (isBad(seq)) expectedBad++;
      logger.emit({ body: JSON.stringify(wandb(seq, isBad(seq))), attributes: { 'auditkit.vendor': 'wandb' } });
    }
    for (let n = 0; n < 500; n++) logger.emit({ body: `order ${n} paid with 4111111111111111`, attributes: { seq: n } });
    await provider.forceFlush();
    await provider.shutdown();
    t.equal(expectedBad, 250);
    t.equal(rejected, 250, 'the partial-success answers reject exactly the 250 invalid records');

    const accepted = 10_000 - 250;
    await until(() => downstream.records.length >= accepted, 60_000);
    t.equal(downstream.records.length, accepted, 'the downstream receiver got every accepted record, once');
    const ids = new Set(downstream.records.filter((r) => r.eventName === 'auditkit.event').map((r) => r.attributes['user.id']));
    t.equal(ids.size, 9250, 'every valid audit event, by its actor');
    t.ok(
      downstream.records
        .filter((r) => r.eventName !== 'auditkit.event')
        .every((r) => typeof r.body === 'string' && r.body.endsWith('paid with ****')),
      'the plain logs passed through, redacted',
    );
    const lines = await archiveLines(dir);
    t.equal(lines.length, 9250, 'the archive holds every accepted audit event');
    t.equal(new Set(lines.map((l) => l.id)).size, 9250, 'each once');
  },
);

t.test('SIGKILL mid-way and a restart lose no acknowledged record', async (t) => {
  const downstream = await new OtlpReceiver().start();
  const dir = await mkdtemp(path.join(tmpdir(), 'auditkit-crash-'));
  const file = path.join(dir, 'gateway.yaml');
  await writeFile(file, config(dir, downstream.url));
  let run = await startAuditkit(file, 0);
  const port = run.port;
  t.teardown(async () => {
    run.child.kill('SIGKILL');
    await exited(run.child);
    await downstream.stop();
  });
  const url = `http://127.0.0.1:${port}/v1/logs`;
  const acknowledgedIds = new Set<string>();
  const acknowledgedLogs = new Set<number>();
  let rejectedAnswered = 0;
  let killed = false;
  const REQUESTS = 60;
  const PER = 50;
  for (let r = 0; r < REQUESTS; r++) {
    const records = [];
    const ids: string[] = [];
    let bad = 0;
    for (let k = 0; k < PER; k++) {
      const seq = r * PER + k + 1;
      if (k === PER - 1) {
        records.push(logRecord({ seq }, `log ${seq}`));
        continue;
      }
      if (isBad(seq)) bad++;
      else ids.push(String(seq));
      records.push(logRecord({ 'auditkit.vendor': 'wandb' }, JSON.stringify(wandb(seq, isBad(seq)))));
    }
    // The downstream is down from request 15 on: acknowledged batches wait in the sending queue on disk.
    if (r === 15) downstream.failNext.push(...Array.from({ length: 1000 }, () => ({ status: 503 })));
    // Kill auditkit while request 25 is in flight, then start it again on the same port.
    const sending = post(url, request(records)).catch(() => undefined);
    if (r === 25) {
      await new Promise((res) => setTimeout(res, 5));
      run.child.kill('SIGKILL');
      killed = true;
    }
    let answer = await sending;
    if (killed && r === 25) {
      await exited(run.child);
      t.ok(downstream.records.length < (r - 1) * PER, 'acknowledged records were still queued when auditkit was killed');
      run = await startAuditkit(file, port);
      answer = await post(url, request(records)); // the client sends what was not acknowledged again
    }
    if (answer?.status === 200) {
      rejectedAnswered += answer.rejected;
      t.equal(answer.rejected, bad, `request ${r}: exactly its invalid records rejected`);
      for (const id of ids) acknowledgedIds.add(id);
      acknowledgedLogs.add(r * PER + PER);
    }
  }
  t.ok(killed, 'auditkit was killed mid-way');
  downstream.failNext.length = 0; // the downstream is back
  t.ok(rejectedAnswered > 0, 'some records were rejected along the way');
  await until(() => downstream.records.length >= acknowledgedIds.size + acknowledgedLogs.size, 60_000);
  const gotIds = new Set(downstream.records.filter((x) => x.eventName === 'auditkit.event').map((x) => String(x.attributes['user.id'])));
  const missing = [...acknowledgedIds].filter((id) => !gotIds.has(id));
  t.same(missing, [], 'every acknowledged audit record reached the downstream receiver');
  const gotLogs = new Set(downstream.records.filter((x) => x.eventName !== 'auditkit.event').map((x) => Number(x.attributes.seq)));
  t.same(
    [...acknowledgedLogs].filter((s) => !gotLogs.has(s)),
    [],
    'every acknowledged plain log too',
  );
  const lines = await archiveLines(dir);
  const archived = new Set(lines.map((l) => String((l.actor as { id?: string } | undefined)?.id)));
  t.same(
    [...acknowledgedIds].filter((id) => !archived.has(id)),
    [],
    'the archive holds every acknowledged audit event',
  );
  t.equal(new Set(lines.map((l) => l.id)).size, lines.length, 'each once (a resent request is deduplicated)');
  t.ok(
    downstream.records.every((x) => !(typeof x.attributes['user.id'] === 'string' && isBad(Number(x.attributes['user.id'])))),
    'nothing rejected went downstream',
  );
});
