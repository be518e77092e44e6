/**
 * The component registry: each YAML type name mapped to its factory. `auditkit run`, the CLI's
 * `convert` and `pull` (one-pipeline configurations) and the SDK processors build every
 * component here; it is the one place (with adapters.ts) that imports concrete components.
 *
 * | kind      | type                       | config ($defs)          | folder                        |
 * |-----------|----------------------------|-------------------------|-------------------------------|
 * | receiver  | wandb, snorkel, wherobots  | wandb, snorkel, wherobots | src/receivers/vendor_api/   |
 * | receiver  | otlp (listens; a hop)      | otlp_receiver           | src/receivers/otlp/           |
 * | processor | redact                     | redact                  | src/processors/redact/        |
 * | processor | validate                   | validate                | src/processors/validate/      |
 * | processor | redaction (OTLP records)   | redaction               | src/processors/redaction/     |
 * | processor | batch (accepted, no-op)    | batch                   | (here)                        |
 * | exporter  | otlp (gRPC), otlphttp      | otlp                    | src/exporters/otlp/           |
 * | exporter  | ndjson_file                | ndjson_file             | src/exporters/ndjson_file/    |
 * | exporter  | parquet                    | parquet                 | src/exporters/parquet/        |
 * | exporter  | ndjson (CLI only)          | —                       | src/exporters/ndjson/         |
 */
import type { ConfigProblem } from '../errors.js';
import type { Vendor } from '../model/event.js';
import type { NdjsonConfig } from '../exporters/ndjson/config.js';
import { checkNdjsonFileConfig, type NdjsonFileConfig } from '../exporters/ndjson_file/config.js';
import { checkOtlpConfig, type OtlpConfig } from '../exporters/otlp/config.js';
import type { ParquetConfig } from '../exporters/parquet/config.js';
import { checkRedactConfig, type RedactConfig } from '../processors/redact/config.js';
import { createRedactProcessor, type RedactProcessor } from '../processors/redact/factory.js';
import { checkValidateConfig, type ValidateConfig } from '../processors/validate/config.js';
import { createValidateProcessor, validateRouter } from '../processors/validate/factory.js';
import { checkVendorApiConfig, type VendorApiConfig } from '../receivers/vendor_api/config.js';
import { createVendorApiReceiver, type VendorApiReceiver } from '../receivers/vendor_api/factory.js';
import { checkOtlpReceiverConfig, type OtlpReceiverConfig } from '../receivers/otlp/config.js';
import type { OtlpReceiverServer } from '../receivers/otlp/server.js';
import { compileCollectorRedaction } from '../processors/redaction/factory.js';
import type { CollectorRedactor } from '../processors/redaction/redaction.js';
import type { CollectorRedactionConfig } from '../processors/redaction/config.js';
import { ConfigError } from '../errors.js';
import { ENVELOPE_KEYS, adapterFor, envelopeKeyOf, ocsfEvent } from './adapters.js';
import type { ComponentContext } from './context.js';
import type { EventExporter } from './event-exporter.js';
import type { RoutedProcessor } from './processor-chain.js';
import { RejectionRouter } from './rejections.js';

export type { RedactProcessor };

/** The type of a `type[/name]` key. */
export const componentType = (key: string): string => key.split('/', 1)[0]!;

interface Factory<C, T> {
  /** Builds the component named `key` (`type[/name]`). */
  create(config: C, ctx: ComponentContext, key: string): T;
  /** What the configuration schema cannot check, as problems with their paths. */
  check(config: C, key: string): ConfigProblem[];
}

const receiver = (vendor: Vendor): Factory<VendorApiConfig, VendorApiReceiver> => ({
  create: (config, ctx, key) =>
    createVendorApiReceiver(adapterFor(vendor)!, { envelopeKeyOf, envelopeKeys: ENVELOPE_KEYS }, config, ctx, key),
  check: checkVendorApiConfig,
});

/** Pull receivers by type (the vendor APIs). */
export const RECEIVERS: ReadonlyMap<string, Factory<VendorApiConfig, VendorApiReceiver>> = new Map([
  ['wandb', receiver('wandb')],
  ['snorkel', receiver('snorkel')],
  ['wherobots', receiver('wherobots')],
]);

/** Push receivers by type: they listen, and the runtime answers each request. Their servers (and protobufjs) load when one is built. */
export const PUSH_RECEIVERS: ReadonlyMap<string, Factory<OtlpReceiverConfig, Promise<OtlpReceiverServer>>> = new Map([
  [
    'otlp',
    {
      create: async (config: OtlpReceiverConfig, ctx: ComponentContext, key: string) =>
        (await import('../receivers/otlp/server.js')).createOtlpReceiverServer(config, key, ctx.log),
      check: checkOtlpReceiverConfig,
    },
  ],
]);

/**
 * A pipeline step: an event processor (on audit events), a record processor (the Collector's
 * redaction, on whole OTLP records: only in pipelines of push receivers), or a step that passes
 * records on (batch).
 */
export type PipelineStep =
  | { kind: 'event'; routed: RoutedProcessor }
  | { kind: 'record'; name: string; redactor: CollectorRedactor }
  | { kind: 'pass'; name: string };

/** The problems compiling a Collector redaction gives, as config problems. */
function redactionProblems(config: CollectorRedactionConfig, key: string): ConfigProblem[] {
  try {
    compileCollectorRedaction(config, `processors.${key}`);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
}

/** Processors by type. */
export const PROCESSORS: ReadonlyMap<string, Factory<never, PipelineStep>> = new Map<string, Factory<never, PipelineStep>>([
  [
    'redact',
    {
      create: (config: RedactConfig, _ctx, key) => ({
        kind: 'event',
        routed: { processor: createRedactProcessor(config, key), router: new RejectionRouter() },
      }),
      check: checkRedactConfig,
    },
  ],
  [
    'validate',
    {
      create: (config: ValidateConfig, ctx, key) => ({
        kind: 'event',
        routed: { processor: createValidateProcessor(key), router: validateRouter(config, ctx, key) },
      }),
      check: checkValidateConfig,
    },
  ],
  [
    'redaction',
    {
      create: (config: CollectorRedactionConfig, _ctx, key) => ({
        kind: 'record',
        name: key,
        redactor: compileCollectorRedaction(config, `processors.${key}`),
      }),
      check: redactionProblems,
    },
  ],
  ['batch', { create: (_config: object, _ctx, key) => ({ kind: 'pass', name: key }), check: () => [] }],
]);

/** Exporters by type. Their modules load when one is built: the OTLP exporters are heavy, and a CLI start stays cheap. */
export const EXPORTERS: ReadonlyMap<string, Factory<never, Promise<EventExporter>>> = new Map<
  string,
  Factory<never, Promise<EventExporter>>
>([
  [
    'otlp',
    {
      create: async (config: OtlpConfig, ctx, key) => (await import('../exporters/otlp/factory.js')).createOtlpExporter(config, ctx, key),
      check: checkOtlpConfig,
    },
  ],
  [
    'otlphttp',
    {
      create: async (config: OtlpConfig, ctx, key) => (await import('../exporters/otlp/factory.js')).createOtlpExporter(config, ctx, key),
      check: checkOtlpConfig,
    },
  ],
  [
    'ndjson_file',
    {
      create: async (config: NdjsonFileConfig, ctx, key) =>
        (await import('../exporters/ndjson_file/factory.js')).createNdjsonFileExporter(config, ctx, key, ocsfEvent),
      check: checkNdjsonFileConfig,
    },
  ],
  [
    'parquet',
    {
      create: async (config: ParquetConfig, ctx, key) =>
        (await import('../exporters/parquet/factory.js')).createParquetExporter(config, ctx, key, ocsfEvent),
      check: (config: ParquetConfig, key) =>
        config.ocsf === true && !config.security_lake
          ? [{ path: `exporters.${key}.security_lake`, message: 'required with ocsf (region and account_id of the custom sources)' }]
          : config.ocsf !== true && config.security_lake
            ? [{ path: `exporters.${key}.security_lake`, message: 'applies only with ocsf: true' }]
            : [],
    },
  ],
  [
    'ndjson',
    {
      create: async (config: NdjsonConfig, ctx, key) =>
        (await import('../exporters/ndjson/factory.js')).createNdjsonExporter(config, ctx, key, ocsfEvent),
      check: () => [],
    },
  ],
]);

const ALL_RECEIVERS: ReadonlyMap<string, Factory<never, unknown>> = new Map<string, Factory<never, unknown>>([
  ...(RECEIVERS as ReadonlyMap<string, Factory<never, unknown>>),
  ...(PUSH_RECEIVERS as ReadonlyMap<string, Factory<never, unknown>>),
]);
const REGISTRY = { receivers: ALL_RECEIVERS, processors: PROCESSORS, exporters: EXPORTERS } as const;
export type ComponentKind = keyof typeof REGISTRY;

function factory<K extends ComponentKind>(kind: K, key: string): NonNullable<ReturnType<(typeof REGISTRY)[K]['get']>> {
  const f = REGISTRY[kind].get(componentType(key));
  if (!f) throw new TypeError(`${kind}.${key}: unknown component type`);
  return f as NonNullable<ReturnType<(typeof REGISTRY)[K]['get']>>;
}

/** True when `key` names a receiver that listens (the runtime answers its requests) rather than pulls. */
export const isPushReceiver = (key: string): boolean => PUSH_RECEIVERS.has(componentType(key));

export function createReceiver(key: string, config: VendorApiConfig, ctx: ComponentContext): VendorApiReceiver {
  const f = RECEIVERS.get(componentType(key));
  if (!f) throw new TypeError(`receivers.${key}: not a pull receiver`);
  return f.create(config, ctx, key);
}
export function createPushReceiver(key: string, config: OtlpReceiverConfig, ctx: ComponentContext): Promise<OtlpReceiverServer> {
  const f = PUSH_RECEIVERS.get(componentType(key));
  if (!f) throw new TypeError(`receivers.${key}: not a push receiver`);
  return f.create(config, ctx, key);
}
/** A pipeline step of any kind. */
export const createStep = (key: string, config: object, ctx: ComponentContext): PipelineStep =>
  factory('processors', key).create(config as never, ctx, key);
/** An event processor (redact, validate); throws for the other kinds. */
export function createProcessor(key: string, config: object, ctx: ComponentContext): RoutedProcessor {
  const step = createStep(key, config, ctx);
  if (step.kind !== 'event') throw new TypeError(`processors.${key}: not an event processor`);
  return step.routed;
}
export const createExporter = (key: string, config: object, ctx: ComponentContext): Promise<EventExporter> =>
  factory('exporters', key).create(config as never, ctx, key);

/** Whether `key` (`type` or `type/name`) names a component type of `kind`. */
export const isKnownComponent = (kind: ComponentKind, key: string): boolean => REGISTRY[kind].has(componentType(key));

/** The problems of one component's configuration that its schema cannot find. */
export function checkComponent(kind: ComponentKind, key: string, config: object): ConfigProblem[] {
  return factory(kind, key).check(config as never, key);
}
