// The floor a CSV convert is measured against: read the file, parse it with csv-parse (one
// streaming parser, header as columns), JSON.stringify each row, and write the lines.
import { createReadStream, createWriteStream } from 'node:fs';
import { parse } from 'csv-parse';

const [input, output] = process.argv.slice(2);
const out = createWriteStream(output);
let buf = [];
let size = 0;
for await (const row of createReadStream(input).pipe(parse({ columns: true, bom: true, relax_column_count: true }))) {
  const s = JSON.stringify(row);
  buf.push(s);
  size += s.length;
  if (size > 65536) {
    if (!out.write(buf.join('\n') + '\n')) await new Promise((r) => out.once('drain', r));
    buf = [];
    size = 0;
  }
}
if (buf.length) out.write(buf.join('\n') + '\n');
out.end();
await new Promise((r) => out.on('finish', r));
