/**
 * README's Layout section names every folder of the tree it describes, and nothing that is not
 * there: each paragraph starts with a bold folder path, and each folder's subfolders it lists
 * exist.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { ROOT } from './helpers/golden.js';

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const layout = readme.slice(readme.indexOf('## Layout'), readme.indexOf('\n## ', readme.indexOf('## Layout') + 1));
const described = [...layout.matchAll(/^- \*\*`([^`]+)\/`\*\*/gm)].map((m) => m[1]!);
const subdirs = (dir: string): string[] =>
  readdirSync(path.join(ROOT, dir), { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'testdata')
    .map((e) => `${dir}/${e.name}`);

t.test('every folder README describes exists', async (t) => {
  t.ok(described.length >= 10, `${described.length} folders described`);
  for (const d of described) t.ok(existsSync(path.join(ROOT, d)), `${d}/ exists`);
});

t.test('every top-level folder and every folder of src/ is described', async (t) => {
  const top = readdirSync(ROOT, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !['node_modules', 'dist', 'out', 'coverage'].includes(e.name))
    .map((e) => e.name)
    .filter((d) => d !== 'src');
  for (const d of [...top, ...subdirs('src')]) t.ok(described.includes(d), `${d}/ has its paragraph`);
});

t.test('the component folders the Layout names are the folders on disk', async (t) => {
  for (const kind of ['receivers', 'processors', 'exporters']) {
    const line = described.includes(`src/${kind}`) ? layout.slice(layout.indexOf(`**\`src/${kind}/\`**`)).split('\n- ')[0]! : '';
    for (const d of subdirs(`src/${kind}`)) t.match(line, `\`${path.basename(d)}/\``, `src/${kind}/ names ${path.basename(d)}/`);
  }
});

t.test("README's public-surface table names every value src/index.ts exports", async (t) => {
  const api = (await import('../src/index.js')) as Record<string, unknown>;
  const start = readme.indexOf('The public surface is what `src/index.ts` names');
  t.ok(start >= 0, 'README has the public-surface table');
  const table = readme.slice(start, readme.indexOf('\n## ', start));
  const named = new Set([...table.matchAll(/`([A-Za-z_$][\w$]*)`/g)].map((m) => m[1]!));
  for (const name of Object.keys(api)) t.ok(named.has(name), `README names export ${name}`);
});
