import type { OpcenterClient, OpcenterQuery, Row } from '../../opcenter/client';
import { pageWindow, toConnection, type ConnectionArgs, type ConnectionPage } from './connection';
import { readOpcenter } from './read-opcenter';
import { withoutNulls } from './without-nulls';

/** One connection page read from Opcenter with `$top`/`$skip`, and `totalCount` from `$count`. */
export async function loadPage<T>(
  opcenter: OpcenterClient,
  concept: string,
  query: Omit<OpcenterQuery, 'top' | 'skip' | 'count'>,
  args: ConnectionArgs,
  toNode: (row: Row) => T,
): Promise<ConnectionPage<T>> {
  const { offset, limit } = pageWindow(withoutNulls(args));
  const page = await readOpcenter(() => opcenter.list(concept, { ...query, top: limit, skip: offset, count: true }));
  const total = page.count ?? null;
  const hasMore = total === null ? page.nextLink !== undefined : offset + page.items.length < total;
  return toConnection(page.items.map(toNode), offset, hasMore, total);
}
