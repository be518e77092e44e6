// The floor a CSV convert is measured against: read the file, parse it with csv-parse (one
// streaming parser, header as columns), JSON.stringify each row, and write the lines.
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { lineBlocks } from './write-lines.mjs';

const [input, output] = process.argv.slice(2);
const out = lineBlocks(output);
for await (const row of createReadStream(input).pipe(parse({ columns: true, bom: true, relax_column_count: true }))) {
  const wait = out.push(JSON.stringify(row));
  if (wait) await wait;
}
await out.end();
