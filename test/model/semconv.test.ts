/**
 * The attribute contract matches the semantic-conventions registry (issue 14, item 4): every
 * attribute auditkit writes outside its own `auditkit.` prefix, on records and on the resource,
 * is a registry attribute (test/fixtures/semconv/registry-subset.json, taken from
 * open-telemetry/semantic-conventions v1.44.0 with its licence) with a value of its type, and
 * enum values are members.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import fc from 'fast-check';
import { auditkitResource } from '../../src/exporters/otlp/resource.js';
import { ATTR, toLogRecord } from '../../src/model/otel.js';
import { compilePiiPolicy } from '../../src/redact/pii-policy.js';
import { ROOT } from '../helpers/golden.js';
import { auditEvents } from '../helpers/event-arbitrary.js';

interface Entry {
  type: string;
  values?: string[];
}
const registry = (
  JSON.parse(await readFile(path.join(ROOT, 'test/fixtures/semconv/registry-subset.json'), 'utf8')) as { attributes: Record<string, Entry> }
).attributes;

function conforms(key: string, value: unknown): string | undefined {
  if (key.startsWith('auditkit.')) return undefined;
  const entry = registry[key];
  if (!entry) return `${key} is not in the registry`;
  if (entry.type === 'string' && typeof value !== 'string') return `${key} must be a string`;
  if (entry.type === 'int' && !Number.isInteger(value)) return `${key} must be an int`;
  // error.type is an open enum (a status code as text is allowed besides _OTHER).
  if (entry.type === 'enum' && key !== 'error.type' && !entry.values?.includes(value as string))
    return `${key}: ${String(value)} is not a member`;
  return undefined;
}

t.test('every name of the mapping outside auditkit. is a registry attribute', async (t) => {
  for (const name of Object.values(ATTR)) if (!name.startsWith('auditkit.')) t.ok(registry[name], name);
});

t.test('property: every attribute of any event, redacted or not, conforms to the registry', async (t) => {
  const policies = [undefined, compilePiiPolicy({ preset: 'default' }), compilePiiPolicy({ preset: 'default', hmac_key: 'k' })];
  fc.assert(
    fc.property(
      auditEvents(),
      fc.constantFrom(...policies),
      fc.constantFrom('aws-us-west-2', 'gcp-europe-west4', 'azure-eastus2', 'us-east-1', 'Frankfurt'),
      (event, policy, region) => {
        const e = { ...(policy ? policy.redactEvent(event) : event), cloud: { region } };
        const attrs = toLogRecord(e).attributes;
        for (const [k, v] of Object.entries(attrs)) {
          const problem = conforms(k, v);
          if (problem) throw new Error(problem);
        }
        if (typeof attrs['user.email'] === 'string' && !attrs['user.email'].includes('@')) throw new Error('user.email without an e-mail');
        if (typeof attrs['client.address'] === 'string' && attrs['client.address'].includes('/'))
          throw new Error('a network in client.address');
      },
    ),
    { numRuns: 300 },
  );
  t.pass('300 events');
});

t.test('the resource conforms too', async (t) => {
  const { resource } = auditkitResource({});
  for (const [k, v] of Object.entries(resource.attributes)) t.equal(conforms(k, v), undefined, k);
});
