/**
 * Hostile files (issue 11, items 1 and 2, NDJSON): deep nesting, huge lines, CR-only and mixed
 * line ends. A bad record is rejected alone, in time linear in the input and bounded memory, and
 * the rest flows: read = written + rejected, every rejected original kept, every good record written.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { constants as zlibConstants, gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import t from 'tap';
import { convertSources } from '../../../src/pipeline/convert.js';
import type { DeadLetter } from '../../../src/model/dead-letter.js';
import type { AuditEvent } from '../../../src/model/event.js';
import { cli } from '../../helpers/cli.js';
import { wandbRecords } from '../../helpers/vendor-servers.js';

const tmp = await mkdtemp(path.join(tmpdir(), 'auditkit-hostile-files-'));
let n = 0;
const file = (ext = 'ndjson'): string => path.join(tmp, `f${n++}.${ext}`);
const good = wandbRecords(200, Date.UTC(2026, 7, 1), 1000).map((r) => JSON.stringify(r));

async function convert(
  input: string,
  maxRecordBytes?: number,
  inputFormat?: 'ndjson',
): Promise<{ events: AuditEvent[]; letters: DeadLetter[]; read: number }> {
  const events: AuditEvent[] = [];
  const letters: DeadLetter[] = [];
  const counts = await convertSources(
    [input],
    { from: 'wandb', ...(maxRecordBytes ? { maxRecordBytes } : {}), ...(inputFormat ? { inputFormat } : {}) },
    {
      write: (evs) => void events.push(...evs),
      ack: () => Promise.resolve(),
      reject: (l) => void letters.push(l),
      sourceFailed: (_p, err) => {
        throw err;
      },
    },
  );
  return { events, letters, read: counts.read };
}

t.test('a line nested 4,000 deep is rejected alone (too_deep); the 5,049 good records of its file flow', async (t) => {
  const lines = [...wandbRecords(5049, Date.UTC(2026, 7, 1), 100).map((r) => JSON.stringify(r))];
  const deep = `${'['.repeat(4000)}${']'.repeat(4000)}`;
  lines.splice(2500, 0, deep);
  const input = file();
  await writeFile(input, `${lines.join('\n')}\n`);
  const r = await convert(input);
  t.equal(r.events.length, 5049);
  t.equal(r.letters.length, 1);
  t.equal(r.letters[0]!.code, 'too_deep');
  t.equal(r.letters[0]!.original, deep, 'the original kept exactly');
  t.equal(r.letters[0]!.source.line, 2501);
  const viaCli = await cli(['convert', input, '--from', 'wandb', '-o', path.join(tmp, 'deep.out')]);
  t.equal(viaCli.code, 1, 'exit 1: a record was rejected, not 3');
});

t.test('a 16 MB single line (gzip) is rejected as record_too_large in linear time; the next lines flow', async (t) => {
  const huge = `{"action":"${'x'.repeat(16 * 1024 * 1024)}"}`;
  const input = file('ndjson.gz');
  await writeFile(input, gzipSync(`${good[0]}\n${huge}\n${good[1]}\n`));
  const started = Date.now();
  const rss = process.memoryUsage().rss;
  const r = await convert(input);
  const ms = Date.now() - started;
  t.ok(ms < 5000, `took ${ms} ms (quadratic took 20 s)`);
  t.comment(`16 MB line: ${ms} ms, RSS grew ${((process.memoryUsage().rss - rss) / 2 ** 20).toFixed(0)} MB`);
  t.equal(r.events.length, 2);
  t.equal(r.letters.length, 1);
  t.equal(r.letters[0]!.code, 'record_too_large');
  t.equal(r.letters[0]!.original, huge.slice(0, 1024), 'its first KiB is kept');
  t.equal(r.letters[0]!.source.line, 2);
  t.match(r.letters[0]!.message, /\d{8} characters, more than --max-record-bytes \(4194304\)/);
});

t.test('CR-only and mixed line ends read every record', async (t) => {
  const cr = file();
  await writeFile(cr, good.slice(0, 40).join('\r'));
  t.equal((await convert(cr)).events.length, 40, 'CR only');
  const mixed = file();
  await writeFile(
    mixed,
    good
      .slice(0, 40)
      .map((l, i) => `${l}${['\n', '\r\n', '\r'][i % 3] ?? ''}`)
      .join(''),
  );
  const r = await convert(mixed);
  t.equal(r.events.length, 40, 'LF, CRLF and CR mixed');
  t.same(
    r.events.map((e) => e.time),
    good.slice(0, 40).map((l) => (JSON.parse(l) as { timestamp: string }).timestamp),
  );
});

/** 1 to 30 elements, each a known-good text or a generated bad one, marked which. */
const mixedInput = (good: string[], bad: fc.Arbitrary<string>): fc.Arbitrary<{ text: string; good: boolean }[]> =>
  fc.array(
    fc.oneof(
      fc.constantFrom(...good).map((text) => ({ text, good: true })),
      bad.map((text) => ({ text, good: false })),
    ),
    { minLength: 1, maxLength: 30 },
  );
t.test(
  'property (fuzz): damaged NDJSON of every vendor: read = written + rejected, rejected originals byte-identical, good records written',
  async () => {
    const { wherobotsRecords } = await import('../../helpers/vendor-servers.js');
    const snorkelLine = (i: bigint): string =>
      `{"event_id":${i},"event_time":"2021-08-17T20:51:47.268843","event_name":"api_key","event_type":"create","user_uid":2}`;
    const goodOf = {
      wandb: fc.constantFrom(...good.slice(0, 50)).map((t) => Buffer.from(t)),
      wherobots: fc
        .constantFrom(...wherobotsRecords(30, Date.UTC(2026, 7, 1), 1000).map((r) => JSON.stringify(r)))
        .map((t) => Buffer.from(t)),
      // Snorkel ids beyond 2^53 as bare numbers: every one must come through with all its digits.
      snorkel: fc.bigInt({ min: 1n, max: 10n ** 22n }).map((i) => Buffer.from(snorkelLine(i))),
    } as const;
    const damage = fc.oneof(
      fc.integer({ min: 130, max: 400 }).map((d) => Buffer.from(`${'['.repeat(d)}${']'.repeat(d)}`)),
      fc.integer({ min: 2000, max: 4000 }).map((k) => Buffer.from(`{"action":"${'y'.repeat(k)}"}`)),
      fc
        .string({ maxLength: 30 })
        .filter((x) => !x.includes('\n') && !x.includes('\r'))
        .map((x) => Buffer.from(`{${x}`)),
      // bytes that are not UTF-8 inside an otherwise good record
      fc
        .constantFrom(...good.slice(0, 10))
        .map((t) => Buffer.concat([Buffer.from(t.slice(0, 20)), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(t.slice(20))])),
    );
    const ends = fc.constantFrom('\n', '\r\n', '\r');
    for (const vendor of ['wandb', 'snorkel', 'wherobots'] as const) {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.tuple(
              fc.oneof(
                goodOf[vendor].map((b) => ({ b, bad: false })),
                damage.map((b) => ({ b, bad: true })),
              ),
              ends,
            ),
            { minLength: 1, maxLength: 30 },
          ),
          async (lines) => {
            const input = file();
            await writeFile(input, Buffer.concat(lines.flatMap(([l, e]) => [l.b, Buffer.from(e)])));
            const events: AuditEvent[] = [];
            const letters: DeadLetter[] = [];
            const counts = await convertSources(
              [input],
              { from: vendor, maxRecordBytes: 1000, inputFormat: 'ndjson' },
              {
                write: (evs) => void events.push(...evs),
                ack: () => Promise.resolve(),
                reject: (l) => void letters.push(l),
              },
            );
            const goods = lines.filter(([l]) => !l.bad);
            if (events.length !== goods.length) throw new Error(`${vendor}: written ${events.length}, good ${goods.length}`);
            if (counts.read !== events.length + letters.length) throw new Error('read != written + rejected');
            const bads = lines.filter(([l]) => l.bad).map(([l]) => l.b);
            if (letters.length !== bads.length) throw new Error(`rejected ${letters.length}, bad ${bads.length}`);
            bads.forEach((b, i) => {
              const l = letters[i]!;
              const got = l.encoding === 'base64' ? Buffer.from(l.original, 'base64') : Buffer.from(l.original);
              const want = b.length > 1000 ? b.subarray(0, 1024) : b; // over --max-record-bytes: its first KiB
              if (!got.equals(want)) throw new Error(`rejected original ${i} differs (${l.code})`);
            });
            if (vendor === 'snorkel')
              goods.forEach(([l], i) => {
                const id = /"event_id":(\d+)/.exec(l.b.toString())![1];
                if (events[i]!.id !== `snorkel:${id}`) throw new Error(`id ${events[i]!.id} lost digits of ${id}`);
              });
          },
        ),
        { numRuns: 40 },
      );
    }
  },
);

t.test('two JSON documents concatenated (cat page.json page.json) read every record', async (t) => {
  const page = (from: number): string =>
    JSON.stringify({ audit_logs: wandbRecords(12, Date.UTC(2026, 7, 1) + from * 1000, 1000), next_cursor: null }, null, 1);
  const input = file('json');
  await writeFile(input, `${page(0)}\n${page(100)}\n`);
  const r = await convert(input);
  t.equal(r.events.length, 24, 'all 24 records');
  t.equal(r.letters.length, 0);
  const arrays = file('json');
  await writeFile(
    arrays,
    `${JSON.stringify(wandbRecords(3, Date.UTC(2026, 7, 1), 1000))}${JSON.stringify(wandbRecords(2, Date.UTC(2026, 7, 2), 1000))}`,
  );
  t.equal((await convert(arrays)).events.length, 5, 'arrays back to back');
});

t.test('an array cut off inside an element keeps that element’s text in its dead letter', async (t) => {
  const whole = JSON.stringify(wandbRecords(3, Date.UTC(2026, 7, 1), 1000));
  const cut = whole.slice(0, whole.length - 40);
  const input = file('json');
  await writeFile(input, cut);
  const r = await convert(input);
  t.equal(r.events.length, 2);
  t.equal(r.letters.length, 1);
  t.equal(r.letters[0]!.code, 'invalid_json');
  t.match(r.letters[0]!.message, /ends early/);
  t.equal(r.letters[0]!.original, cut.slice(cut.lastIndexOf('{"timestamp"')), 'the text that was there');
  t.equal(r.read, 3, 'read = written + rejected');
});

t.test('a stray quote in a Wherobots CSV damages only its own row (resync at the next whole row)', async (t) => {
  const { ROOT } = await import('../../helpers/golden.js');
  const lines = (await readFile(path.join(ROOT, 'examples/wherobots/audit-log-export.csv'), 'utf8')).split('\n');
  // Row 3 (line 4) gets a stray quote in its resource: before, it swallowed the 46 rows after it.
  lines[3] = lines[3]!.replace(/,([a-zA-Z]+-target-2),/, ',"$1,');
  const input = file('csv');
  await writeFile(input, lines.join('\n'));
  const events: AuditEvent[] = [];
  const letters: DeadLetter[] = [];
  const counts = await convertSources(
    [input],
    { from: 'wherobots' },
    {
      write: (evs) => void events.push(...evs),
      ack: () => Promise.resolve(),
      reject: (l) => void letters.push(l),
    },
  );
  t.equal(events.length, 47, 'every other row');
  t.equal(letters.length, 1);
  t.equal(letters[0]!.source.line, 4);
  t.equal(letters[0]!.original, lines[3].replace(/\r$/, ''), 'the broken row, exactly');
  t.match(letters[0]!.message, /a quote that is never closed/);
  t.equal(counts.read, counts.written + counts.rejected);
});

t.test('a gzip cut short: every whole line it decodes flows, however slow the reader, then the input fails', async (t) => {
  // Before, the gunzip stream's iterator dropped what it had decoded but not yet handed over when
  // it failed at the cut, so a slower reader (a backed-up output, --jobs) lost the last lines.
  const records = wandbRecords(3000, Date.UTC(2026, 7, 1), 1000).map((r) => JSON.stringify(r));
  const gz = gzipSync(`${records.join('\n')}\n`);
  const input = file('ndjson.gz');
  const cut = gz.subarray(0, Math.floor(gz.length * 0.6));
  await writeFile(input, cut);
  const decodable = gunzipSync(cut, { finishFlush: zlibConstants.Z_SYNC_FLUSH }).toString('utf8');
  const whole = decodable.split('\n').length - 1; // the text after the last newline is a line cut short
  t.ok(whole > 1000 && whole < 3000, `${whole} whole lines before the cut`);
  for (const pause of [0, 2]) {
    const written: string[] = [];
    const failures: string[] = [];
    await convertSources(
      [input],
      { from: 'wandb' },
      {
        // A slow output: every 50th write waits, so the gunzip runs ahead of the reader.
        write: (evs) => {
          written.push(...evs.map((e) => e.id));
          return pause && written.length % 50 === 0 ? sleep(pause) : undefined;
        },
        ack: () => Promise.resolve(),
        reject: () => {
          t.fail('no record is bad');
          return undefined;
        },
        sourceFailed: (_p, err) => void failures.push(err.message),
      },
    );
    t.equal(written.length, whole, `pause ${pause}: every whole line decoded before the cut was written`);
    t.equal(failures.length, 1, 'and the input is reported as failed');
    t.match(failures[0], /cannot read: unexpected end of file/);
  }
});

t.test('a gzip bomb stops at --max-input-bytes (exit 3, one line naming the input); what was read before stays read', async (t) => {
  const input = file('ndjson.gz');
  await writeFile(input, gzipSync(`${good[0]}\n${good[1]}\n${'\n'.repeat(64 * 1024 * 1024)}`));
  const started = Date.now();
  const r = await cli(['convert', input, '--from', 'wandb', '--max-input-bytes', String(8 * 1024 * 1024)]);
  t.equal(r.code, 3, r.stderr);
  t.match(r.stderr, /more than --max-input-bytes \(8388608\) bytes once decompressed/);
  t.equal(r.stdout.trim().split('\n').length, 2, 'the two records before it were written');
  t.ok(Date.now() - started < 10_000, `stopped in ${Date.now() - started} ms`);
});

t.test('property (fuzz): damaged JSON arrays and CSV exports: read = written + rejected, good records written', async () => {
  const { wherobotsRecords } = await import('../../helpers/vendor-servers.js');
  const goodJson = wandbRecords(30, Date.UTC(2026, 7, 1), 1000).map((r) => JSON.stringify(r));
  const badJson = fc.oneof(
    fc.constant('{"action": }'),
    fc.constant('{"timestamp": "2026-08-01T00:00:00Z"}'), // a record W&B cannot map (no action)
    fc.string({ maxLength: 12 }).map((s) => `{"action":"a:b","timestamp":${JSON.stringify(s)}}`),
  );
  await fc.assert(
    fc.asyncProperty(mixedInput(goodJson, badJson), async (elements) => {
      const input = file('json');
      await writeFile(input, `[\n${elements.map((e) => e.text).join(',\n')}\n]\n`);
      const r = await convert(input);
      if (r.read !== r.events.length + r.letters.length) throw new Error('read != written + rejected');
      const good = elements.filter((e) => e.good).length;
      if (r.events.length < good) throw new Error(`written ${r.events.length}, good ${good}`);
      for (const l of r.letters) if (!elements.some((e) => e.text === l.original)) throw new Error(`original not kept: ${l.original}`);
    }),
    { numRuns: 60 },
  );
  const rows = wherobotsRecords(20, Date.UTC(2026, 7, 1), 1000);
  const cols = ['event_id', 'event_time', 'action_name', 'user_name', 'source_ip', 'resource_name'];
  const q = (v: string | null): string => (v === null ? '' : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const goodRows = rows.map((r) => cols.map((c) => q(r[c] ?? null)).join(','));
  const badRow = fc.oneof(
    fc.constant('evt_x,2026-08-01T00:00:00Z,"CreateJobRun,dana@geo.io,198.51.100.7,res'), // a quote never closed
    fc.constant('evt_y,2026-08-01T00:00:00Z,CreateJobRun'), // too few columns
  );
  await fc.assert(
    fc.asyncProperty(mixedInput(goodRows, badRow), async (lines) => {
      const input = file('csv');
      await writeFile(input, `${cols.join(',')}\r\n${lines.map((l) => l.text).join('\r\n')}\r\n`);
      const events: AuditEvent[] = [];
      const letters: DeadLetter[] = [];
      const counts = await convertSources(
        [input],
        { from: 'wherobots' },
        {
          write: (evs) => void events.push(...evs),
          ack: () => Promise.resolve(),
          reject: (l) => void letters.push(l),
        },
      );
      if (counts.read !== events.length + letters.length) throw new Error('read != written + rejected');
      const good = lines.filter((l) => l.good).length;
      if (events.length !== good) throw new Error(`written ${events.length}, good ${good}: ${JSON.stringify(lines.map((l) => l.good))}`);
    }),
    { numRuns: 60 },
  );
});

t.test('bytes that are not UTF-8 reject their record alone (invalid_utf8), the exact bytes kept in base64', async (t) => {
  const bad = Buffer.concat([
    Buffer.from('{"action":"user:login","timestamp":"2026-08-01T00:00:00Z","actor_email":"a'),
    Buffer.from([0xff, 0xfe]),
    Buffer.from('@x.io"}'),
  ]);
  // Put the bad line across the reader's 256 KiB chunk boundary, after enough good lines.
  const head = `${good.join('\n')}\n`;
  const filler = `${good[0]}\n`.repeat(Math.ceil((262_144 - head.length) / (good[0]!.length + 1)));
  const pre = Buffer.from(head + filler);
  const input = file();
  await writeFile(input, Buffer.concat([pre, bad, Buffer.from(`\n${good[5]}\n`)]));
  const r = await convert(input);
  t.equal(r.letters.length, 1);
  const letter = r.letters[0]!;
  t.equal(letter.code, 'invalid_utf8');
  t.equal(letter.encoding, 'base64');
  t.same(Buffer.from(letter.original, 'base64'), bad, 'the exact bytes of the line');
  t.equal(r.events.length, r.read - 1, 'every other record written');
  t.notOk(
    r.events.some((e) => JSON.stringify(e).includes('\ufffd')),
    'nothing was silently replaced',
  );
  const viaCli = await cli(['convert', input, '--from', 'wandb', '-o', path.join(tmp, 'utf8.out')]);
  t.equal(viaCli.code, 1, 'exit 1, not 0');
});

t.test('JSON arrays: an element too large or too deep is rejected alone; the elements after it flow', async (t) => {
  const huge = `{"action":"${'z'.repeat(3000)}"}`;
  const deep = `${'['.repeat(300)}${']'.repeat(300)}`;
  const input = file('json');
  await writeFile(input, `[${good[0]},${huge},${good[1]},${deep},${good[2]}]`);
  const r = await convert(input, 2000);
  t.equal(r.events.length, 3);
  t.same(
    r.letters.map((l) => l.code),
    ['record_too_large', 'too_deep'],
  );
  t.equal(r.letters[0]!.original, huge.slice(0, 1024));
  t.equal(r.letters[1]!.original, deep);
});

t.test('CSV: a row longer than --max-record-bytes is rejected alone, in linear time; the rows after it flow', async (t) => {
  const { wherobotsRecords } = await import('../../helpers/vendor-servers.js');
  const cols = ['event_id', 'event_time', 'action_name', 'user_name', 'resource_name'];
  const q = (v: string): string => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const rows = wherobotsRecords(3, Date.UTC(2026, 7, 1), 1000).map((r) => cols.map((c) => q(r[c] ?? '')).join(','));
  const huge = `evt_huge,2026-08-01T00:00:00Z,CreateJobRun,dana@geo.io,"${'q'.repeat(20 * 1024 * 1024)}"`;
  const input = file('csv');
  await writeFile(input, `${cols.join(',')}\n${rows[0]}\n${huge}\n${rows[1]}\n${rows[2]}\n`);
  const events: AuditEvent[] = [];
  const letters: DeadLetter[] = [];
  const started = Date.now();
  await convertSources(
    [input],
    { from: 'wherobots' },
    {
      write: (evs) => void events.push(...evs),
      ack: () => Promise.resolve(),
      reject: (l) => void letters.push(l),
    },
  );
  const ms = Date.now() - started;
  t.ok(ms < 5000, `took ${ms} ms`);
  t.equal(events.length, 3);
  t.equal(letters.length, 1);
  t.equal(letters[0]!.code, 'record_too_large');
  t.equal(letters[0]!.source.line, 3);
  t.equal(letters[0]!.original, huge.slice(0, 1024));
});

t.test('a single-record JSON document larger than --max-record-bytes is rejected, in bounded memory', async (t) => {
  const doc = `{\n "action": "user:login",\n "timestamp": "2026-08-01T00:00:00Z",\n "pad": "${'p'.repeat(3000)}"\n}\n`;
  const input = file('json');
  await writeFile(input, doc);
  const r = await convert(input, 2000);
  t.equal(r.events.length, 0);
  t.same(
    r.letters.map((l) => l.code),
    ['record_too_large'],
  );
  t.equal(r.letters[0]!.original, doc.slice(0, 1024));
});
