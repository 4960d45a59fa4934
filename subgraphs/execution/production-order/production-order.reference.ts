import type { SubgraphContext } from '../../shared';
import { loadProductionOrder } from './load-production-order';
import type { ProductionOrder } from './production-order.type';

/** Resolves `ProductionOrder` representations; all of one request go to Opcenter in one batch. */
export function resolveProductionOrderReference(reference: { id: string }, ctx: SubgraphContext): Promise<ProductionOrder | null> {
  return loadProductionOrder(ctx, reference.id);
}
