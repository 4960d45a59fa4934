import type { Context, OperationResult } from 'graphql-ws';

/** Events a graphql-ws connection may have waiting to be sent, by default. */
export const DEFAULT_MAX_BUFFERED_EVENTS = 1000;

/** Close code for a connection that fell too far behind (4429, after HTTP 429 Too Many Requests). */
export const SLOW_CONSUMER_CLOSE_CODE = 4429;

/** The part of a WebSocket the limit needs. */
export interface ClosableSocket {
  close(code: number, reason: string): void;
}

/** One connection's waiting events, across its subscriptions. */
interface ConnectionBuffer {
  pending: number;
  overflowed: boolean;
  stops: Set<() => void>;
}

/**
 * A graphql-ws `onOperation` hook that bounds how many events each connection may have waiting.
 *
 * graphql-ws sends a subscription's next event only once the socket has taken the previous one, so a
 * client that reads slowly holds events back upstream, where nothing bounds them. This hook pulls every
 * subscription's events eagerly into a queue per subscription; when a connection's queues together hold
 * more than `maxBuffered` events, the connection is closed with {@link SLOW_CONSUMER_CLOSE_CODE} and a
 * reason saying to resume with `after` set to the id of the last event sent (when the events' root
 * field has an `id`), and its subscriptions end upstream at once. Other connections are unaffected.
 *
 * Events whose root `id` is an alert id (`<ms>-<seq>`, ordered) are also dropped when not newer than the
 * last one queued: a graphql-ws client that reconnects on its own (the gateway's connection to a restarted
 * subgraph) subscribes again with the original `after` and replays what was already sent.
 */
export function createSlowConsumerLimit<P extends Context['connectionParams'], E>(
  maxBuffered: number,
  socketOf: (ctx: Context<P, E>) => ClosableSocket,
): (ctx: Context<P, E>, id: string, payload: unknown, args: unknown, result: OperationResult) => OperationResult | void {
  const buffers = new WeakMap<Context<P, E>, ConnectionBuffer>();
  return (ctx, _id, _payload, _args, result) => {
    if (!isAsyncIterable(result)) return;
    let buffer = buffers.get(ctx);
    if (!buffer) {
      buffer = { pending: 0, overflowed: false, stops: new Set() };
      buffers.set(ctx, buffer);
    }
    const connection = buffer;
    return boundedEvents(result, connection, (lastSent) => {
      if (connection.overflowed) return;
      connection.overflowed = true;
      const id = rootId(lastSent);
      const resume = id === undefined ? 'reconnect with after = the id of the last alert received' : `reconnect with after=${id}`;
      socketOf(ctx).close(SLOW_CONSUMER_CLOSE_CODE, `Slow consumer: more than ${maxBuffered} alerts buffered; ${resume}`.slice(0, 123));
      for (const stop of connection.stops) stop();
    }, maxBuffered);
  };
}

/** `source`'s events through a queue that is filled as fast as `source` yields; see {@link createSlowConsumerLimit}. */
function boundedEvents<T>(source: AsyncIterable<T>, connection: ConnectionBuffer, onOverflow: (lastSent: T | undefined) => void, maxBuffered: number): AsyncIterableIterator<T> {
  const queue: T[] = [];
  let upstream: AsyncIterator<T> | undefined;
  let waiting: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | undefined;
  let ended: { error?: unknown } | undefined;
  let stopped = false;
  let lastSent: T | undefined;
  let lastQueuedId: [bigint, bigint] | undefined;

  const settle = () => {
    if (!waiting) return;
    const { resolve, reject } = waiting;
    if (queue.length > 0) {
      waiting = undefined;
      connection.pending -= 1;
      lastSent = queue.shift() as T;
      resolve({ value: lastSent, done: false });
    } else if (stopped || ended) {
      waiting = undefined;
      if (ended?.error !== undefined && !stopped) reject(ended.error);
      else resolve({ value: undefined, done: true });
    }
  };
  const stop = () => {
    if (stopped) return;
    stopped = true;
    connection.pending -= queue.length;
    queue.length = 0;
    connection.stops.delete(stop);
    void Promise.resolve(upstream?.return?.()).catch(() => undefined);
    settle();
  };
  const pump = async (events: AsyncIterator<T>) => {
    try {
      while (!stopped) {
        const result = await events.next();
        if (result.done || stopped) break;
        const id = orderedId(rootId(result.value));
        if (id && lastQueuedId && !isAfter(id, lastQueuedId)) continue;
        if (id) lastQueuedId = id;
        queue.push(result.value);
        connection.pending += 1;
        settle();
        if (connection.pending > maxBuffered) onOverflow(lastSent);
      }
    } catch (error) {
      ended = { error };
    } finally {
      ended ??= {};
      connection.stops.delete(stop);
      settle();
    }
  };

  const iterator: AsyncIterableIterator<T> = {
    next: () => {
      if (!upstream && !stopped) {
        upstream = source[Symbol.asyncIterator]();
        connection.stops.add(stop);
        void pump(upstream);
      }
      return new Promise<IteratorResult<T>>((resolve, reject) => {
        waiting = { resolve, reject };
        settle();
      });
    },
    return: async () => {
      stop();
      return { value: undefined, done: true };
    },
    throw: async (error?: unknown) => {
      stop();
      throw error;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/** An alert id (`<ms>-<seq>`) as numbers to compare, or undefined for any other id. */
function orderedId(id: string | undefined): [bigint, bigint] | undefined {
  const match = id === undefined ? null : /^(\d{1,20})-(\d{1,20})$/.exec(id);
  return match ? [BigInt(match[1] as string), BigInt(match[2] as string)] : undefined;
}

function isAfter(id: [bigint, bigint], than: [bigint, bigint]): boolean {
  return id[0] > than[0] || (id[0] === than[0] && id[1] > than[1]);
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}

/** The `id` of a result's root field (`{ data: { alerts: { id } } }`), if it has one. */
function rootId(result: unknown): string | undefined {
  const data = (result as { data?: Record<string, unknown> | null } | undefined)?.data;
  const root = data ? Object.values(data)[0] : undefined;
  const id = (root as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}
