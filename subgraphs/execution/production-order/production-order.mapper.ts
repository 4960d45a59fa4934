import type { Row } from '../../../opcenter/client';
import { toDate } from '../../shared';
import type { ProductionOrder } from './production-order.type';

/** The work order fields every read of this subgraph selects (one selection, so reads batch together). */
export const WORK_ORDER_FIELDS = [
  'id', 'name', 'status', 'finalMaterialId', 'finalMaterialRevision', 'plannedQuantity', 'producedQuantity',
  'scrappedQuantity', 'targetYield', 'priority', 'customer', 'lineId', 'plannedStartTime', 'plannedEndTime',
  'actualStartTime', 'actualEndTime', 'dueDate', 'createdOn',
];

/** An Opcenter work order row (logical names) as a ProductionOrder. */
export function toProductionOrder(row: Row): ProductionOrder {
  return {
    id: String(row.id),
    name: String(row.name),
    status: String(row.status),
    productId: String(row.finalMaterialId),
    productRevision: String(row.finalMaterialRevision),
    plannedQuantity: Number(row.plannedQuantity),
    producedQuantity: Number(row.producedQuantity),
    scrappedQuantity: Number(row.scrappedQuantity),
    targetYield: Number(row.targetYield),
    priority: Number(row.priority),
    customer: String(row.customer),
    lineId: String(row.lineId),
    plannedStart: toDate(row.plannedStartTime) as Date,
    plannedEnd: toDate(row.plannedEndTime) as Date,
    actualStart: toDate(row.actualStartTime),
    actualEnd: toDate(row.actualEndTime),
    dueDate: toDate(row.dueDate) as Date,
    createdOn: toDate(row.createdOn) as Date,
  };
}
