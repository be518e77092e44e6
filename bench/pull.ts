/**
 * A 1,000,000-event W&B pull from a loopback server that pages as the docs say: time, and the
 * bytes written to the checkpoint (proportional to the overlap, not to the range).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ENVELOPE_KEYS, adapterFor, envelopeKeyOf } from '../src/components/adapters.js';
import { pullSource } from '../src/receivers/vendor_api/pull.js';
import { wandbRecords, wandbServer } from '../test/helpers/vendor-servers.js';

export interface PullRow {
  events: number;
  pages: number;
  seconds: number;
  checkpointBytes: number;
}

export async function benchPull(n: number): Promise<PullRow> {
  const T0 = Date.UTC(2026, 7, 1);
  const span = 6 * 86_400_000;
  const server = wandbServer(wandbRecords(n, T0, Math.floor(span / n)));
  await server.start();
  try {
    const started = process.hrtime.bigint();
    let delivered = 0;
    const counts = await pullSource(
      {
        adapter: adapterFor('wandb')!,
        readOptions: { envelopeKeyOf, envelopeKeys: ENVELOPE_KEYS },
        source: 'wandb',
        url: server.url,
        credentials: { apiKey: 'wandb-key', username: 'admin' },
        vendorOptions: { page_size: 10_000 },
        since: new Date(T0).toISOString(),
        until: new Date(T0 + span).toISOString(),
        stateDir: await mkdtemp(path.join(tmpdir(), 'auditkit-bench-pull-')),
      },
      {
        write: (events) => {
          delivered += events.length;
          return undefined;
        },
        ack: () => Promise.resolve(),
        reject: () => undefined,
      },
    );
    if (delivered !== n) throw new Error(`pull delivered ${delivered} of ${n}`);
    return {
      events: n,
      pages: counts.pages,
      seconds: Math.round(Number(process.hrtime.bigint() - started) / 1e7) / 100,
      checkpointBytes: counts.checkpointBytes,
    };
  } finally {
    await server.stop();
  }
}
