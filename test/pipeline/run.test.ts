import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { ConfigError } from '../../src/errors.js';
import { loadConfig, parseConfig } from '../../src/pipeline/config.js';
import { Runtime } from '../../src/pipeline/runtime.js';
import { queryArchive } from '../../src/exporters/ndjson_file/query.js';
import { verifyArchive } from '../../src/exporters/ndjson_file/verify.js';
import { cli, spawnCli, CLI_ARGS, childEnv } from '../helpers/cli.js';
import { ROOT } from '../helpers/golden.js';
import { OtlpReceiver, freePort } from '../helpers/otlp-receiver.js';
import { wandbRecords, wandbServer, wherobotsRecords, wherobotsServer } from '../helpers/vendor-servers.js';

const tmp = await mkdtemp(path.join(tmpdir(), 'auditkit-run-'));
let n = 0;
const fresh = (): string => path.join(tmp, `r${n++}`);
const T0 = Date.UTC(2026, 7, 1);
const ENV = {
  WANDB_URL: 'https://acme.wandb.io',
  WANDB_USER: 'admin',
  WANDB_API_KEY: 'k',
  PII_HMAC_KEY: 'h',
  ARCHIVE_HMAC_KEY: 'a',
  OTLP_ENDPOINT: 'http://127.0.0.1:4318',
  OTLP_API_KEY: 'o',
  SNORKEL_URL: 'https://snorkel.acme.io',
  SNORKEL_API_KEY: 's',
  WHEROBOTS_API_KEY: 'w',
  GATEWAY_TOKEN: 'g',
  NEXT_COLLECTOR: 'collector.internal:4317',
};

t.test('every example collector YAML loads and validates', async (t) => {
  for (const f of (await readdir(path.join(ROOT, 'examples/collector'))).filter((x) => x.endsWith('.yaml'))) {
    const config = await loadConfig(path.join(ROOT, 'examples/collector', f), ENV);
    t.ok(Object.keys(config.service.pipelines).length >= 1, `${f}: valid`);
  }
  try {
    await loadConfig(path.join(ROOT, 'examples/collector/wandb.yaml'), {});
    t.fail('should throw');
  } catch (err) {
    const paths = (err as ConfigError).problems.map((p) => p.path);
    t.ok(
      paths.includes('receivers.wandb.api_key') && paths.includes('exporters.otlphttp.headers.x-api-key'),
      'unset variables are named with their paths',
    );
  }
});

const BROKEN = `
receivers:
  wandb:
    url: not a url
    username: admin
    api_key: \${env:NOPE}
    since: yesterday
    page_size: 0
  zendesk: {}
processors:
  redact:
    email: hash
exporters:
  otlp:
    endpoint: ftp://x
    protocol: http/xml
service:
  pipelines:
    logs:
      receivers: [wandb, wherobots]
      exporters: [otlp, ndjson_file]
`;

t.test('a config with several mistakes reports all of them, each with its path', async (t) => {
  try {
    parseConfig(BROKEN, {});
    t.fail('should throw');
  } catch (err) {
    t.ok(err instanceof ConfigError);
    const problems = (err as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
    // Schema, semantic and reference problems all in one round (issue 13, item 7): a component
    // whose own options break the schema skips only its semantic check.
    t.match(problems.join('\n'), /receivers\.zendesk: unknown component type/);
    t.match(problems.join('\n'), /receivers\.wandb\.page_size: must be >= 1/);
    t.match(problems.join('\n'), /exporters\.otlp\.protocol: must be one of http\/protobuf, http\/json, grpc/);
    t.match(problems.join('\n'), /receivers\.wandb\.api_key: environment variable NOPE is not set/);
    t.match(problems.join('\n'), /processors\.redact\.email: hash needs hmac_key/, 'a semantic problem in the same round');
    t.match(problems.join('\n'), /service\.pipelines\.logs\.receivers\[1\]: no receiver named "wherobots"/, 'a reference problem too');
    t.match(problems.join('\n'), /service\.pipelines\.logs\.exporters\[1\]: no exporter named "ndjson_file"/);
  }
  const fixedSchema = BROKEN.replace('  zendesk: {}\n', '')
    .replace('page_size: 0', 'page_size: 10')
    .replace('protocol: http/xml', 'protocol: http/json');
  try {
    parseConfig(fixedSchema, { NOPE: 'k' });
    t.fail('should throw');
  } catch (err) {
    const problems = (err as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
    t.same(problems, [
      'receivers.wandb.since: not a time: use RFC 3339 (2026-08-01T13:45:00Z), a date (2026-08-01, UTC midnight), 2026-08-01T13:45 (UTC), or a duration back from now (90m, 24h, 7d)',
      'receivers.wandb.url: not a valid URL',
      'processors.redact.email: hash needs hmac_key (hashing without a key is refused)',
      'exporters.otlp.endpoint: not an http(s) URL',
      'service.pipelines.logs.receivers[1]: no receiver named "wherobots" is configured',
      'service.pipelines.logs.exporters[1]: no exporter named "ndjson_file" is configured',
    ]);
  }
  const file = path.join(tmp, 'broken.yaml');
  await writeFile(file, BROKEN);
  const r = await cli(['run', '--config', file]);
  t.equal(r.code, 2, 'auditkit run exits 2');
  t.match(r.stderr, /has \d+ problems:/);
  const yamlError = path.join(tmp, 'bad-yaml.yaml');
  await writeFile(yamlError, 'receivers:\n  wandb: [\n');
  const y = await cli(['run', '--config', yamlError]);
  t.equal(y.code, 2);
  t.match(y.stderr, /bad-yaml\.yaml:\d+:\d+: /, 'YAML errors name line and column');
});

function configFor(vendorUrl: string, otlpUrl: string, dir: string, extra = ''): string {
  return `
receivers:
  wherobots:
    url: ${vendorUrl}
    api_key: \${env:WB_KEY}
    since: "2026-08-01T00:00:00Z"
    page_size: 50
    poll_interval_secs: 1
    retries: 2
processors:
  redact:
    preset: default
  validate:
    on_invalid: drop
exporters:
  ndjson_file:
    directory: ${path.join(dir, 'archive')}
  otlphttp:
    endpoint: ${otlpUrl}
    timeout_secs: 2
${extra}
service:
  state_directory: ${path.join(dir, 'state')}
  pipelines:
    logs:
      receivers: [wherobots]
      processors: [redact, validate]
      exporters: [ndjson_file, otlphttp]
`;
}

t.test('run --once: pulls, redacts, archives and exports over OTLP; the checkpoint holds', async (t) => {
  const records = wherobotsRecords(230, T0, 60_000);
  const vendor = await wherobotsServer(records).start();
  const otlp = await new OtlpReceiver().start();
  t.teardown(async () => {
    await vendor.stop();
    await otlp.stop();
  });
  const dir = fresh();
  const file = path.join(dir, 'config.yaml');
  await import('node:fs/promises').then((fs) => fs.mkdir(dir, { recursive: true }));
  await writeFile(file, configFor(vendor.url, otlp.url, dir));
  process.env.WB_KEY = 'wherobots-key';
  process.env.OTEL_SERVICE_NAME = 'audit-gateway';
  process.env.OTEL_RESOURCE_ATTRIBUTES = 'deployment.environment.name=prod';
  const r = await cli(['run', '--config', file, '--once']);
  delete process.env.OTEL_SERVICE_NAME;
  delete process.env.OTEL_RESOURCE_ATTRIBUTES;
  t.equal(r.code, 0, r.stderr);
  t.equal(otlp.records.length, 230, 'all exported');
  t.match(
    otlp.records[0]!.resource,
    { 'service.name': 'audit-gateway', 'deployment.environment.name': 'prod', 'telemetry.sdk.language': 'nodejs' },
    'the resource from the environment',
  );
  t.ok(
    otlp.records.every((x) => x.attributes['auditkit.actor.email'] === '****' && x.attributes['user.email'] === undefined),
    'redacted',
  );
  const ids: string[] = [];
  for await (const e of queryArchive(path.join(dir, 'archive'))) ids.push(e.id);
  t.equal(ids.length, 230, 'all archived');
  t.ok((await verifyArchive(path.join(dir, 'archive'), { strict: true })).ok);
  const cp = JSON.parse(await readFile(path.join(dir, 'state/checkpoints/logs.wherobots.checkpoint.json'), 'utf8')) as {
    watermark?: string;
  };
  t.ok(cp.watermark, 'checkpoint written');
  const again = await cli(['run', '--config', file, '--once']);
  t.equal(again.code, 0);
  t.equal(otlp.records.length, 230, 'a second run sends nothing twice');
});

t.test('fault: the OTLP backend is down for a while, then returns; every record arrives, none twice (also across a restart)', async (t) => {
  const records = wherobotsRecords(180, T0, 60_000);
  const vendor = await wherobotsServer(records).start();
  const port = await freePort();
  const otlpUrl = `http://127.0.0.1:${port}`;
  const dir = fresh();
  const config = parseConfig(configFor(vendor.url, otlpUrl, dir), { WB_KEY: 'wherobots-key' });
  const logs: string[] = [];
  const fastQueue = { queueBackoffMillis: { min: 50, max: 300 }, pullBackoffMillis: { min: 20, max: 200 } };

  // First process: the backend is down. Pulls succeed (the archive and the queue on disk ack).
  const a = new Runtime(config, { log: (l) => logs.push(l), ...fastQueue });
  await a.start();
  const reports = await a.runOnce();
  t.same(
    reports.map((r) => r.error),
    [undefined],
    'the pull itself succeeds',
  );
  t.ok(a.pendingBatches() > 0, `${a.pendingBatches()} batches wait on disk`);
  for (let i = 0; i < 200 && !logs.some((l) => l.includes('kept on disk, will retry')); i++) await new Promise((r) => setTimeout(r, 100));
  t.match(logs.join('\n'), /kept on disk, will retry/, 'the failed send is reported and kept');
  t.notOk(await a.drain(300), 'cannot drain while the backend is down');
  await a.close(); // a restart: the queue stays on disk

  // Second process: the backend is back.
  const otlp = await new OtlpReceiver().start(port);
  t.teardown(async () => {
    await vendor.stop();
    await otlp.stop();
  });
  const b = new Runtime(config, { log: (l) => logs.push(l), ...fastQueue });
  await b.start();
  t.ok(await b.drain(20_000), 'the queue drains once the backend returns');
  const again = await b.runOnce();
  t.equal(again[0]!.counts?.delivered, 0, 'the checkpoint prevents pulling the same events again');
  await b.close();
  const ids = otlp.records.map((r) => r.attributes['auditkit.id']);
  t.equal(ids.length, 180, 'every record arrived');
  t.equal(new Set(ids).size, 180, 'none twice');
});

t.test('SIGTERM: auditkit run stops pulling, flushes and exits 0', async (t) => {
  const vendor = await wherobotsServer(wherobotsRecords(400, T0, 60_000)).start();
  vendor.faults = Array.from({ length: 50 }, () => ({ delayMillis: 150 }));
  const otlp = await new OtlpReceiver().start();
  t.teardown(async () => {
    await vendor.stop();
    await otlp.stop();
  });
  const dir = fresh();
  await import('node:fs/promises').then((fs) => fs.mkdir(dir, { recursive: true }));
  const file = path.join(dir, 'config.yaml');
  await writeFile(file, configFor(vendor.url, otlp.url, dir));
  const child = spawn(process.execPath, [...CLI_ARGS, 'run', '--config', file], {
    cwd: ROOT,
    env: childEnv({ WB_KEY: 'wherobots-key' }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // SIGTERM once the pull is under way (its first events are in the archive), however slow the
  // machine is: a fixed wait could land before anything was archived, or before the handler.
  const archive = path.join(dir, 'archive');
  const archived = async (): Promise<boolean> => (await readdir(archive).catch(() => [])).some((f) => /^seg-.*\.ndjson(\.gz)?$/.test(f));
  for (let i = 0; i < 300 && !(await archived()); i++) await new Promise((r) => setTimeout(r, 100));
  t.ok(await archived(), 'events were being archived when SIGTERM was sent');
  const sent = Date.now();
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  t.equal(code, 0, `exit 0 (${stderr.slice(-300)})`);
  t.ok(Date.now() - sent < 15_000, 'promptly');
  t.match(stderr, /SIGTERM: stopping/);
  t.match(stderr, /stopped/);
  const verified = await verifyArchive(archive, { strict: true });
  t.ok(verified.ok, `the archive was closed cleanly ${JSON.stringify(verified.problems)}`);
});

t.test('a W&B pipeline runs from YAML too (Basic auth from ${env:...})', async (t) => {
  const vendor = await wandbServer(wandbRecords(60, T0, 60_000)).start();
  t.teardown(() => vendor.stop());
  const dir = fresh();
  const config = parseConfig(
    `receivers:\n  wandb/prod:\n    url: ${vendor.url}\n    username: admin\n    api_key: \${env:K}\n    since: "2026-08-01T00:00:00Z"\nexporters:\n  ndjson_file:\n    directory: ${path.join(dir, 'a')}\nservice:\n  state_directory: ${path.join(dir, 's')}\n  pipelines:\n    logs:\n      receivers: [wandb/prod]\n      exporters: [ndjson_file]\n`,
    { K: 'wandb-key' },
  );
  const rt = new Runtime(config, { log: () => undefined });
  await rt.start();
  const [report] = await rt.runOnce();
  await rt.close();
  t.equal(report!.counts?.delivered, 60);
});

t.test(
  'auditkit run names every problem of a broken config in one run: schema, semantics, references, pipeline names (issue 13, item 7)',
  async (t) => {
    const file = path.join(tmp, 'all-at-once.yaml');
    await writeFile(
      file,
      [
        'receivers:',
        '  wandb:',
        '    url: https://acme.wandb.io',
        '    username: admin',
        '    api_key: k',
        '    since: 7d',
        '    page_size: 0', // schema
        'processors:',
        '  redact:',
        '    email: hash', // semantic: no key
        'exporters:',
        '  ndjson_file:',
        `    directory: ${path.join(tmp, 'never')}`,
        'service:',
        '  pipelines:',
        '    logs/audit:',
        '      receivers: [wandb]',
        '      processors: [redact]',
        '      exporters: [otlp]', // reference
        '    audit:', // pipeline name
        '      receivers: [wandb]',
        '      exporters: [ndjson_file]',
        '',
      ].join('\n'),
    );
    const r = await spawnCli(['run', '--config', file]);
    t.equal(r.code, 2, 'usage error');
    t.match(r.stderr, /receivers\.wandb\.page_size: must be >= 1/, 'the schema problem');
    t.match(r.stderr, /processors\.redact\.email: hash needs hmac_key/, 'the semantic problem');
    t.match(r.stderr, /service\.pipelines\.logs\/audit\.exporters\[0\]: no exporter named "otlp" is configured/, 'the missing exporter');
    t.match(r.stderr, /service\.pipelines\.audit: pipelines are named logs or logs\/NAME/, 'the pipeline name');
    t.match(r.stderr, /has 4 problems:/, 'exactly these four, in one run');
    t.notMatch(r.stderr, /\n\s+at /, 'no stack trace');
  },
);

t.test('a pipeline with a name other than logs or logs/NAME says how pipelines are named (issue 13, item 7)', async (t) => {
  const text = BROKEN.replace('  zendesk: {}\n', '')
    .replace('page_size: 0', 'page_size: 10')
    .replace('protocol: http/xml', 'protocol: http/json')
    .replace('    logs:\n', '    audit:\n');
  const err = t.throws(() => parseConfig(text, { NOPE: 'k' })) as unknown as ConfigError;
  const problems = err.problems.map((p) => `${p.path}: ${p.message}`);
  t.ok(
    problems.some((p) => p.startsWith('service.pipelines.audit') && p.includes('pipelines are named logs or logs/NAME')),
    problems.join('\n'),
  );
  t.notOk(
    problems.some((p) => p.startsWith('service.pipelines.audit') && p.includes('unknown component type')),
    'not called a component type',
  );
});
