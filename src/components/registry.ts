/**
 * The component registry: each YAML type name mapped to its factory. `auditkit run`, the CLI's
 * `convert` and `pull` (one-pipeline configurations) and the SDK processors build every
 * component here; it is the one place (with adapters.ts) that imports concrete components.
 *
 * | kind      | type                       | config ($defs)          | folder                        |
 * |-----------|----------------------------|-------------------------|-------------------------------|
 * | receiver  | wandb, snorkel, wherobots  | wandb, snorkel, wherobots | src/receivers/vendor_api/   |
 * | processor | redact                     | redact                  | src/processors/redact/        |
 * | processor | validate                   | validate                | src/processors/validate/      |
 * | exporter  | otlp                       | otlp                    | src/exporters/otlp/           |
 * | exporter  | ndjson_file                | ndjson_file             | src/exporters/ndjson_file/    |
 * | exporter  | ndjson (CLI only)          | —                       | src/exporters/ndjson/         |
 */
import type { ConfigProblem } from '../errors.js';
import type { Vendor } from '../model/event.js';
import type { NdjsonConfig } from '../exporters/ndjson/config.js';
import { checkNdjsonFileConfig, type NdjsonFileConfig } from '../exporters/ndjson_file/config.js';
import { checkOtlpConfig, type OtlpConfig } from '../exporters/otlp/config.js';
import { checkRedactConfig, type RedactConfig } from '../processors/redact/config.js';
import { createRedactProcessor, type RedactProcessor } from '../processors/redact/factory.js';
import { checkValidateConfig, type ValidateConfig } from '../processors/validate/config.js';
import { createValidateProcessor, validateRouter } from '../processors/validate/factory.js';
import { checkVendorApiConfig, type VendorApiConfig } from '../receivers/vendor_api/config.js';
import { createVendorApiReceiver, type VendorApiReceiver } from '../receivers/vendor_api/factory.js';
import { ENVELOPE_KEYS, adapterFor, envelopeKeyOf } from './adapters.js';
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

/** Receivers by type. */
export const RECEIVERS: ReadonlyMap<string, Factory<VendorApiConfig, VendorApiReceiver>> = new Map([
  ['wandb', receiver('wandb')],
  ['snorkel', receiver('snorkel')],
  ['wherobots', receiver('wherobots')],
]);

/** Processors by type. */
export const PROCESSORS: ReadonlyMap<string, Factory<never, RoutedProcessor>> = new Map<string, Factory<never, RoutedProcessor>>([
  [
    'redact',
    {
      create: (config: RedactConfig, _ctx, key) => ({ processor: createRedactProcessor(config, key), router: new RejectionRouter() }),
      check: checkRedactConfig,
    },
  ],
  [
    'validate',
    {
      create: (config: ValidateConfig, ctx, key) => ({ processor: createValidateProcessor(key), router: validateRouter(config, ctx, key) }),
      check: checkValidateConfig,
    },
  ],
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
    'ndjson_file',
    {
      create: async (config: NdjsonFileConfig, ctx, key) =>
        (await import('../exporters/ndjson_file/factory.js')).createNdjsonFileExporter(config, ctx, key),
      check: checkNdjsonFileConfig,
    },
  ],
  [
    'ndjson',
    {
      create: async (config: NdjsonConfig, ctx, key) =>
        (await import('../exporters/ndjson/factory.js')).createNdjsonExporter(config, ctx, key),
      check: () => [],
    },
  ],
]);

const REGISTRY = { receivers: RECEIVERS, processors: PROCESSORS, exporters: EXPORTERS } as const;
export type ComponentKind = keyof typeof REGISTRY;

function factory<K extends ComponentKind>(kind: K, key: string): NonNullable<ReturnType<(typeof REGISTRY)[K]['get']>> {
  const f = REGISTRY[kind].get(componentType(key));
  if (!f) throw new TypeError(`${kind}.${key}: unknown component type`);
  return f as NonNullable<ReturnType<(typeof REGISTRY)[K]['get']>>;
}

export const createReceiver = (key: string, config: VendorApiConfig, ctx: ComponentContext): VendorApiReceiver =>
  factory('receivers', key).create(config, ctx, key);
export const createProcessor = (key: string, config: object, ctx: ComponentContext): RoutedProcessor =>
  factory('processors', key).create(config as never, ctx, key);
export const createExporter = (key: string, config: object, ctx: ComponentContext): Promise<EventExporter> =>
  factory('exporters', key).create(config as never, ctx, key);

/** Whether `key` (`type` or `type/name`) names a component type of `kind`. */
export const isKnownComponent = (kind: ComponentKind, key: string): boolean => REGISTRY[kind].has(componentType(key));

/** The problems of one component's configuration that its schema cannot find. */
export function checkComponent(kind: ComponentKind, key: string, config: object): ConfigProblem[] {
  return factory(kind, key).check(config as never, key);
}
