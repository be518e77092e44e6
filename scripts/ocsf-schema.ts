/**
 * Generates schemas/ocsf/ocsf-1.8.0.schema.json, a JSON Schema (2020-12) of the OCSF classes
 * auditkit emits, from a checkout of the OCSF schema repository at v1.8.0:
 *
 *   git clone --branch v1.8.0 https://github.com/ocsf/ocsf-schema /tmp/ocsf-1.8.0
 *   node --import tsx scripts/ocsf-schema.ts /tmp/ocsf-1.8.0
 *
 * Resolution (our reading of the OCSF metaschema): a class's attributes are its `extends` chain's
 * (base_event, then its category's event, then the class), later definitions overriding earlier
 * ones; an object's likewise (`_entity`, `endpoint`, ...). Types come from dictionary.json (object
 * types become `$ref`s to `$defs`, scalar types their JSON type, with the dictionary's regex and
 * range; `is_array` makes a list); `requirement: required` makes a required property; enums of
 * `_id` attributes become integer enums; `constraints.at_least_one` and `just_one` become
 * anyOf/oneOf of required properties. Attributes gated by a profile (`profile` set, or brought in
 * by `$include` of profiles/*) are left out: auditkit's events name no profile. Unknown
 * properties are refused (additionalProperties false), except in `unmapped` and json_t values.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

type Json = Record<string, unknown>;
interface AttrDef {
  requirement?: string;
  profile?: string | null;
  enum?: Record<string, { caption?: string }>;
  type?: string;
  is_array?: boolean;
  description?: string;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The classes auditkit maps audit events to. */
export const OCSF_CLASSES: Record<string, string> = {
  '3001': 'events/iam/account_change.json',
  '3002': 'events/iam/authentication.json',
  '3004': 'events/iam/entity_management.json',
  '3005': 'events/iam/user_access.json',
  '3006': 'events/iam/group_management.json',
  '6003': 'events/application/api_activity.json',
};

function main(dir: string): void {
  const read = (rel: string): Json => JSON.parse(readFileSync(path.join(dir, rel), 'utf8')) as Json;
  const version = (read('version.json') as { version: string }).version;
  if (version !== '1.8.0') throw new Error(`${dir} is OCSF ${version}, not 1.8.0`);
  const dictionary = read('dictionary.json') as { attributes: Record<string, AttrDef>; types: { attributes: Record<string, Json> } };
  const types = dictionary.types.attributes;
  const objectFiles = new Map<string, string>();
  for (const f of readFileSyncDir(path.join(dir, 'objects'))) {
    const o = read(`objects/${f}`) as { name: string };
    objectFiles.set(o.name, `objects/${f}`);
  }
  const eventFiles = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const f of readFileSyncDir(path.join(dir, rel), true)) {
      const full = `${rel}/${f}`;
      if (f.endsWith('.json')) eventFiles.set((read(full) as { name: string }).name, full);
      else walk(full);
    }
  };
  walk('events');

  /** A definition's attributes merged along its `extends` chain (profile-gated ones left out). */
  const resolve = (rel: string, files: Map<string, string>): { attrs: Record<string, AttrDef>; def: Json } => {
    const def = read(rel);
    const parentName = def.extends as string | undefined;
    const base = parentName && parentName !== 'object' && files.has(parentName) ? resolve(files.get(parentName)!, files).attrs : {};
    const attrs: Record<string, AttrDef> = { ...base };
    for (const [name, a] of Object.entries((def.attributes ?? {}) as Record<string, AttrDef>)) {
      if (name === '$include') continue;
      if (a.profile) {
        delete attrs[name];
        continue;
      }
      // Enums add up along the chain (base_event's 0 Unknown and 99 Other, the class's own values).
      const prev = attrs[name];
      const e = prev?.enum || a.enum ? { ...(prev?.enum ?? {}), ...(a.enum ?? {}) } : undefined;
      attrs[name] = { ...(prev ?? {}), ...a, ...(e ? { enum: e } : {}) };
    }
    return { attrs, def };
  };

  const defs: Record<string, Json> = {};
  const pending: string[] = [];
  const scalar = (typeName: string): Json => {
    const t = types[typeName];
    if (!t) throw new Error(`unknown type ${typeName}`);
    const base = (t.type as string | undefined) ?? typeName;
    const out: Json = {};
    switch (base) {
      case 'string_t':
        out.type = 'string';
        break;
      case 'integer_t':
      case 'long_t':
        out.type = 'integer';
        break;
      case 'float_t':
        out.type = 'number';
        break;
      case 'boolean_t':
        out.type = 'boolean';
        break;
      case 'json_t':
        break;
      default:
        throw new Error(`no JSON type for ${typeName} (${base})`);
    }
    // The dictionary's regex, where ECMAScript reads it the same (e-mail and IP addresses: what
    // keeps a masked value out of a typed field).
    if ((typeName === 'email_t' || typeName === 'ip_t') && typeof t.regex === 'string') out.pattern = t.regex;
    const range = t.range as number[] | undefined;
    if (Array.isArray(range)) Object.assign(out, { minimum: range[0], maximum: range[1] });
    return out;
  };
  const property = (name: string, a: AttrDef): Json => {
    const d = dictionary.attributes[name];
    const typeName = a.type ?? d?.type;
    if (!typeName) throw new Error(`attribute ${name} has no type`);
    let schema: Json;
    if (types[typeName]) schema = scalar(typeName);
    else {
      if (!objectFiles.has(typeName)) throw new Error(`attribute ${name}: unknown object ${typeName}`);
      if (!defs[typeName] && !pending.includes(typeName)) pending.push(typeName);
      schema = { $ref: `#/$defs/${typeName}` };
    }
    const e = a.enum || d?.enum ? { ...(d?.enum ?? {}), ...(a.enum ?? {}) } : undefined;
    if (e && name.endsWith('_id') && schema.type === 'integer')
      schema.enum = Object.keys(e)
        .map(Number)
        .sort((x, y) => x - y);
    return (a.is_array ?? d?.is_array) ? { type: 'array', items: schema } : schema;
  };
  const objectSchema = (attrs: Record<string, AttrDef>, def: Json, extra: Json = {}): Json => {
    const properties: Record<string, Json> = {};
    const required: string[] = [];
    for (const [name, a] of Object.entries(attrs).sort(([x], [y]) => x.localeCompare(y))) {
      properties[name] = property(name, a);
      if (a.requirement === 'required') required.push(name);
    }
    const out: Json = { type: 'object', additionalProperties: false, properties, ...extra };
    if (required.length) out.required = required;
    const c = (def.constraints ?? {}) as { at_least_one?: string[]; just_one?: string[] };
    if (c.at_least_one) out.anyOf = c.at_least_one.filter((k) => properties[k]).map((k) => ({ required: [k] }));
    if (c.just_one) out.oneOf = c.just_one.filter((k) => properties[k]).map((k) => ({ required: [k] }));
    return out;
  };

  const classes: Record<string, Json> = {};
  for (const [uid, rel] of Object.entries(OCSF_CLASSES)) {
    const { attrs, def } = resolve(rel, eventFiles);
    const name = def.name as string;
    const schema = objectSchema(attrs, def, { title: `${def.caption as string} (${uid})` });
    (schema.properties as Json).class_uid = { const: Number(uid) };
    classes[name] = schema;
  }
  while (pending.length) {
    const name = pending.shift()!;
    const { attrs, def } = resolve(objectFiles.get(name)!, objectFiles);
    defs[name] = objectSchema(attrs, def, { title: def.caption as string });
  }
  // `unmapped` is free-form: whatever auditkit could not place goes there.
  if (defs.object) defs.object = { type: 'object', title: 'Object' };
  const out = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://auditkit.dev/schemas/ocsf/ocsf-1.8.0.schema.json',
    title: 'OCSF 1.8.0: the classes auditkit emits',
    description:
      'Generated by scripts/ocsf-schema.ts from github.com/ocsf/ocsf-schema at v1.8.0 (Apache-2.0; see schemas/ocsf/NOTICE.md). Do not edit.',
    oneOf: Object.keys(classes).map((n) => ({ $ref: `#/$defs/${n}` })),
    $defs: {
      ...Object.fromEntries(Object.entries(classes)),
      ...Object.fromEntries(Object.entries(defs).sort(([a], [b]) => a.localeCompare(b))),
    },
  };
  mkdirSync(path.join(ROOT, 'schemas/ocsf'), { recursive: true });
  writeFileSync(path.join(ROOT, 'schemas/ocsf/ocsf-1.8.0.schema.json'), `${JSON.stringify(out, null, 2)}\n`);
  console.error(`wrote schemas/ocsf/ocsf-1.8.0.schema.json: ${Object.keys(classes).length} classes, ${Object.keys(defs).length} objects`);
}

function readFileSyncDir(dir: string, withDirs = false): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => withDirs || e.isFile())
    .map((e) => e.name)
    .sort();
}

main(process.argv[2] ?? '/tmp/ocsf-1.8.0');
