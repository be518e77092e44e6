/**
 * Collector-compatible redaction against fast-redact on the same records and paths, where their
 * features overlap: masking the values of named keys (blocked_key_patterns with exact keys vs
 * fast-redact paths with a censor). fast-redact compiles the paths to code; auditkit must not
 * run code built from user config, so it interprets a plan.
 */
import fastRedact from 'fast-redact';
import { compileCollectorRedaction } from '../src/processors/redaction/factory.js';
import { interleaved, row, type BenchRow } from './lib.js';

const KEYS = ['user.email', 'client.address', 'user.name'];

function records(n: number): Record<string, string | number>[] {
  return Array.from({ length: n }, (_, i) => ({
    'user.email': `user${i % 97}@acme.io`,
    'client.address': `203.0.113.${i % 250}`,
    'user.name': `User ${i % 97}`,
    'auditkit.action.name': 'artifact:create',
    'auditkit.id': `wandb:${i}`,
    'http.response.status_code': 200,
    'cloud.region': 'us-west-2',
  }));
}

export async function benchRedaction(n: number, runs: number): Promise<BenchRow[]> {
  const ours = compileCollectorRedaction({ allow_all_keys: true, blocked_key_patterns: KEYS.map((k) => `^${k.replace(/\./g, '\\.')}$`) });
  const theirs = fastRedact({ paths: KEYS.map((k) => `["${k}"]`), censor: '****', serialize: false });
  const time = (fn: (r: Record<string, string | number>) => void): Promise<number> => {
    const rs = records(n);
    const t = process.hrtime.bigint();
    for (const r of rs) fn(r);
    return Promise.resolve(Number(process.hrtime.bigint() - t) / 1e6);
  };
  // Same result on both sides (checked once).
  const a = records(1)[0]!;
  const b = records(1)[0]!;
  ours.processAttributes(a);
  theirs(b);
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`results differ: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  await time((r) => ours.processAttributes(r));
  await time((r) => void theirs(r));
  const { ms, floorMs: floor } = await interleaved(
    runs,
    () => time((r) => void theirs(r)),
    () => time((r) => ours.processAttributes(r)),
  );
  return [row('redaction', `Collector-compatible vs fast-redact, ${n} records, 3 keys masked`, ms, floor)];
}
