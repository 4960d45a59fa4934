/**
 * Waiting helpers shared by the end-to-end suites: poll until a condition holds, and read results
 * of an async iterator (a graphql-ws subscription) with a deadline.
 */

/** Reads `read()` every `intervalMs` until `done(value)` or the time is up; answers the last value (the caller asserts on it). */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Reads `count` results, failing after `timeoutMs`; fewer when the iterator ends first. */
export async function take<T>(iterator: AsyncIterator<T>, count: number, timeoutMs = 15_000): Promise<T[]> {
  const taken: T[] = [];
  const deadline = Date.now() + timeoutMs;
  while (taken.length < count) {
    const next = await Promise.race([
      iterator.next(),
      new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), Math.max(deadline - Date.now(), 0)).unref()),
    ]);
    if (next === 'timeout') throw new Error(`got ${taken.length} of ${count} results within ${timeoutMs} ms`);
    if (next.done) break;
    taken.push(next.value);
  }
  return taken;
}
