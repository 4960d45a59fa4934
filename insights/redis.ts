import { Redis } from 'ioredis';

/** Options of {@link createRedis}. */
export interface CreateRedisOptions {
  /**
   * A connection for BullMQ (Queue, QueueEvents, Worker): `maxRetriesPerRequest: null`, as BullMQ
   * requires, and connected at once (see below). Default false: a plain client for the insight store.
   */
  forBullMq?: boolean;
  /** Called with every client error. Default: a warning when an outage starts, not once per retry. */
  onError?: (error: Error) => void;
}

/**
 * An ioredis client that survives Redis outages: it always has an `error` listener (ioredis emits
 * one per failed reconnect, and an unheard `error` event would crash the process) and reconnects
 * with ioredis' default back-off.
 *
 * The plain client connects lazily, on its first command, and fails a command after two reconnect
 * attempts instead of holding it, so a resolver hears about an outage in well under a second.
 * The BullMQ client connects at once: BullMQ calls `connect()` on a lazy client and, when that first
 * attempt fails, stays broken for good even after Redis comes back (seen with BullMQ 6.7).
 */
export function createRedis(url: string, options: CreateRedisOptions = {}): Redis {
  const client = options.forBullMq
    ? new Redis(url, { maxRetriesPerRequest: null })
    : new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  client.on('error', options.onError ?? createErrorReporter(`redis ${redactUrl(url)}`));
  return client;
}

/**
 * An error listener that warns once per distinct message, so an outage that makes ioredis retry
 * every second does not flood the log.
 */
export function createErrorReporter(label: string): (error: Error) => void {
  let last: string | undefined;
  return (error) => {
    if (error.message === last) return;
    last = error.message;
    console.warn(`${new Date().toISOString()} ${label}: ${error.message}`);
  };
}

/** Closes a client politely when it is connected, at once otherwise (QUIT would wait for a reconnect). */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    await client.quit().catch(() => client.disconnect());
  } else {
    client.disconnect();
  }
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

/**
 * Removes every key under `<prefix>:` (SCAN and UNLINK in pages, so Redis never blocks on it), e.g.
 * a development run's or a test's whole key space. Answers how many keys it removed.
 */
export async function deleteKeysUnder(client: Redis, prefix: string): Promise<number> {
  let removed = 0;
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) removed += await client.unlink(...keys);
  } while (cursor !== '0');
  return removed;
}
