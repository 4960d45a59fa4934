import type { Row } from '../../../opcenter/client';
import type { WorkCenter } from './work-center.type';

/** The equipment fields every read of this subgraph selects (one selection, so reads batch together). */
export const EQUIPMENT_FIELDS = ['id', 'name', 'description', 'level', 'equipmentType', 'vendor', 'model', 'status', 'parentId', 'lineId'];

/** An Opcenter equipment row (logical names) as a WorkCenter. */
export function toWorkCenter(row: Row): WorkCenter {
  return {
    id: String(row.id),
    name: String(row.name),
    description: (row.description as string | null) ?? null,
    level: String(row.level),
    equipmentType: String(row.equipmentType),
    vendor: (row.vendor as string | null) ?? null,
    model: (row.model as string | null) ?? null,
    status: String(row.status),
    parentId: (row.parentId as string | null) ?? null,
    lineId: (row.lineId as string | null) ?? null,
  };
}
