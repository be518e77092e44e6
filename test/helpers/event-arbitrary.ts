/** fast-check arbitraries of valid AuditEvents (checked against the schema in the tests). */
import fc from 'fast-check';
import type { AuditEvent } from '../../src/model/event.js';

const OPERATIONS = [
  'create',
  'read',
  'update',
  'delete',
  'restore',
  'rename',
  'login',
  'logout',
  'invite',
  'uninvite',
  'assign',
  'unassign',
  'activate',
  'deactivate',
  'stop',
  'cancel',
  'upload',
  'download',
  'commit',
  'transfer',
  'revoke',
  'link',
  'install',
  'other',
] as const;
const snake = fc.stringMatching(/^[a-z0-9]{1,8}(_[a-z0-9]{1,8}){0,2}$/);
const time = fc
  .tuple(
    fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2099, 0, 1) }),
    fc.option(fc.stringMatching(/^[0-9]{1,12}$/), { nil: undefined }),
  )
  .map(([ms, frac]) => `${new Date(ms).toISOString().slice(0, 19)}${frac ? `.${frac}` : ''}Z`);
const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined });

export interface PiiArbitraries {
  email: fc.Arbitrary<string>;
  name: fc.Arbitrary<string>;
  ip: fc.Arbitrary<string>;
  text: fc.Arbitrary<string>;
}

/** Generic strings: every field may hold anything. */
export const anyStrings: PiiArbitraries = {
  email: fc.string(),
  name: fc.string(),
  ip: fc.string(),
  text: fc.string(),
};

function compact<T extends object>(o: T): T | undefined {
  const out = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return Object.keys(out).length ? out : undefined;
}

/** Valid AuditEvents; `pii` chooses what goes in the PII fields and free text. */
export function auditEvents(pii: PiiArbitraries = anyStrings): fc.Arbitrary<AuditEvent> {
  const details = fc.dictionary(
    fc.oneof(fc.string({ minLength: 1, maxLength: 10 }), fc.constantFrom('__proto__', 'constructor', 'note')),
    fc.oneof(
      pii.text,
      pii.email,
      pii.ip,
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.oneof(pii.text, pii.email, pii.ip), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(pii.email, pii.ip, pii.text), { maxKeys: 3 }),
    ),
    { maxKeys: 4 },
  );
  return fc
    .record({
      vendor: fc.constantFrom('wandb', 'snorkel', 'wherobots'),
      idTail: fc.stringMatching(/^[A-Za-z0-9_:-]{1,20}$/),
      time,
      action: fc.record({ name: fc.string({ minLength: 1 }), category: snake, operation: fc.constantFrom(...OPERATIONS) }),
      result: fc.constantFrom('success', 'failure', 'unknown'),
      status: opt(fc.integer({ min: 100, max: 599 })),
      actor: fc.record({
        id: opt(fc.string()),
        email: opt(pii.email),
        name: opt(pii.name),
        ip: opt(pii.ip),
        user_agent: opt(pii.text),
        type: opt(fc.constantFrom('user', 'service_account')),
      }),
      target: fc.record({ id: opt(fc.string()), email: opt(pii.email), name: opt(pii.name) }),
      resources: opt(
        fc.array(
          fc.record({
            type: snake,
            id: opt(fc.string()),
            name: opt(pii.name),
            digest: opt(fc.string()),
            version_index: opt(fc.integer({ min: 0, max: 1000 })),
          }),
          { minLength: 1, maxLength: 3 },
        ),
      ),
      client: fc.record({ version: opt(fc.string()), source: opt(pii.text), chain: opt(fc.string()) }),
      region: opt(fc.string()),
      details: opt(details),
      raw: opt(fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(pii.email, pii.name, pii.ip, fc.integer()), { maxKeys: 4 })),
    })
    .map((r) => {
      const e: AuditEvent = {
        schema_version: '1.0',
        id: `${r.vendor}:${r.idTail}`,
        time: r.time,
        vendor: r.vendor,
        action: r.action,
        outcome: r.status !== undefined ? { result: r.result, status_code: r.status } : { result: r.result },
      };
      const actor = compact(r.actor);
      if (actor) e.actor = actor;
      const target = compact(r.target);
      if (target) e.target_user = target;
      if (r.resources) e.resources = r.resources.map((x) => compact(x)!);
      const client = compact(r.client);
      if (client) e.client = client;
      if (r.region !== undefined) e.cloud = { region: r.region };
      // Through JSON, as events are: `__proto__` stays an own key.
      if (r.details) e.details = JSON.parse(JSON.stringify(Object.assign(Object.create(null), r.details))) as Record<string, unknown>;
      if (r.raw) e.raw = JSON.parse(JSON.stringify(Object.assign(Object.create(null), r.raw))) as Record<string, unknown>;
      // Events are JSON data: plain prototypes throughout (fc.record makes null-prototype objects).
      return JSON.parse(JSON.stringify(e)) as AuditEvent;
    });
}
