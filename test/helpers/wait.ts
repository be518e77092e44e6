/** Waits until `cond` holds or `ms` pass (polling every 20 ms); the caller asserts afterwards. */
export async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}
