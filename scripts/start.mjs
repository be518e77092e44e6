#!/usr/bin/env node
// `npm start`: converts every bundled example into ./out/<vendor>.ndjson with the embedded
// defaults (no server, no configuration) and prints a per-vendor summary.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runConvert } from '../dist/src/cli/convert.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const quietIo = { stdout: process.stdout, stderr: process.stderr };
const rows = [];
let failed = false;
for (const vendor of ['wandb', 'snorkel', 'wherobots']) {
  const dir = path.join(root, 'examples', vendor);
  const files = (await readdir(dir)).sort().map((f) => path.join(dir, f));
  const output = path.join(root, 'out', `${vendor}.ndjson`);
  const deadLetter = path.join(root, 'out', `${vendor}.dead-letter.ndjson`);
  const { code, counts } = await runConvert(files, { from: vendor, to: 'ndjson', output, deadLetter, quiet: true }, quietIo);
  failed ||= code !== 0;
  rows.push({
    vendor,
    files: files.length,
    read: counts?.read ?? 0,
    written: counts?.written ?? 0,
    rejected: counts?.rejected ?? 0,
    output: path.relative(root, output),
  });
}
console.log('auditkit: converted the bundled examples (examples/) into out/');
console.table(rows);
process.exitCode = failed ? 1 : 0;
