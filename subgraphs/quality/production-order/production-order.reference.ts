import { ProductionOrder } from './production-order.type';

/** Resolves a ProductionOrder representation from its key alone. */
export function resolveProductionOrderReference(reference: { id: string }): ProductionOrder {
  return Object.assign(new ProductionOrder(), { id: reference.id });
}
