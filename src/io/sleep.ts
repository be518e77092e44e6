/** Waits `millis`, or less when `signal` aborts; resolves true when the whole time passed. */
export function sleep(millis: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, millis);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
