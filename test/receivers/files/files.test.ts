import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import t from 'tap';
import fc from 'fast-check';
import { AuditInputError } from '../../../src/errors.js';
import { jsonDocumentElements } from '../../../src/receivers/files/json-document.js';
import { csvFields, readRecords, type InputRecord, type ReadOptions } from '../../../src/receivers/files/files.js';
import { parse as parseCsv } from 'csv-parse/sync';
import { ENVELOPE_KEYS, envelopeKeyOf } from '../../../src/components/adapters.js';

const opts: ReadOptions = { envelopeKeyOf, envelopeKeys: ENVELOPE_KEYS };
const dir = await mkdtemp(path.join(tmpdir(), 'auditkit-files-'));
let n = 0;
async function fileWith(content: string | Buffer, ext = 'txt'): Promise<string> {
  const p = path.join(dir, `f${n++}.${ext}`);
  await writeFile(p, content);
  return p;
}
async function readAll(p: string, o: Partial<ReadOptions> = {}): Promise<InputRecord[]> {
  const out: InputRecord[] = [];
  for await (const r of readRecords(p, { ...opts, ...o })) out.push(r);
  return out;
}
async function* chunked(text: string, cuts: number[]): AsyncGenerator<string> {
  let from = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    if (c > from && c < text.length) {
      yield text.slice(from, c);
      from = c;
    }
  }
  yield text.slice(from);
}

t.test('JSON document scanner: elements equal JSON.parse of the whole, however the text is cut', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 6 }),
      fc.constantFrom('array', 'envelope', 'envelope-last'),
      fc.boolean(),
      fc.array(fc.nat(), { maxLength: 8 }),
      async (records, shape, pretty, cuts) => {
        const doc =
          shape === 'array'
            ? records
            : shape === 'envelope'
              ? { audit_logs: records, next_cursor: 'c"]}[{', count: records.length }
              : { range_start_time: '2026-08-01T13:00:00Z', meta: { items: 'x', nested: [[], {}] }, items: records };
        const text = JSON.stringify(doc, null, pretty ? 2 : undefined);
        const els: unknown[] = [];
        for await (const batch of jsonDocumentElements(
          chunked(
            text,
            cuts.map((c) => c % (text.length + 1)),
          ),
          ENVELOPE_KEYS,
          {},
        ))
          for (const el of batch) {
            els.push(JSON.parse(el.text));
            if (!/^\/((audit_logs|items)\/)?\d+$/.test(el.pointer)) throw new Error(`bad pointer ${el.pointer}`);
            if (el.line < 1) throw new Error('bad line');
          }
        if (JSON.stringify(els) !== JSON.stringify(records)) throw new Error(`elements differ for ${text}`);
      },
    ),
    { numRuns: 500 },
  );
});

t.test('JSON document scanner: a single record object, a bad element, a truncated document', async (t) => {
  const single: unknown[] = [];
  for await (const batch of jsonDocumentElements(
    chunked('{\n "action": "user:login",\n "x": [1, {"y": "]"}]\n}\n', [3, 9]),
    ENVELOPE_KEYS,
    {},
  ))
    for (const el of batch) single.push(JSON.parse(el.text));
  t.same(single, [{ action: 'user:login', x: [1, { y: ']' }] }], 'an object without an envelope key is one record');

  const p = await fileWith('[\n {"a": 1},\n {"a": },\n {"a": 3}\n]\n', 'json');
  const recs = await readAll(p);
  t.equal(recs.length, 3, 'three elements');
  t.same(
    recs.map((r) => r.error?.code ?? 'ok'),
    ['ok', 'invalid_json', 'ok'],
    'the bad element is rejected, the next still flows',
  );
  t.same(recs[1]!.location, { file: p, line: 3, pointer: '/1' }, 'error names line and pointer');
  t.equal(recs[1]!.text, '{"a": }', 'original text kept');

  const trunc = await readAll(await fileWith('{"audit_logs": [{"action": "a", "timestamp": "t"}, {"action": "b"', 'json'));
  t.equal(trunc.length, 2, 'the complete element flows, then one error');
  t.equal(trunc[1]!.error?.code, 'invalid_json');
  t.match(trunc[1]!.error?.message, /truncated/);
});

t.test('NDJSON: BOM, CRLF, blank lines, line numbers, envelopes per line, arrays per line', async (t) => {
  const text =
    '\ufeff{"a":1}\r\n\r\n  \r\n{"audit_logs":[{"action":"x","timestamp":"t"},{"action":"y","timestamp":"t"}],"next_cursor":null}\r\nnope\r\n[{"b":1}]\r\n{"c":3}';
  const recs = await readAll(await fileWith(text));
  t.same(
    recs.map((r) => [r.location.line, r.location.pointer, r.error?.code, r.envelopeKey]),
    [
      [1, undefined, undefined, undefined],
      [4, '/audit_logs/0', undefined, 'audit_logs'],
      [4, '/audit_logs/1', undefined, 'audit_logs'],
      [5, undefined, 'invalid_json', undefined],
      [6, '/0', undefined, undefined],
      [7, undefined, undefined, undefined],
    ],
  );
  t.same(recs[0]!.value, { a: 1 }, 'BOM removed');
  t.equal(recs[3]!.text, 'nope', 'CR removed from the original text');
});

t.test('a record that has an envelope key but looks like a record is not expanded', async (t) => {
  const recs = await readAll(await fileWith('{"action_name":"CreateJobRun","event_time":"2025-01-27T00:07:29Z","items":[1,2]}\n'));
  t.equal(recs.length, 1);
  t.same((recs[0]!.value as Record<string, unknown>).items, [1, 2]);
});

t.test('gzip is detected by content, whatever the file is called', async (t) => {
  const recs = await readAll(await fileWith(gzipSync('{"a":1}\n{"a":2}\n'), 'ndjson'));
  t.same(
    recs.map((r) => r.value),
    [{ a: 1 }, { a: 2 }],
  );
  const csv = await readAll(await fileWith(gzipSync('Time,Action\n2025-01-27T00:07:29Z,CreateJobRun\n'), 'csv.gz'));
  t.same(
    csv.map((r) => r.value),
    [{ Time: '2025-01-27T00:07:29Z', Action: 'CreateJobRun' }],
  );
});

t.test('CSV: quoted commas, quotes and newlines; line numbers; wrong field counts', async (t) => {
  const text =
    '\ufeffTime,User,Action,Resource\r\n2025-01-27T00:07:29Z,a@b.io,UploadFile,"x, ""y""\r\nz"\r\n\r\nshort,row\r\n2025-02-20T18:09:00-08:00,c@d.io,DeleteFile,plain\r\n';
  const recs = await readAll(await fileWith(text, 'csv'));
  t.equal(recs.length, 3);
  t.same(recs[0]!.value, { Time: '2025-01-27T00:07:29Z', User: 'a@b.io', Action: 'UploadFile', Resource: 'x, "y"\r\nz' });
  t.equal(recs[0]!.location.line, 2);
  t.equal(recs[1]!.error?.code, 'invalid_csv');
  t.equal(recs[1]!.location.line, 5, 'the short row is named by its line');
  t.equal(recs[1]!.text, 'short,row');
  t.equal(recs[2]!.location.line, 6);
  t.equal((recs[2]!.value as Record<string, string>).Resource, 'plain');
});

t.test('CSV: an unterminated quote ends the file with one clear error; rows before it flow', async (t) => {
  const recs = await readAll(await fileWith('Time,Action\n2025-01-27T00:07:29Z,UploadFile\n2025-01-27T00:07:29Z,"Upload\n', 'csv'));
  t.equal(recs[0]!.error, undefined);
  t.equal(recs.at(-1)!.error?.code, 'invalid_csv');
  t.ok(recs.at(-1)!.error instanceof AuditInputError);
});

t.test('--input-format forces the format', async (t) => {
  const recs = await readAll(await fileWith('{"a":1}\n'), { format: 'csv' });
  t.same(
    recs.map((r) => r.error?.code),
    ['invalid_csv'],
    'a JSON line read as CSV is reported, not parsed as JSON',
  );
  const ndjson = await readAll(await fileWith('a,b\n1,2\n', 'csv'), { format: 'ndjson' });
  t.same(
    ndjson.map((r) => r.error?.code),
    ['invalid_json', 'invalid_json'],
    'CSV read as NDJSON is reported line by line',
  );
});

t.test('a missing file is an I/O error, not a record', async (t) => {
  await t.rejects(readAll(path.join(dir, 'missing.ndjson')), { code: 'ENOENT' });
});

t.test('csvFields: a record without quotes or CR is split on commas exactly as csv-parse reads it', (t) => {
  const char = fc.oneof(fc.constantFrom(',', ' ', '\t', "'", '\\', ';', '\uFEFF', 'é', '😀', '#', '='), fc.string({ maxLength: 1 }));
  let n = 0;
  fc.assert(
    fc.property(fc.array(char, { minLength: 1, maxLength: 40 }), (chars) => {
      const text = chars.join('').replace(/["\r\n]/g, '');
      if (text === '') return;
      const rows: string[][] = parseCsv(text, { relax_column_count: true, record_delimiter: '\n' });
      const want = rows[0] ?? [];
      if (JSON.stringify(csvFields(text)) !== JSON.stringify(want)) throw new Error(`differs for ${JSON.stringify(text)}`);
      n++;
    }),
    { numRuns: 3000 },
  );
  t.ok(n > 2500, `${n} texts`);
  // With quotes or a CR the record still goes through csv-parse.
  t.same(csvFields('a,"b,c",d'), ['a', 'b,c', 'd']);
  t.same(csvFields('a,"say ""hi""",d'), ['a', 'say "hi"', 'd']);
  t.end();
});

t.test('CSV header names: duplicates get #2, #3 (also when a #2 exists), __proto__ and constructor are own keys', async (t) => {
  const recs = await readAll(await fileWith('a,a#2,a,__proto__,constructor,10\n1,2,3,4,5,6\n7,8,9,10,11,12\n', 'csv'));
  t.same(
    recs.map((r) => r.value),
    [
      { a: '1', 'a#2': '2', 'a#3': '3', ['__proto__']: '4', constructor: '5', 10: '6' },
      { a: '7', 'a#2': '8', 'a#3': '9', ['__proto__']: '10', constructor: '11', 10: '12' },
    ].map((o) => {
      // `__proto__` as an own key (as the reader makes it), in the header's order.
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(o))
        Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      return out;
    }),
  );
  const first = recs[0]!.value as Record<string, unknown>;
  t.ok(Object.hasOwn(first, '__proto__') && Object.getPrototypeOf(first) === Object.prototype, '__proto__ is data, not the prototype');
  t.same(Object.keys(first), ['10', 'a', 'a#2', 'a#3', '__proto__', 'constructor']);
});
