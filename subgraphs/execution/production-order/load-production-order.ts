import { readOpcenter, type SubgraphContext } from '../../shared';
import { toProductionOrder, WORK_ORDER_FIELDS } from './production-order.mapper';
import type { ProductionOrder } from './production-order.type';

/** The order with this NId, batched with every other one this request asks for; null when unknown. */
export async function loadProductionOrder(ctx: SubgraphContext, id: string): Promise<ProductionOrder | null> {
  const row = await readOpcenter(() => ctx.loader.loadOne('workOrder', 'id', id, WORK_ORDER_FIELDS));
  return row ? toProductionOrder(row) : null;
}
