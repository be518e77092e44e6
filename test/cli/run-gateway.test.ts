/**
 * `auditkit run` with the otlp receiver, as a user runs it: `--once` is refused for a
 * configuration that only listens (exit 2), a port already taken is exit 3 with one line, and
 * SIGTERM answers the request in flight, stops listening and exits 0.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { spawnCli, CLI_ARGS, childEnv } from '../helpers/cli.js';
import { ROOT } from '../helpers/golden.js';
import { logRecord, post, request } from '../helpers/otlp-client.js';

async function gatewayConfig(port: number): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'auditkit-run-gw-'));
  const file = path.join(dir, 'gateway.yaml');
  await writeFile(
    file,
    `
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${port}
exporters:
  ndjson_file:
    directory: ${path.join(dir, 'archive')}
service:
  state_directory: ${path.join(dir, 'state')}
  pipelines:
    logs:
      receivers: [otlp]
      exporters: [ndjson_file]
`,
  );
  return file;
}

t.test('--once with a configuration that only listens: exit 2', async (t) => {
  const r = await spawnCli(['run', '--config', await gatewayConfig(0), '--once']);
  t.equal(r.code, 2, r.stderr);
  t.match(r.stderr, /--once: this configuration only listens/);
});

t.test('a port already taken: exit 3, one line', async (t) => {
  const blocker = createServer();
  const port = await new Promise<number>((r) => blocker.listen(0, '127.0.0.1', () => r((blocker.address() as { port: number }).port)));
  t.teardown(() => new Promise<void>((r) => blocker.close(() => r())));
  const r = await spawnCli(['run', '--config', await gatewayConfig(port)]);
  t.equal(r.code, 3, r.stderr);
  t.match(r.stderr, /cannot start: .*EADDRINUSE/);
  t.notMatch(r.stderr, /\n\s+at /, 'no stack trace');
});

t.test('SIGTERM: the records sent are answered, then auditkit stops and exits 0', async (t) => {
  const file = await gatewayConfig(0);
  const child = spawn(process.execPath, [...CLI_ARGS, 'run', '--config', file], {
    cwd: ROOT,
    env: childEnv(),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      const m = /listening for OTLP\/HTTP on 127\.0\.0\.1:(\d+)/.exec(stderr);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', () => reject(new Error(stderr)));
  });
  const r = await post(`http://127.0.0.1:${port}/v1/logs`, request([logRecord({ a: 1 }, 'hello')]));
  t.equal(r.status, 200);
  const code = await new Promise<number | null>((resolve) => {
    child.once('exit', (c) => resolve(c));
    child.kill('SIGTERM');
  });
  t.equal(code, 0, stderr);
  t.match(stderr, /SIGTERM: stopping/);
  t.match(stderr, /stopped/);
});
