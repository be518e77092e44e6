import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import t from 'tap';
import { validateAuditEvent } from '../../src/model/validators.js';
import type { AuditEvent } from '../../src/model/event.js';
import type { DeadLetter } from '../../src/model/dead-letter.js';
import { cli, spawnCli } from '../helpers/cli.js';
import { ROOT } from '../helpers/golden.js';

const dir = await mkdtemp(path.join(tmpdir(), 'auditkit-cli-'));
const ex = (p: string): string => path.join(ROOT, 'examples', p);
const lines = (s: string): string[] => s.split('\n').filter((l) => l !== '');

async function exampleFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const v of ['wandb', 'snorkel', 'wherobots']) for (const f of await readdir(ex(v))) files.push(ex(`${v}/${f}`));
  return files;
}

t.test('convert --from auto: every bundled example, unified NDJSON on stdout, exit 0', async (t) => {
  const files = await exampleFiles();
  const r = await cli(['convert', '--from', 'auto', ...files]);
  t.equal(r.code, 0, r.stderr);
  const events = lines(r.stdout).map((l) => JSON.parse(l) as AuditEvent);
  t.ok(events.length > 200, `${events.length} events`);
  t.ok(
    events.every((e) => validateAuditEvent(e)),
    'every line is a valid AuditEvent',
  );
  t.same(new Set(events.map((e) => e.vendor)), new Set(['wandb', 'snorkel', 'wherobots']), 'all three vendors recognized');
  t.match(r.stderr, new RegExp(`read ${events.length}, written ${events.length}, rejected 0`), 'summary with counts');
  t.equal(new Set(events.map((e) => e.id)).size, events.length, 'ids are unique');
});

t.test('bad lines: error on stderr with file, line and pointer; dead letters keep the original text; exit 1', async (t) => {
  const input = path.join(ROOT, 'adapters/wandb/testdata/bad-lines.input.ndjson');
  const out = path.join(dir, 'bad.out.ndjson');
  const dl = path.join(dir, 'sub/dir/bad.dead.ndjson');
  const r = await cli(['convert', '--from', 'wandb', input, '-o', out, '--dead-letter', dl]);
  t.equal(r.code, 1, 'exit 1 when records were rejected');
  t.equal(r.stdout, '', 'nothing on stdout with -o');
  t.match(r.stderr, `${input}:2: invalid_json`);
  t.match(r.stderr, `${input}:4 at /timestamp: invalid_time`);
  t.match(r.stderr, /read 13, written 2, rejected 11/);
  const events = lines(await readFile(out, 'utf8'));
  const letters = lines(await readFile(dl, 'utf8')).map((l) => JSON.parse(l) as DeadLetter);
  t.equal(events.length, 2);
  t.equal(letters.length, 11, 'in = out + dead-lettered');
  const inputLines = (await readFile(input, 'utf8')).split('\n');
  const byLine = letters.filter((l) => l.source.pointer === undefined || !/^\/\d/.test(l.source.pointer));
  for (const l of byLine) t.equal(l.original, inputLines[l.source.line! - 1], `line ${l.source.line}: original text kept`);
  t.ok(
    letters.every(
      (l) => (l.dead_letter as string) === 'auditkit/v1' && l.code !== '' && (l.stage as string) !== '' && l.source.file === input,
    ),
  );
});

t.test('a fixed dead letter can be fed back through convert', async (t) => {
  const dl = path.join(dir, 'refeed.dead.ndjson');
  const src = path.join(dir, 'refeed.ndjson');
  await writeFile(src, '{"action":"project:read","timestamp":"2026-08-01 10:00:00 UTC"}\n');
  t.equal((await cli(['convert', src, '--dead-letter', dl, '-q'])).code, 1);
  const letter = JSON.parse(await readFile(dl, 'utf8')) as DeadLetter;
  const fixed = path.join(dir, 'fixed.ndjson');
  await writeFile(fixed, `${letter.original.replace(' UTC', 'Z')}\n`);
  const r = await cli(['convert', fixed]);
  t.equal(r.code, 0);
  t.equal((JSON.parse(r.stdout) as AuditEvent).time, '2026-08-01T10:00:00Z');
});

t.test('a fixed CSV dead letter (its header kept) is fed back as the row it was', async (t) => {
  const dl = path.join(dir, 'refeed-csv.dead.ndjson');
  const src = path.join(dir, 'refeed.csv');
  await writeFile(
    src,
    'Time,User,Action,Resource,IP Address,User Agent,Region\nyesterday,a@b.io,UploadFile,"f, ""1""",203.0.113.9,curl/8,aws-us-west-2\n',
  );
  t.equal((await cli(['convert', src, '--dead-letter', dl, '-q'])).code, 1);
  const letter = JSON.parse(await readFile(dl, 'utf8')) as DeadLetter;
  t.same(letter.csv_header, ['Time', 'User', 'Action', 'Resource', 'IP Address', 'User Agent', 'Region']);
  for (const [name, original] of [
    ['quoted field', letter.original.replace('yesterday', '2026-02-01T00:00:00Z')],
    ['no quotes', letter.original.replace('yesterday', '2026-02-01T00:00:00Z').replace('"f, ""1"""', 'f1')],
  ] as const) {
    const fixed = path.join(dir, `fixed-${name.replace(' ', '-')}.dead.ndjson`);
    await writeFile(fixed, `${JSON.stringify({ ...letter, original })}\n`);
    const r = await cli(['convert', fixed]);
    t.equal(r.code, 0, `${name}: ${r.stderr}`);
    const e = JSON.parse(r.stdout) as AuditEvent;
    t.equal(e.time, '2026-02-01T00:00:00Z', name);
    t.equal(e.resources?.[0]?.id ?? e.resources?.[0]?.name, name === 'quoted field' ? 'f, "1"' : 'f1', `${name}: the Resource field`);
  }
});

t.test('usage errors exit 2; help and version exit 0', async (t) => {
  t.equal((await cli(['convert', '--from', 'splunk', 'x'])).code, 2, 'unknown vendor');
  t.equal((await cli(['convert', '--input-format', 'xml', 'x'])).code, 2, 'unknown input format');
  t.equal((await cli(['frobnicate'])).code, 2, 'unknown command');
  t.equal((await cli(['convert', '--no-such-flag'])).code, 2, 'unknown option');
  const help = await cli(['convert', '--help']);
  t.equal(help.code, 0);
  t.match(help.stdout, /--dead-letter/);
  t.equal((await cli(['--version'])).code, 0);
});

t.test('an unreadable input exits 3 and the other inputs are still converted', async (t) => {
  const r = await cli(['convert', path.join(dir, 'missing.ndjson'), ex('snorkel/audit-logs.ndjson')]);
  t.equal(r.code, 3);
  t.match(r.stderr, /missing\.ndjson: cannot read: no such file/);
  t.equal(lines(r.stdout).length, 12, 'the readable file was converted');
});

t.test('--keep-raw keeps the original record', async (t) => {
  const r = await cli(['convert', '--keep-raw', ex('snorkel/audit-logs.ndjson')]);
  const first = JSON.parse(lines(r.stdout)[0]!) as AuditEvent;
  const input = JSON.parse((await readFile(ex('snorkel/audit-logs.ndjson'), 'utf8')).split('\n')[0]!) as unknown;
  t.same(first.raw, input);
});

t.test('progress bar only on a terminal, and --quiet silences it', async (t) => {
  const tty = await cli(['convert', ex('wherobots/audit-log-export.csv'), '-o', path.join(dir, 'p.ndjson')], { tty: true });
  t.match(tty.stderr, /converting \[/, 'bar drawn on a TTY');
  const quiet = await cli(['convert', ex('wherobots/audit-log-export.csv'), '-o', path.join(dir, 'q.ndjson'), '--quiet'], { tty: true });
  t.equal(quiet.stderr, '', 'nothing with --quiet');
  const pipe = await cli(['convert', ex('wherobots/audit-log-export.csv'), '-o', path.join(dir, 'r.ndjson')]);
  t.notMatch(pipe.stderr, /converting \[/, 'no bar when stderr is not a terminal');
});

t.test('schema and validate commands', async (t) => {
  const s = await cli(['schema', 'event']);
  t.equal((JSON.parse(s.stdout) as { title: string }).title, 'AuditEvent');
  t.equal((JSON.parse((await cli(['schema', 'wherobots'])).stdout) as { title: string }).title, 'WherobotsAuditRecord');
  const good = path.join(dir, 'good.ndjson');
  await cli(['convert', ex('wandb/api-stream.ndjson'), '-o', good]);
  const v = await cli(['validate', good]);
  t.equal(v.code, 0, v.stderr);
  t.match(v.stderr, /40 valid, 0 invalid/);
  const bad = path.join(dir, 'bad-events.ndjson');
  await writeFile(bad, '{"schema_version":"1.0"}\n');
  const b = await cli(['validate', bad]);
  t.equal(b.code, 1);
  t.match(b.stderr, /bad-events\.ndjson:1: schema_violation: \/id: must have required property 'id'/);
});

t.test('the executable reads stdin and writes stdout (spawned process)', async (t) => {
  const input = await readFile(ex('snorkel/audit-logs.json'));
  const r = await spawnCli(['convert', '--from', 'snorkel', '-'], input);
  t.equal(r.code, 0, r.stderr);
  t.equal(lines(r.stdout).length, 32);
  const stdinCsv = await spawnCli(['convert'], await readFile(ex('wherobots/audit-log-export.csv')));
  t.equal(stdinCsv.code, 0, stdinCsv.stderr);
  t.equal(lines(stdinCsv.stdout).length, 48, 'CSV sniffed from stdin and read as Wherobots');
});

t.test('streaming: 150,000 records convert under a 40 MB heap limit', async (t) => {
  const big = path.join(dir, 'big.ndjson');
  const ws = createWriteStream(big);
  const base = (await readFile(ex('wandb/api-stream.ndjson'), 'utf8')).split('\n').filter(Boolean);
  for (let i = 0; i < 150_000; i++) {
    if (
      !ws.write(
        `${base[i % base.length]!.replace(/"timestamp": "[^"]+"/, `"timestamp": "2026-08-01T10:00:00.${String(i).padStart(6, '0')}Z"`)}\n`,
      )
    )
      await once(ws, 'drain');
  }
  ws.end();
  await once(ws, 'finish');
  const out = path.join(dir, 'big.out.ndjson');
  const r = await spawnCli(['convert', big, '-o', out], undefined, ['--max-old-space-size=40']);
  t.equal(r.code, 0, r.stderr.slice(0, 500));
  t.match(r.stderr, /read 150000, written 150000, rejected 0/);
});
