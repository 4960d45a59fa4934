import type { Row } from '../../../opcenter/client';
import { toDate } from '../../shared';
import type { Board } from './board.type';

/** The unit fields every read of this subgraph selects (one selection, so reads batch together). */
export const BOARD_FIELDS = [
  'serialNumber', 'unitType', 'materialId', 'materialRevision', 'status', 'isOnHold', 'holdReason',
  'createdOn', 'completedOn', 'panelId', 'lineId', 'workOrderId',
];

/** An Opcenter material tracking unit row (logical names) as a Board. */
export function toBoard(row: Row): Board {
  return {
    serialNumber: String(row.serialNumber),
    unitType: String(row.unitType),
    productId: String(row.materialId),
    productRevision: String(row.materialRevision),
    status: String(row.status),
    isOnHold: row.isOnHold === true,
    holdReason: (row.holdReason as string | null) ?? null,
    createdOn: toDate(row.createdOn) as Date,
    completedOn: toDate(row.completedOn),
    panelId: (row.panelId as string | null) ?? null,
    lineId: String(row.lineId),
    productionOrderId: String(row.workOrderId),
  };
}
