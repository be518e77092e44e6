/**
 * Exactly once for every writer (issue 10, item 3): a convert run again into the same archive
 * writes nothing twice; a convert killed with SIGKILL and run again until it finishes leaves
 * each event exactly once.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { queryArchive } from '../../../src/exporters/ndjson_file/query.js';
import { verifyArchive } from '../../../src/exporters/ndjson_file/verify.js';
import { errors } from '../../helpers/archive.js';
import { cli, CLI_ARGS, childEnv } from '../../helpers/cli.js';
import { ROOT } from '../../helpers/golden.js';
import { wandbRecords } from '../../helpers/vendor-servers.js';

const tmp = await mkdtemp(path.join(tmpdir(), 'auditkit-once-'));

async function archivedIds(dir: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const e of queryArchive(dir)) ids.push(e.id);
  return ids;
}

t.test('convert run twice into one archive: the second writes nothing and says so', async (t) => {
  const dir = path.join(tmp, 'twice');
  const input = path.join(ROOT, 'examples/wandb/api-stream.ndjson');
  const first = await cli(['convert', input, '--to', 'archive', '-o', dir]);
  t.equal(first.code, 0, first.stderr);
  const second = await cli(['convert', input, '--to', 'archive', '-o', dir]);
  t.equal(second.code, 0, second.stderr);
  t.match(second.stderr, /skipped 40 already archived/);
  const ids = await archivedIds(dir);
  t.equal(ids.length, 40);
  t.equal(new Set(ids).size, 40);
  t.same(errors(await verifyArchive(dir, { strict: true })), []);
  const off = await cli(['convert', input, '--to', 'archive', '-o', dir, '--dedupe-window-secs', '0']);
  t.equal(off.code, 0);
  t.equal((await archivedIds(dir)).length, 80, '--dedupe-window-secs 0 turns it off');
});

t.test('SIGKILL during a convert, run again until it finishes: each event exactly once', async (t) => {
  const n = 150_000;
  const input = path.join(tmp, 'big.ndjson');
  await writeFile(
    input,
    `${wandbRecords(n, Date.UTC(2026, 7, 1), 1000)
      .map((r) => JSON.stringify(r))
      .join('\n')}\n`,
  );
  const dir = path.join(tmp, 'killed');
  let kills = 0;
  for (let attempt = 0; attempt < 12; attempt++) {
    const child = spawn(
      process.execPath,
      [...CLI_ARGS, 'convert', input, '--from', 'wandb', '--to', 'archive', '-o', dir, '--max-file-bytes', '2000000', '-q'],
      { cwd: ROOT, env: childEnv(), stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killAfter = attempt < 4 ? 600 + Math.floor(Math.random() * 1500) : undefined;
    const timer = killAfter !== undefined ? setTimeout(() => child.kill('SIGKILL'), killAfter) : undefined;
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    if (code === null) {
      kills++;
      continue;
    }
    t.equal(code, 0, `finished on attempt ${attempt + 1}: ${stderr.slice(0, 300)}`);
    break;
  }
  t.ok(kills > 0, `killed ${kills} times first`);
  const ids = await archivedIds(dir);
  t.equal(ids.length, n, 'every event');
  t.equal(new Set(ids).size, n, 'each once');
  t.same(errors(await verifyArchive(dir, { strict: true })), []);
});
