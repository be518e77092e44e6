/** Durations as the Collector writes them (Go's time.ParseDuration): `10s`, `500ms`, `1m30s`, `0`. */

const UNIT_MILLIS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /([0-9]+(?:\.[0-9]+)?)(ns|us|µs|ms|s|m|h)/gy;

/** Milliseconds of a duration, or undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  let total = 0;
  let at = 0;
  PART.lastIndex = 0;
  for (let m = PART.exec(text); m; m = PART.exec(text)) {
    total += Number(m[1]) * UNIT_MILLIS[m[2]!]!;
    at = PART.lastIndex;
  }
  return at === text.length && at > 0 ? total : undefined;
}
