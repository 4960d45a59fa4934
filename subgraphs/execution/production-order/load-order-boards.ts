import DataLoader from 'dataloader';
import type { Row } from '../../../opcenter/client';
import type { SubgraphContext } from '../../shared';
import { BOARD_FIELDS } from '../board/board.mapper';

/** One page of the boards of an order: rows plus whether more follow. */
export interface OrderBoardsPage {
  rows: Row[];
  hasMore: boolean;
}

const loadersByRequest = new WeakMap<SubgraphContext, Map<string, DataLoader<string, OrderBoardsPage>>>();

/**
 * The same page of boards (status, offset, size) of many orders in one Opcenter read: the orders
 * with their boards expanded (`$expand` with `$filter`, `$orderby`, `$top`, `$skip`). One more row
 * than asked for says whether another page follows.
 */
export function loadOrderBoards(
  ctx: SubgraphContext,
  orderId: string,
  page: { status?: string; offset: number; limit: number },
): Promise<OrderBoardsPage> {
  let loaders = loadersByRequest.get(ctx);
  if (!loaders) {
    loaders = new Map();
    loadersByRequest.set(ctx, loaders);
  }
  const key = JSON.stringify([page.status ?? null, page.offset, page.limit]);
  let loader = loaders.get(key);
  if (!loader) {
    loader = new DataLoader<string, OrderBoardsPage>(async (orderIds) => {
      const orders = await ctx.opcenter.getMany('workOrder', 'id', orderIds, {
        select: ['id'],
        expand: {
          boards: {
            select: BOARD_FIELDS,
            ...(page.status ? { filter: { status: page.status } } : {}),
            orderBy: 'serialNumber',
            top: page.limit + 1,
            skip: page.offset,
          },
        },
      });
      const byId = new Map(orders.map((order) => [String(order.id), (order.boards as Row[] | undefined) ?? []]));
      return orderIds.map((id) => {
        const rows = byId.get(id) ?? [];
        return { rows: rows.slice(0, page.limit), hasMore: rows.length > page.limit };
      });
    });
    loaders.set(key, loader);
  }
  return loader.load(orderId);
}
