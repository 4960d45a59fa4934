import type { Row } from '../../../opcenter/client';
import { toDate } from '../../shared';
import type { Operation } from './operation.type';

/** The operation fields this subgraph selects. */
export const OPERATION_FIELDS = ['id', 'name', 'sequence', 'status', 'workOrderId', 'workCenterId', 'processedQuantity', 'actualStartTime', 'actualEndTime'];

/** An Opcenter work order operation row (logical names) as an Operation. */
export function toOperation(row: Row): Operation {
  return {
    id: String(row.id),
    name: String(row.name),
    sequence: Number(row.sequence),
    status: String(row.status),
    workCenterId: String(row.workCenterId),
    processedQuantity: Number(row.processedQuantity),
    actualStart: toDate(row.actualStartTime),
    actualEnd: toDate(row.actualEndTime),
  };
}
