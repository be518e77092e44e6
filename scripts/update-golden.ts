/** Rewrites every adapters/*\/testdata/*.expected.json from its input (see test/helpers/golden.ts). */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ROOT, goldenCases, runGolden } from '../test/helpers/golden.js';

for (const c of goldenCases()) {
  const result = await runGolden(c);
  await writeFile(path.join(ROOT, c.expected), `${JSON.stringify(result, null, 2)}\n`);
  console.error(`${c.expected}: ${result.counts.written} events, ${result.counts.rejected} rejected`);
}
