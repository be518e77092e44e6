/**
 * One conformance suite for every adapter: golden input/expected pairs, the unified schema
 * accepts every event, the catalogs are complete, and the goldens exercise every catalog action.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { ADAPTERS } from '../../src/components/adapters.js';
import { validateAuditEvent, describeSchemaErrors } from '../../src/model/validators.js';
import { ROOT, goldenCases, runGolden, type GoldenResult } from '../helpers/golden.js';

const cases = goldenCases();
const actionsSeen = new Map<string, Set<string>>();
const formatsSeen = new Map<string, Set<string>>();

t.test('golden pairs', async (t) => {
  for (const c of cases) {
    await t.test(`${c.vendor}/${c.name}`, async (t) => {
      const expected = JSON.parse(await readFile(path.join(ROOT, c.expected), 'utf8')) as GoldenResult;
      const actual = await runGolden(c);
      t.same(actual, expected, 'output equals the expected file (npm run golden rewrites it)');
      t.equal(actual.counts.read, actual.counts.written + actual.counts.rejected, 'read = written + rejected');
      for (const e of actual.events) {
        if (!validateAuditEvent(e))
          t.fail(`${(e as { id: string }).id} is not a valid AuditEvent: ${describeSchemaErrors(validateAuditEvent.errors).join('; ')}`);
        t.equal(e.vendor, c.vendor);
        let seen = actionsSeen.get(c.vendor);
        if (!seen) actionsSeen.set(c.vendor, (seen = new Set()));
        seen.add(e.action.name);
      }
      for (const r of actual.rejected) {
        t.ok(
          r.source.file && (r.source.line !== undefined || r.source.pointer !== undefined),
          `rejected record names file and line or pointer: ${JSON.stringify(r.source)}`,
        );
        t.type(r.original, 'string');
      }
      const ext = c.input.replace(/^.*\.input\./, '');
      let fmts = formatsSeen.get(c.vendor);
      if (!fmts) formatsSeen.set(c.vendor, (fmts = new Set()));
      fmts.add(ext);
    });
  }
});

t.test('every catalog action appears in a golden pair', async (t) => {
  for (const [vendor, adapter] of ADAPTERS) {
    const seen = actionsSeen.get(vendor) ?? new Set();
    const missing = [...adapter.actions.keys()].filter((a) => !seen.has(a));
    t.same(missing, [], `${vendor}: all ${adapter.actions.size} catalog actions covered`);
  }
});

t.test('goldens cover every documented format', async (t) => {
  t.same(
    [...(formatsSeen.get('wandb') ?? [])].sort(),
    ['json', 'ndjson', 'ndjson.gz'],
    'W&B: envelope JSON, NDJSON stream/pages, gzip bucket file',
  );
  t.same([...(formatsSeen.get('snorkel') ?? [])].sort(), ['json', 'ndjson'], 'Snorkel: JSON array and NDJSON');
  t.same([...(formatsSeen.get('wherobots') ?? [])].sort(), ['csv', 'json', 'ndjson'], 'Wherobots: API pages and CSV export');
});

t.test('catalogs', async (t) => {
  const wandb = ADAPTERS.get('wandb')!.actions;
  t.equal(wandb.size, 30, 'W&B: the 30 documented actions');
  t.ok(wandb.has('organization:update_member'), 'W&B: includes organization:update_member from the newest docs');
  const wherobots = ADAPTERS.get('wherobots')!.actions;
  t.equal(wherobots.size, 48, 'Wherobots: every distinct action name of the seed page');
  const snorkel = ADAPTERS.get('snorkel')!.actions;
  t.equal(snorkel.get('api_key:create')?.operation, 'create', 'Snorkel: the confirmed literal');
  const families = [
    'annotation',
    'application',
    'batch',
    'dataset',
    'datasource',
    'labeling_function',
    'training_set',
    'user',
    'user_role',
    'api_key',
    'workspace',
    'external_llm_config',
    'custom_pip',
  ];
  const categories = new Set([...snorkel.values()].map((e) => e.category));
  for (const f of families) t.ok(categories.has(f), `Snorkel: audited family ${f} has catalog entries`);
  for (const [vendor, adapter] of ADAPTERS) {
    for (const [name, e] of adapter.actions) {
      t.match(e.category, /^[a-z0-9]+(_[a-z0-9]+)*$/, `${vendor} ${name}: category is lower_snake`);
      t.not(e.operation, 'other', `${vendor} ${name}: a documented action has an explicit operation`);
    }
  }
});
