import { readOpcenter, type SubgraphContext } from '../../shared';
import { WORK_ORDER_FIELDS } from '../production-order/production-order.mapper';
import { BOARD_FIELDS, toBoard } from './board.mapper';
import type { Board } from './board.type';

/**
 * The unit with this serial number, batched with every other one this request asks for; null when
 * unknown. `withOrder` reads its work order in the same call and hands it to the order loader, for a
 * query that asks for the board's production order (one round trip to Opcenter instead of two).
 */
export async function loadBoard(ctx: SubgraphContext, serialNumber: string, options: { withOrder?: boolean } = {}): Promise<Board | null> {
  const expand = options.withOrder ? { workOrder: WORK_ORDER_FIELDS } : undefined;
  const row = await readOpcenter(() => ctx.loader.loadOne('board', 'serialNumber', serialNumber, BOARD_FIELDS, expand));
  const order = row?.workOrder;
  if (typeof order === 'object' && order !== null && !Array.isArray(order)) {
    const orderRow = order as Record<string, unknown>;
    ctx.loader.prime('workOrder', 'id', String(orderRow.id), WORK_ORDER_FIELDS, [orderRow]);
  }
  return row ? toBoard(row) : null;
}
