/**
 * OCSF 1.8.0 output (src/model/ocsf.ts): every golden event of every adapter, as converted and
 * after the default and HMAC policies, validates against schemas/ocsf/ocsf-1.8.0.schema.json
 * (generated from the OCSF repository); an event of every catalog action of every vendor does
 * too; and over generated events, every value of the event is somewhere in its OCSF form
 * (mapped or in `unmapped`), and a masked or hashed e-mail never lands in `email_addr`.
 */
import fc from 'fast-check';
import t from 'tap';
import { ADAPTERS, ocsfEvent } from '../../src/components/adapters.js';
import type { AuditEvent } from '../../src/model/event.js';
import { compilePiiPolicy } from '../../src/redact/pii-policy.js';
import { auditEvents } from '../helpers/event-arbitrary.js';
import { goldenCases, runGolden } from '../helpers/golden.js';
import { ocsfAjv, validateOcsf } from '../helpers/ocsf.js';

const ajv = ocsfAjv;
const any = validateOcsf;
const NAMES: Record<number, string> = {
  3001: 'account_change',
  3002: 'authentication',
  3004: 'entity_management',
  3005: 'user_access',
  3006: 'group_management',
  6003: 'api_activity',
};
let last: typeof any.errors = null;
/** Valid as OCSF (the schema's oneOf) and as its own class (whose errors are the ones to read). */
const validate = (o: Record<string, unknown>): boolean => {
  const own = ajv.getSchema(`https://auditkit.dev/schemas/ocsf/ocsf-1.8.0.schema.json#/$defs/${NAMES[o.class_uid as number] ?? 'none'}`);
  const ok = any(o) && own?.(o) === true;
  last = own?.errors ?? any.errors ?? null;
  return ok;
};
const problems = (_o: unknown): string => JSON.stringify(last?.slice(0, 3));

const policies = [
  compilePiiPolicy({ preset: 'off' }),
  compilePiiPolicy({ preset: 'default' }),
  compilePiiPolicy({ preset: 'default', hmac_key: 'k'.repeat(32) }),
];

t.test('every golden event validates as OCSF 1.8.0, plain and redacted', async (t) => {
  const classes: Record<string, Record<number, number>> = {};
  let n = 0;
  for (const c of goldenCases()) {
    for (const e of (await runGolden(c)).events) {
      for (const p of policies) {
        const o = ocsfEvent(p.redactEvent(e));
        if (!validate(o)) t.fail(`${c.input} ${e.action.name}: ${problems(o)}`);
        n++;
      }
      const cls = ocsfEvent(e).class_uid as number;
      (classes[e.vendor] ??= {})[cls] = ((classes[e.vendor] ??= {})[cls] ?? 0) + 1;
    }
  }
  t.ok(n > 100, `${n} OCSF events validated`);
  t.comment(`golden class counts: ${JSON.stringify(classes)}`);
});

t.test('an event of every catalog action of every vendor validates, with its class and activity', async (t) => {
  for (const [vendor, adapter] of ADAPTERS) {
    t.equal(adapter.ocsf.actions.size, adapter.actions.size, `${vendor}: every catalog action has an OCSF row`);
    for (const [name, info] of adapter.actions) {
      const event = {
        schema_version: '1.0',
        id: `${vendor}:x-${name}`,
        time: '2026-08-01T09:00:00.123456Z',
        vendor,
        action: { name, category: info.category, operation: info.operation },
        outcome: { result: 'success' },
        actor: { id: '7', email: 'a@example.com', ip: '203.0.113.9' },
        resources: [{ type: info.category, id: '1', name: 'thing' }],
      } as AuditEvent;
      const o = ocsfEvent(event);
      if (!validate(o)) t.fail(`${vendor} ${name}: ${problems(o)}`);
      const [cls, activity] = adapter.ocsf.actions.get(name)!;
      t.same([o.class_uid, o.activity_id, o.type_uid], [cls, activity, cls * 100 + activity], `${vendor} ${name}`);
    }
  }
});

/** Every leaf of a value (strings, numbers, booleans). */
function leaves(v: unknown, out: string[] = []): string[] {
  if (v === null || v === undefined) return out;
  if (typeof v === 'object') for (const x of Object.values(v)) leaves(x, out);
  else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out.push(String(v));
  return out;
}

t.test('property: every value of the event is in its OCSF form, and typed fields hold only their type', async (t) => {
  const hashed = compilePiiPolicy({ preset: 'default', hmac_key: 'k'.repeat(32) });
  fc.assert(
    fc.property(auditEvents(), fc.boolean(), (e, redact) => {
      const event = redact ? hashed.redactEvent(e) : e;
      const o = ocsfEvent(event);
      if (!validate(o)) throw new Error(problems(o));
      // Case aside: an outcome of `success` is OCSF's status `Success`.
      const have = new Set(leaves(o).map((v) => v.toLowerCase()));
      for (const v of leaves(event)) if (!have.has(v.toLowerCase())) throw new Error(`lost ${JSON.stringify(v)}`);
      const email = (o.actor as { user?: { email_addr?: string } } | undefined)?.user?.email_addr;
      return email === undefined || (!email.includes('*') && !email.startsWith('hmac-sha256:'));
    }),
    { numRuns: 300 },
  );
  t.pass('300 events');
});
