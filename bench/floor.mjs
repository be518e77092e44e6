// The floor convert is measured against: read the same lines, JSON.parse and JSON.stringify
// each, and write them (what any converter must do at least).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { lineBlocks } from './write-lines.mjs';

const [input, output] = process.argv.slice(2);
const out = lineBlocks(output);
for await (const line of createInterface({ input: createReadStream(input), crlfDelay: Infinity })) {
  if (!line) continue;
  const wait = out.push(JSON.stringify(JSON.parse(line)));
  if (wait) await wait;
}
await out.end();
