/**
 * `convert --to ocsf` as a user runs it, on every bundled example of every vendor, plain and
 * redacted: every line is an OCSF 1.8.0 event that validates against the generated schema, one
 * per unified event, and with `--redact default` no e-mail address is left in clear; `pull --to
 * ocsf` from a loopback server of each vendor does the same.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { spawnCli } from '../helpers/cli.js';
import { ROOT } from '../helpers/golden.js';
import { validateOcsf } from '../helpers/ocsf.js';
import { snorkelServer, wandbRecords, wandbServer, wherobotsRecords, wherobotsServer } from '../helpers/vendor-servers.js';

const examples = ['wandb', 'snorkel', 'wherobots'].flatMap((v) =>
  readdirSync(path.join(ROOT, 'examples', v)).map((f) => path.join('examples', v, f)),
);

/** Events per vendor and class of the plain runs, for README's table. */
const counts = new Map<string, number>();

for (const file of examples) {
  t.test(file, async (t) => {
    const unified = await spawnCli(['convert', '--from', 'auto', path.join(ROOT, file)]);
    for (const redact of ['off', 'default']) {
      const r = await spawnCli(['convert', '--from', 'auto', path.join(ROOT, file), '--to', 'ocsf', '--redact', redact]);
      t.equal(r.code, unified.code, `${redact}: exit ${unified.code}, as the unified output`);
      const lines = r.stdout.split('\n').filter(Boolean);
      t.equal(lines.length, unified.stdout.split('\n').filter(Boolean).length, `${redact}: one OCSF event per unified event`);
      let bad = 0;
      for (const l of lines) {
        const o = JSON.parse(l) as { class_uid: number };
        if (!validateOcsf(o)) bad++;
        if (redact === 'off') {
          const key = `${file.split(path.sep)[1]!}/${o.class_uid}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
      }
      t.equal(bad, 0, `${redact}: ${lines.length} OCSF events validate`);
      if (redact === 'default') t.notMatch(r.stdout, /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z]{2,}/, 'no e-mail in clear');
    }
  });
}

t.test("README's table of the examples' events per OCSF class is what the runs above made", (t) => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const table = /\| OCSF class \| W&B events \| Snorkel Flow events \| Wherobots events \|\n\|[-|]+\|\n((?:\|.*\|\n)+)/.exec(readme);
  t.ok(table, 'the table is in README');
  const stated = new Map<string, number>();
  for (const row of table![1]!.trim().split('\n')) {
    const cells = row
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    const uid = /\((\d{4})\)/.exec(cells[0]!)![1]!;
    ['wandb', 'snorkel', 'wherobots'].forEach((v, i) => {
      if (cells[i + 1] !== '0') stated.set(`${v}/${uid}`, Number(cells[i + 1]));
    });
  }
  t.same(Object.fromEntries([...stated].sort()), Object.fromEntries([...counts].sort()));
  t.end();
});

t.test('pull --to ocsf: each vendor pulled from a loopback server, one valid OCSF event per record', async (t) => {
  const T0 = Date.UTC(2026, 7, 1);
  const dir = await mkdtemp(path.join(tmpdir(), 'auditkit-pull-ocsf-'));
  const snorkelRecords = Array.from({ length: 12 }, (_, i) => ({
    event_id: i + 1,
    event_time: new Date(T0 + i * 3_600_000).toISOString().slice(0, 23) + '123',
    event_name: 'dataset',
    event_type: 'create',
    event_details: { dataset_uid: i },
    user_uid: 2,
  }));
  const cases = [
    { vendor: 'wandb', server: wandbServer(wandbRecords(40, T0, 60_000)), key: 'wandb-key', extra: ['--username', 'admin'], n: 40 },
    { vendor: 'snorkel', server: snorkelServer(snorkelRecords), key: 'snorkel-key', extra: [], n: 12 },
    { vendor: 'wherobots', server: wherobotsServer(wherobotsRecords(30, T0, 60_000)), key: 'wherobots-key', extra: [], n: 30 },
  ];
  for (const c of cases) {
    await c.server.start();
    t.teardown(() => c.server.stop());
    const out = path.join(dir, `${c.vendor}.ndjson`);
    const r = await spawnCli(
      [
        'pull',
        c.vendor,
        '--url',
        c.server.url,
        '--since',
        '2026-08-01T00:00:00Z',
        '--until',
        '2026-08-03T00:00:00Z',
        '--state',
        path.join(dir, `${c.vendor}-state`),
        '--api-key-env',
        'AUDITKIT_TEST_PULL_KEY',
        ...c.extra,
        '--to',
        'ocsf',
        '-o',
        out,
      ],
      undefined,
      [],
      ['env', `AUDITKIT_TEST_PULL_KEY=${c.key}`],
    );
    t.equal(r.code, 0, `${c.vendor}: ${r.stderr}`);
    const lines = (await readFile(out, 'utf8')).split('\n').filter(Boolean);
    t.equal(lines.length, c.n, `${c.vendor}: one event per record`);
    const events = lines.map((l) => JSON.parse(l) as { metadata: { product: { uid: string }; uid: string } });
    t.equal(events.filter((o) => !validateOcsf(o)).length, 0, `${c.vendor}: every event valid OCSF 1.8.0`);
    t.ok(
      events.every((o) => o.metadata.product.uid === c.vendor),
      `${c.vendor}: the vendor's product`,
    );
    t.equal(new Set(events.map((o) => o.metadata.uid)).size, c.n, `${c.vendor}: each record once`);
  }
});
