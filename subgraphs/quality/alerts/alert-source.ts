import { GraphQLError } from 'graphql';
import { isAlertId, type Alert as StoredAlert, type AlertStream } from '../../../insights/alert-stream';
import { BadUserInputError, UpstreamUnavailableError, type SubgraphContext } from '../../shared';
import { type AlertFilter, matchesAlertFilter } from './alert-filter.input';

/** The process's alert stream. */
export function alertStreamOf(ctx: SubgraphContext): AlertStream {
  const stream = ctx.ai?.insights.alerts;
  if (!stream) throw new UpstreamUnavailableError('This quality subgraph runs without the AI layer (no Redis configured), so it has no alerts.');
  return stream;
}

/** Checks an `after` argument, naming it in the error a client gets. */
export function checkAfter(after: string | null | undefined): string | null {
  if (after === null || after === undefined) return null;
  if (!isAlertId(after)) throw new BadUserInputError('after must be the id of an alert already received (e.g. 1712345678901-0).', 'after');
  return after;
}

/** What a client sees when Redis fails under a read: no address, and how to carry on. */
export function alertStreamUnavailable(): UpstreamUnavailableError {
  return new UpstreamUnavailableError('The alert stream cannot be reached; resubscribe with after set to the id of the last alert received.');
}

/**
 * The alerts for one subscription: the stream's replay-then-live iterator, narrowed by the filter.
 * A hand-written iterator rather than an async generator, so that `return()` (the client unsubscribed
 * or disconnected) reaches the stream at once instead of waiting for the pending read to end.
 */
export function subscribeToAlerts(stream: AlertStream, after: string | null, filter: AlertFilter | null | undefined): AsyncIterableIterator<StoredAlert> {
  const alerts = stream.subscribe(after, { signal: new AbortController().signal });
  const iterator: AsyncIterableIterator<StoredAlert> = {
    async next() {
      try {
        for (;;) {
          const result = await alerts.next();
          if (result.done || matchesAlertFilter(result.value, filter)) return result;
        }
      } catch (error) {
        await alerts.return?.();
        throw error instanceof GraphQLError ? error : alertStreamUnavailable();
      }
    },
    return: () => alerts.return?.() ?? Promise.resolve({ done: true, value: undefined }),
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
