/**
 * The CLI never destroys input and never lets a hostile cell run (issue 13, items 1 and 6, and
 * the header crash of item 5): an output that resolves to an input is a usage error before
 * anything opens; CSV cells a spreadsheet would run as formulas are neutralized; a bad
 * %-escape in a header is a usage error naming the key only.
 */
import { copyFile, mkdtemp, readFile, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
// Spawned, as a user runs it (exit code and stderr of a real process).
import { spawnCli as cli } from '../helpers/cli.js';
import { ROOT } from '../helpers/golden.js';

const tmp = await mkdtemp(path.join(tmpdir(), 'auditkit-safety-'));
const example = path.join(ROOT, 'examples/wandb/api-stream.ndjson');

t.test('an output that is the input (same path, a link, --dead-letter) is refused and the input is untouched', async (t) => {
  const input = path.join(tmp, 'same.ndjson');
  await copyFile(example, input);
  const before = await readFile(input, 'utf8');
  const link = path.join(tmp, 'link.ndjson');
  await symlink(input, link);
  for (const args of [
    ['-o', input],
    ['-o', path.join(tmp, '.', 'same.ndjson')],
    ['-o', link],
    ['--dead-letter', input],
  ]) {
    const r = await cli(['convert', input, ...args]);
    t.equal(r.code, 2, `${args.join(' ')}: exit 2`);
    t.match(r.stderr, /is the input .*same\.ndjson \(it would be emptied before it is read\); nothing was written/);
    t.equal(await readFile(input, 'utf8'), before, `${args.join(' ')}: the input is untouched`);
  }
});

t.test('query --format csv neutralizes cells a spreadsheet would run; --csv-raw writes them as they are', async (t) => {
  const dir = path.join(tmp, 'archive');
  const input = path.join(tmp, 'formula.ndjson');
  const { writeFile } = await import('node:fs/promises');
  await writeFile(
    input,
    `${JSON.stringify({ action: 'user:login', timestamp: '2026-08-01T00:00:00Z', actor_email: '=HYPERLINK("http://evil","x")', actor_ip: '203.0.113.1' })}\n`,
  );
  t.equal((await cli(['convert', input, '--from', 'wandb', '--to', 'archive', '-o', dir])).code, 0);
  const csv = await cli(['query', dir, '--format', 'csv']);
  t.equal(csv.code, 0);
  t.match(csv.stdout, /'=HYPERLINK\(""http:\/\/evil"",""x""\)/, 'a leading quote makes it text');
  t.notMatch(csv.stdout, /,"=HYPERLINK/);
  const raw = await cli(['query', dir, '--format', 'csv', '--csv-raw']);
  t.match(raw.stdout, /"=HYPERLINK/);
});

t.test('a header with a bad %-escape is a usage error that names the key, not the value', async (t) => {
  const r = await cli(['convert', example, '--to', 'otlp', '--endpoint', 'http://127.0.0.1:9', '--header', 'x-api-key=sec%ZZret']);
  t.equal(r.code, 2);
  t.match(r.stderr, /--header: the value of header "x-api-key" has a bad %-escape/);
  t.notMatch(r.stderr, /sec%ZZret|URIError/);
});

t.test('verify and query on a missing directory both exit 3 with one line naming it', async (t) => {
  const missing = path.join(tmp, 'no-such-archive');
  const v = await cli(['verify', missing]);
  t.equal(v.code, 3);
  t.match(v.stderr, /auditkit verify: cannot read .*no-such-archive: ENOENT/);
  const q = await cli(['query', missing]);
  t.equal(q.code, 3);
  t.notMatch(`${v.stderr}${q.stderr}`, /\n\s+at /, 'no stack trace');
});

t.test('no input field is lost: null values of known keys and empty CSV cells are kept in details (issue 13, item 9)', async (t) => {
  const { writeFile } = await import('node:fs/promises');
  const ndjson = path.join(tmp, 'nulls.ndjson');
  await writeFile(
    ndjson,
    '{"action":"user:login","timestamp":"2023-01-23T12:34:56Z","actor_user_id":null,"response_code":null}\n' +
      '{"event_time":"2021-08-17T20:51:47.268843","event_name":"api_key","event_type":"create","user_uid":null,"event_details":null}\n',
  );
  const r = await cli(['convert', ndjson]);
  t.equal(r.code, 0, r.stderr);
  const [w, s] = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { details?: Record<string, unknown> });
  t.same(w?.details, { actor_user_id: null, response_code: null }, 'W&B nulls are in details');
  t.same(s?.details, { user_uid: null, event_details: null }, 'Snorkel nulls are in details');

  const csv = path.join(tmp, 'empty-cells.csv');
  await writeFile(
    csv,
    'Time,User,Action,Resource,IP Address,User Agent,Region,Extra\n2026-02-01T00:00:00-08:00,,CreateJobRun,,203.0.113.24,,aws-us-west-2,\n',
  );
  const c = await cli(['convert', '--from', 'wherobots', csv]);
  t.equal(c.code, 0, c.stderr);
  const e = JSON.parse(c.stdout) as { id: string; actor: unknown; details?: Record<string, unknown> };
  t.same(e.details, { user_name: '', resource_name: '', user_agent: '', Extra: '' }, 'every empty cell is in details');
  t.same(e.actor, { ip: '203.0.113.24' }, 'an empty cell fills no mapped place');
  const filled = path.join(tmp, 'no-empty-cells.csv');
  await writeFile(filled, 'Time,Action,IP Address,Region\n2026-02-01T00:00:00-08:00,CreateJobRun,203.0.113.24,aws-us-west-2\n');
  const f = JSON.parse((await cli(['convert', '--from', 'wherobots', filled])).stdout) as { id: string };
  t.equal(e.id, f.id, 'the id ignores empty cells, so it is the one earlier versions gave');
});

t.test(
  'query --format table has an actor column: e-mail, else name, else id, so Snorkel rows show who acted (issue 13, item 9)',
  async (t) => {
    const { writeFile } = await import('node:fs/promises');
    const dir = path.join(tmp, 'actor-archive');
    const input = path.join(tmp, 'actors.ndjson');
    await writeFile(
      input,
      '{"event_time":"2026-08-01T00:00:01","event_name":"api_key","event_type":"create","user_uid":4242}\n' +
        '{"action":"user:login","timestamp":"2026-08-01T00:00:02Z","actor_email":"maria@example.com","actor_user_id":"u-1"}\n',
    );
    t.equal((await cli(['convert', input, '--to', 'archive', '-o', dir])).code, 0);
    const r = await cli(['query', dir, '--format', 'table']);
    t.equal(r.code, 0, r.stderr);
    const [header, ...rows] = r.stdout.trimEnd().split('\n');
    t.match(header, /\bactor\s+actor_ip\b/, 'the header names the actor column');
    const at = header!.indexOf('actor ');
    t.equal(
      rows
        .find((l) => l.includes('api_key:create'))
        ?.slice(at, at + 30)
        .trim(),
      '4242',
      'Snorkel: the user id',
    );
    t.equal(
      rows
        .find((l) => l.includes('user:login'))
        ?.slice(at, at + 30)
        .trim(),
      'maria@example.com',
      'W&B: the e-mail first',
    );
  },
);

t.test(
  'the summary says what each count means and the per-vendor parts add up to the totals, for every input format (issue 13, item 8)',
  async (t) => {
    const { writeFile } = await import('node:fs/promises');
    const good = '{"action":"user:login","timestamp":"2026-08-01T00:00:00Z"}';
    const cases: [string, string, string[]][] = [
      ['mixed.ndjson', `${good}\n{"action":"user:login","timestamp":"yesterday"}\n{"hello":1}\nnot json\n`, []],
      ['mixed.json', `[${good},{"action":"user:login","timestamp":"never"},{"x":1},7]`, ['--input-format', 'json']],
      [
        'mixed.csv',
        'Time,User,Action\n2026-02-01T00:00:00Z,a@b.co,CreateJobRun\n"bad\n2026-02-01T00:00:00Z,,\n',
        ['--input-format', 'csv'],
      ],
    ];
    for (const [name, text, args] of cases) {
      const file = path.join(tmp, name);
      await writeFile(file, text);
      const r = await cli(['convert', file, ...args]);
      const line = r.stderr.trim().split('\n').at(-1)!;
      const m = /^auditkit convert: read (\d+), written (\d+), rejected (\d+) \((.*)\)$/.exec(line);
      t.ok(m, `${name}: ${line}`);
      if (!m) continue;
      const [read, written, rejected] = [Number(m[1]), Number(m[2]), Number(m[3])];
      t.equal(read, written + rejected, `${name}: read = written + rejected`);
      t.ok(rejected > 0 && written > 0, `${name}: the case has both`);
      let w = 0;
      let rj = 0;
      for (const part of m[4]!.split('; ')) {
        const p = /^(wandb|snorkel|wherobots|no vendor): (?:(\d+) written, )?(\d+) rejected$/.exec(part);
        t.ok(p, `${name}: part "${part}" says what it counts`);
        w += Number(p?.[2] ?? 0);
        rj += Number(p?.[3] ?? 0);
      }
      t.equal(w, written, `${name}: per-vendor written adds up`);
      t.equal(rj, rejected, `${name}: per-vendor rejected adds up`);
    }
  },
);

t.test('--jobs accepts auto or 1..64, anything else is a usage error naming the flag (issue 13, item 2)', async (t) => {
  for (const bad of ['0', '65', 'two', '1.5', '-1', '']) {
    const r = await cli(['convert', example, '--jobs', bad]);
    t.equal(r.code, 2, `--jobs ${JSON.stringify(bad)}: exit 2`);
    t.match(r.stderr, /--jobs: must be auto or a whole number from 1 to 64/);
    t.equal(r.stdout, '', 'nothing converted');
  }
  const one = await cli(['convert', example, '--jobs', '1']);
  t.equal(one.code, 0, '--jobs 1');
  for (const good of ['auto', '2', '64']) {
    const r = await cli(['convert', example, '--jobs', good]);
    t.equal(r.code, 0, `--jobs ${good}`);
    t.equal(r.stdout, one.stdout, `--jobs ${good} writes what --jobs 1 writes`);
  }
});
