/**
 * The OCSF 1.8.0 form of an audit event (schemas/ocsf/ocsf-1.8.0.schema.json, generated from the
 * OCSF schema repository). Each adapter says, as data (adapters/<vendor>/ocsf.json), which class
 * and activity every catalog action is; this module fills the class:
 *
 * | OCSF | from the event |
 * |---|---|
 * | `class_uid`, `activity_id`, `category_uid`, `type_uid`, captions | the action's row of the adapter's ocsf.json |
 * | `time` (ms), `metadata.original_time` | `time` (the source's exact text is kept) |
 * | `metadata` | `version` 1.8.0, `product` (the vendor's; `uid` auditkit's vendor name), `uid` (the event id), `original_event_uid` (the vendor's own id, when it has one), `log_name` `audit`, `log_version` (the unified event's schema version) |
 * | `status_id`, `status`, `status_code`, `severity_id` | `outcome` (a failure is Medium, the rest Informational) |
 * | `actor.user`, `src_endpoint.ip`, `http_request.user_agent` | `actor` |
 * | `user` (3001, 3002, 3005, 3006) | `target_user`, else the actor |
 * | `entity` (3004), `group` (3006), `resources` (3005, 6003), `api` (6003), `service` (3002) | `resources`, `action` |
 * | `unmapped` | every part of the event not placed above, as it is |
 *
 * A value that breaks its OCSF type (a masked `****` or hashed e-mail in `email_addr`, a truncated
 * network in `ip`) is left out of the typed field; the event's own value stays in `unmapped`.
 */
import { isIP } from 'node:net';
import type { AuditEvent } from './event.js';
import { timeToHrTime } from './time.js';

export const OCSF_VERSION = '1.8.0';

/** A vendor's OCSF facts: its product, and each catalog action's class and activity. */
export interface OcsfMapping {
  product: { name: string; vendor_name: string };
  /** Whether the event id after `vendor:` is the vendor's own id (not a hash auditkit made). */
  ownIds: boolean;
  actions: ReadonlyMap<string, readonly [number, number]>;
}

/** Builds a vendor's mapping from its data file (`actions`: action → [class_uid, activity_id]). */
export function defineOcsf(
  data: { actions: Record<string, number[]> },
  product: OcsfMapping['product'],
  ownIds: boolean,
  where: string,
): OcsfMapping {
  const actions = new Map<string, readonly [number, number]>();
  for (const [action, pair] of Object.entries(data.actions)) {
    const [cls, activity] = pair;
    if (cls === undefined || activity === undefined || !CLASSES[cls]?.activities[activity])
      throw new TypeError(`${where}: ${action}: no OCSF class ${cls} activity ${activity}`);
    actions.set(action, [cls, activity]);
  }
  return { product, ownIds, actions };
}

/** The classes used, with their captions and activity captions (OCSF 1.8.0). */
export const CLASSES: Record<number, { name: string; category: number; activities: Record<number, string> }> = {
  3001: {
    name: 'Account Change',
    category: 3,
    activities: {
      0: 'Unknown',
      1: 'Create',
      2: 'Enable',
      3: 'Password Change',
      4: 'Password Reset',
      5: 'Disable',
      6: 'Delete',
      7: 'Attach Policy',
      8: 'Detach Policy',
      9: 'Lock',
      10: 'MFA Factor Enable',
      11: 'MFA Factor Disable',
      12: 'Unlock',
      99: 'Other',
    },
  },
  3002: {
    name: 'Authentication',
    category: 3,
    activities: {
      0: 'Unknown',
      1: 'Logon',
      2: 'Logoff',
      3: 'Authentication Ticket',
      4: 'Service Ticket Request',
      5: 'Service Ticket Renew',
      6: 'Preauth',
      7: 'Account Switch',
      99: 'Other',
    },
  },
  3004: {
    name: 'Entity Management',
    category: 3,
    activities: {
      0: 'Unknown',
      1: 'Create',
      2: 'Read',
      3: 'Update',
      4: 'Delete',
      5: 'Move',
      6: 'Enroll',
      7: 'Unenroll',
      8: 'Enable',
      9: 'Disable',
      10: 'Activate',
      11: 'Deactivate',
      12: 'Suspend',
      13: 'Resume',
      99: 'Other',
    },
  },
  3005: {
    name: 'User Access Management',
    category: 3,
    activities: { 0: 'Unknown', 1: 'Assign Privileges', 2: 'Revoke Privileges', 99: 'Other' },
  },
  3006: {
    name: 'Group Management',
    category: 3,
    activities: {
      0: 'Unknown',
      1: 'Assign Privileges',
      2: 'Revoke Privileges',
      3: 'Add User',
      4: 'Remove User',
      5: 'Delete',
      6: 'Create',
      7: 'Add Subgroup',
      8: 'Remove Subgroup',
      99: 'Other',
    },
  },
  6003: { name: 'API Activity', category: 6, activities: { 0: 'Unknown', 1: 'Create', 2: 'Read', 3: 'Update', 4: 'Delete', 99: 'Other' } },
};
const CATEGORIES: Record<number, string> = { 3: 'Identity & Access Management', 6: 'Application Activity' };
/** The dictionary's e-mail regex (email_t). */
const EMAIL = /^[a-zA-Z0-9!#$%&'*+-/=?^_`{|}~.]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9-.]+$/;

type Obj = Record<string, unknown>;
const defined = <T extends Obj>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
const nonEmpty = (o: Obj): Obj | undefined => (Object.keys(o).length ? o : undefined);

/** An OCSF user from the event's person (e-mail only where it is one). */
function user(p: { id?: string; email?: string; name?: string } | undefined): Obj | undefined {
  if (!p) return undefined;
  const email = p.email !== undefined && EMAIL.test(p.email) ? p.email : undefined;
  // OCSF needs a uid or a name: an e-mail is the name a person signs in with when there is no other.
  const name = p.name ?? (p.id === undefined ? email : undefined);
  if (p.id === undefined && name === undefined) return undefined;
  return defined({ uid: p.id, name, email_addr: email });
}

/** The OCSF event of an audit event, by the vendor's mapping. */
export function toOcsf(event: AuditEvent, mapping: OcsfMapping): Obj {
  const [classUid, activityId] = mapping.actions.get(event.action.name) ?? [6003, 99];
  const cls = CLASSES[classUid]!;
  const hr = timeToHrTime(event.time);
  const failed = event.outcome.result === 'failure';
  const statusId = event.outcome.result === 'success' ? 1 : failed ? 2 : 0;
  const actorUser = user(event.actor);
  const targetUser = user(event.target_user);
  const ip = event.actor?.ip !== undefined && isIP(event.actor.ip) ? event.actor.ip : undefined;
  const srcEndpoint = ip ? { ip } : undefined;
  const resources = (event.resources ?? []).map((r) => nonEmpty(defined({ uid: r.id, name: r.name, type: r.type })) ?? { name: r.type });
  const ownId = mapping.ownIds ? event.id.slice(event.vendor.length + 1) : undefined;
  const out: Obj = {
    class_uid: classUid,
    class_name: cls.name,
    category_uid: cls.category,
    category_name: CATEGORIES[cls.category],
    activity_id: activityId,
    activity_name: cls.activities[activityId],
    type_uid: classUid * 100 + activityId,
    type_name: `${cls.name}: ${cls.activities[activityId]!}`,
    time: hr[0] * 1000 + Math.floor(hr[1] / 1e6),
    severity_id: failed ? 3 : 1,
    severity: failed ? 'Medium' : 'Informational',
    status_id: statusId,
    status: statusId === 1 ? 'Success' : statusId === 2 ? 'Failure' : 'Unknown',
    ...(event.outcome.status_code !== undefined ? { status_code: String(event.outcome.status_code) } : {}),
    message: event.action.name,
    metadata: defined({
      version: OCSF_VERSION,
      product: { ...mapping.product, uid: event.vendor },
      uid: event.id,
      log_version: event.schema_version,
      original_event_uid: ownId && !ownId.startsWith('sha256:') ? ownId : undefined,
      original_time: event.time,
      log_name: 'audit',
    }),
    ...(actorUser ? { actor: { user: actorUser } } : {}),
    ...(srcEndpoint ? { src_endpoint: srcEndpoint } : {}),
    ...(event.actor?.user_agent !== undefined ? { http_request: { user_agent: event.actor.user_agent } } : {}),
  };
  const someone = targetUser ?? actorUser ?? { name: 'unknown' };
  switch (classUid) {
    case 3001:
    case 3005:
      out.user = someone;
      if (classUid === 3005) {
        out.privileges = [];
        if (resources.length) out.resources = resources;
      }
      break;
    case 3002:
      out.user = actorUser ?? someone;
      out.service = { name: mapping.product.name };
      break;
    case 3004: {
      // The resource the action is about: of the action's category, else the most specific (last).
      const rs = event.resources ?? [];
      const i = rs.findIndex((r) => r.type === event.action.category);
      out.entity = resources[i >= 0 ? i : rs.length - 1] ?? { name: event.action.category, type: event.action.category };
      break;
    }
    case 3006: {
      // The group: a team, organization or group resource, else the first; as `resources` maps it.
      const i = (event.resources ?? []).findIndex((r) => /team|organization|group/.test(r.type));
      out.group = resources[i >= 0 ? i : 0] ?? { name: event.action.category };
      if (targetUser) out.user = targetUser;
      break;
    }
    case 6003:
      out.actor = out.actor ?? { app_name: mapping.product.name };
      out.api = { operation: event.action.name, service: { name: mapping.product.name } };
      // OCSF requires the source; an event that names none says so rather than inventing one.
      out.src_endpoint = srcEndpoint ?? { name: 'unknown' };
      if (resources.length) out.resources = resources;
      break;
  }
  // What no OCSF attribute above holds, as the event has it: nothing of the event is lost.
  const person = (p: AuditEvent['actor'], placed: boolean): Obj | undefined => {
    if (!p) return undefined;
    if (!placed) return p;
    return nonEmpty(
      defined({
        email: p.email !== undefined && !EMAIL.test(p.email) ? p.email : undefined,
        ip: 'ip' in p && p.ip !== undefined && !isIP(p.ip) ? p.ip : undefined,
        type: 'type' in p ? p.type : undefined,
      }),
    );
  };
  const targetPlaced = targetUser !== undefined && classUid !== 3002 && classUid !== 3004 && classUid !== 6003;
  const unmapped: Obj = defined({
    action: { category: event.action.category, operation: event.action.operation },
    actor: person(event.actor, true),
    target_user: person(event.target_user, targetPlaced),
    resources: event.resources,
    client: event.client,
    cloud: event.cloud,
    details: event.details,
    raw: event.raw,
  });
  out.unmapped = unmapped;
  return out;
}
