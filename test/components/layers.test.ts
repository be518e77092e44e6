/**
 * Dependencies point one way (DESIGN.md): adapters import only src/model, src/errors and
 * src/generated; no lower layer imports a higher one; only the registry imports the concrete
 * adapters and component factories; nothing but cli/ imports cli/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { ROOT } from '../helpers/golden.js';

/** Layers from the bottom; a file may import its own layer and those below. */
const LAYERS: [number, RegExp][] = [
  [0, /^src\/(errors\.ts|generated\/)/],
  [1, /^src\/model\//],
  [2, /^src\/(io|redact)\//],
  [3, /^src\/components\/(event-processor|event-exporter|receiver-sink|rejections|context|processor-chain)\.ts$/],
  [4, /^src\/(receivers|processors|exporters)\//],
  [5, /^src\/components\/(registry|adapters)\.ts$/],
  [6, /^src\/pipeline\//],
  [7, /^src\/sdk\//],
  [8, /^src\/cli\//],
  [9, /^src\/index\.ts$/],
];
const layerOf = (file: string): number | undefined => LAYERS.find(([, re]) => re.test(file))?.[0];

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.parentPath.includes('testdata'))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

/** Every relative import (static, dynamic and `export ... from`) of a file, resolved to a path. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
    out.push(path.normalize(path.join(path.dirname(file), m[1]!.replace(/\.js$/, '.ts'))));
  }
  return out;
}

const files = [...sources('src'), ...sources('adapters')].filter((f) => !f.startsWith('src/generated/'));
const edges = files.flatMap((from) => importsOf(from).map((to) => ({ from, to })));

t.test('every source file has a layer and imports nothing above it', async (t) => {
  for (const f of files.filter((f) => f.startsWith('src/'))) t.not(layerOf(f), undefined, `${f} has a layer`);
  const upward = edges.filter(({ from, to }) => from.startsWith('src/') && to.startsWith('src/') && layerOf(to)! > layerOf(from)!);
  t.same(
    upward.map(({ from, to }) => `${from} -> ${to}`),
    [],
    'no lower layer imports a higher one',
  );
});

t.test('adapters import only src/model, src/errors, src/generated and their own folder', async (t) => {
  const bad = edges.filter(
    ({ from, to }) =>
      from.startsWith('adapters/') && !/^src\/(model\/|errors\.ts|generated\/)/.test(to) && path.dirname(to) !== path.dirname(from),
  );
  t.same(
    bad.map(({ from, to }) => `${from} -> ${to}`),
    [],
  );
});

t.test('only the registry imports concrete adapters and component factories', async (t) => {
  const concrete = (to: string): boolean =>
    to.startsWith('adapters/') || /^src\/(receivers|processors|exporters)\/[^/]+\/factory\.ts$/.test(to);
  // The SDK's Collector-mode RedactionProcessor works on log records, not events: it builds the
  // redaction component itself (it has no YAML form yet).
  const allowed = (from: string, to: string): boolean =>
    from === 'src/components/registry.ts' ||
    from === 'src/components/adapters.ts' ||
    from === 'src/index.ts' ||
    path.dirname(from) === path.dirname(to) ||
    (from === 'src/sdk/redaction-processor.ts' && to === 'src/processors/redaction/factory.ts');
  const bad = edges.filter(({ from, to }) => from.startsWith('src/') && concrete(to) && !allowed(from, to));
  t.same(
    bad.map(({ from, to }) => `${from} -> ${to}`),
    [],
  );
});

t.test('nothing but cli/ imports cli/', async (t) => {
  const bad = edges.filter(({ from, to }) => to.startsWith('src/cli/') && !from.startsWith('src/cli/'));
  t.same(
    bad.map(({ from, to }) => `${from} -> ${to}`),
    [],
  );
});
