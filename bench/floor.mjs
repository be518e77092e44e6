// The floor convert is measured against: read the same lines, JSON.parse and JSON.stringify
// each, and write them (what any converter must do at least).
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

const [input, output] = process.argv.slice(2);
const out = createWriteStream(output);
let buf = [];
let size = 0;
for await (const line of createInterface({ input: createReadStream(input), crlfDelay: Infinity })) {
  if (!line) continue;
  const s = JSON.stringify(JSON.parse(line));
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
