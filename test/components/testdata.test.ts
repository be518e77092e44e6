/**
 * Every component's testdata, through the same checks: each configuration of `valid.yaml` is
 * accepted by `auditkit run`'s loader (schema and the factory's own checks) and built from the
 * registry; each case of `invalid.yaml` is refused with exactly the problems it lists.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { parse, stringify } from 'yaml';
import { createExporter, createProcessor, createPushReceiver, createReceiver, isPushReceiver } from '../../src/components/registry.js';
import type { OtlpReceiverConfig } from '../../src/receivers/otlp/config.js';
import type { ComponentContext } from '../../src/components/context.js';
import { ConfigError } from '../../src/errors.js';
import { NdjsonDeadLetterFile } from '../../src/io/dead-letter-file.js';
import { parseConfig } from '../../src/pipeline/config.js';
import { compileCollectorRedaction } from '../../src/processors/redaction/factory.js';
import type { VendorApiConfig } from '../../src/receivers/vendor_api/config.js';
import { ROOT } from '../helpers/golden.js';

const dir = await mkdtemp(path.join(tmpdir(), 'auditkit-testdata-'));
const env = {
  TEST_API_KEY: 'test-api-key',
  TEST_HMAC_KEY: 'test-hmac-key-of-at-least-64-bytes-for-hmac-sha512-0123456789abcdef',
  TESTDATA_DIR: dir,
};
type Kind = 'receivers' | 'processors' | 'exporters';

/** A whole configuration around the components under test, with valid placeholders for the rest. */
function wrap(kind: Kind, components: Record<string, unknown>): string {
  const receivers =
    kind === 'receivers'
      ? components
      : { 'wherobots/placeholder': { url: 'http://127.0.0.1:9', api_key: 'k', since: '2026-08-01T00:00:00Z' } };
  const processors = kind === 'processors' ? components : {};
  const exporters = kind === 'exporters' ? components : { 'ndjson_file/placeholder': { directory: path.join(dir, 'placeholder') } };
  const pipeline = { receivers: Object.keys(receivers), processors: Object.keys(processors), exporters: Object.keys(exporters) };
  return stringify({
    receivers,
    processors,
    exporters,
    service: { state_directory: path.join(dir, 'state'), pipelines: { logs: pipeline } },
  });
}

const load = async (file: string): Promise<unknown> => parse(await readFile(path.join(ROOT, file), 'utf8')) as unknown;
const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems.map((p) => `${p.path}: ${p.message}`);
  }
};

const deadLetters: NdjsonDeadLetterFile[] = [];
const ctx: ComponentContext = {
  stateDirectory: path.join(dir, 'state'),
  log: () => undefined,
  deadLetterFile: (p) => {
    const sink = new NdjsonDeadLetterFile(p);
    deadLetters.push(sink);
    return sink;
  },
};
t.teardown(async () => {
  for (const d of deadLetters) await d.close();
});

const COMPONENTS: [Kind, string][] = [
  ['receivers', 'src/receivers/vendor_api'],
  ['receivers', 'src/receivers/otlp'],
  ['processors', 'src/processors/redact'],
  ['processors', 'src/processors/validate'],
  ['exporters', 'src/exporters/otlp'],
  ['exporters', 'src/exporters/ndjson_file'],
  ['exporters', 'src/exporters/parquet'],
];

for (const [kind, folder] of COMPONENTS) {
  t.test(`${folder}/testdata/valid.yaml: accepted and built from the registry`, async (t) => {
    const components = (await load(`${folder}/testdata/valid.yaml`)) as Record<string, unknown>;
    t.ok(Object.keys(components).length > 0, 'has configurations');
    const config = parseConfig(wrap(kind, components), env, 'valid.yaml');
    for (const key of Object.keys(components)) {
      const c = config[kind]![key]!;
      if (kind === 'receivers' && isPushReceiver(key))
        t.equal((await createPushReceiver(key, c as OtlpReceiverConfig, ctx)).name, key, `${key} builds`);
      else if (kind === 'receivers') t.equal(createReceiver(key, c as VendorApiConfig, ctx).name, key, `${key} builds`);
      else if (kind === 'processors') t.equal(createProcessor(key, c, ctx).processor.name, key, `${key} builds`);
      else {
        const exporter = await createExporter(key, c, ctx);
        t.equal(exporter.name, key, `${key} builds`);
        await exporter.close();
      }
    }
  });

  t.test(`${folder}/testdata/invalid.yaml: refused with every problem`, async (t) => {
    const cases = (await load(`${folder}/testdata/invalid.yaml`)) as { name: string; problems: string[] }[];
    t.ok(cases.length > 0, 'has cases');
    for (const c of cases) {
      const components = (c as unknown as Record<Kind, Record<string, unknown>>)[kind];
      t.same(
        problemsOf(() => parseConfig(wrap(kind, components), env, 'invalid.yaml')),
        c.problems,
        c.name,
      );
    }
  });
}

t.test('src/processors/redaction/testdata: Collector configurations compile or are refused with every problem', async (t) => {
  const valid = (await load('src/processors/redaction/testdata/valid.yaml')) as Record<string, Record<string, unknown>>;
  for (const [name, raw] of Object.entries(valid)) {
    const c = JSON.parse(JSON.stringify(raw).replaceAll('${env:TEST_HMAC_KEY}', env.TEST_HMAC_KEY)) as Record<string, unknown>;
    t.same(
      problemsOf(() => compileCollectorRedaction(c, 'processors.redaction')),
      [],
      name,
    );
  }
  const invalid = (await load('src/processors/redaction/testdata/invalid.yaml')) as {
    name: string;
    redaction: Record<string, unknown>;
    problems: string[];
  }[];
  for (const c of invalid)
    t.same(
      problemsOf(() => compileCollectorRedaction(c.redaction, 'processors.redaction')),
      c.problems,
      c.name,
    );
});
