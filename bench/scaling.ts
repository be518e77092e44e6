/**
 * Scaling: convert 10k, 100k and 1M W&B records; time per record should stay flat and peak RSS
 * stay under 150 MB at 1M (streaming, constant memory).
 */
import path from 'node:path';
import { DATA, convertChild, generate, wandbRecord } from './lib.js';

export interface ScalingRow {
  records: number;
  seconds: number;
  usPerRecord: number;
  peakRssMb: number;
  jobs?: number;
}

export async function benchScaling(sizes: number[], extra: string[] = []): Promise<ScalingRow[]> {
  const out: ScalingRow[] = [];
  for (const n of sizes) {
    const file = await generate(path.join(DATA, `wandb-${n}.ndjson`), n, (i) => JSON.stringify(wandbRecord(i)));
    const r = await convertChild([file, '--from', 'wandb', '-o', path.join(DATA, 'scaling.out'), ...extra], 'scaling');
    out.push({
      ...(extra.includes('--jobs') ? { jobs: Number(extra[extra.indexOf('--jobs') + 1]) } : {}),
      records: n,
      seconds: Math.round(r.ms / 10) / 100,
      usPerRecord: Math.round(((r.ms * 1000) / n) * 100) / 100,
      peakRssMb: r.peakRssMb,
    });
  }
  return out;
}
