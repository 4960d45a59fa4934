import { date, numeric, text, textOrNull, type OpcenterRow } from '../../shared';
import { AoiComponent } from './aoi-component.type';
import { AoiInspection } from './aoi-inspection.type';

/** The fields of an `aoiInspection` row that the AoiInspection type needs. */
export const AOI_INSPECTION_FIELDS = [
  'guid',
  'id',
  'serialNumber',
  'inspectedOn',
  'equipmentId',
  'result',
  'componentCount',
  'defectCallCount',
  'confirmedDefectCount',
] as const;

/** The fields of an `aoiComponent` row that the AoiComponent type needs. */
export const AOI_COMPONENT_FIELDS = ['referenceDesignator', 'materialId', 'packageType', 'result', 'defectCode', 'reviewVerdict'] as const;

/** An Opcenter `aoiInspection` row as an AoiInspection. */
export function toAoiInspection(row: OpcenterRow): AoiInspection {
  return Object.assign(new AoiInspection(), {
    guid: text(row.guid),
    id: text(row.id),
    serialNumber: text(row.serialNumber),
    inspectedOn: date(row.inspectedOn),
    machineId: text(row.equipmentId),
    result: text(row.result),
    componentCount: numeric(row.componentCount),
    defectCallCount: numeric(row.defectCallCount),
    confirmedDefectCount: numeric(row.confirmedDefectCount),
  });
}

/** An Opcenter `aoiComponent` row as an AoiComponent. */
export function toAoiComponent(row: OpcenterRow): AoiComponent {
  return Object.assign(new AoiComponent(), {
    referenceDesignator: text(row.referenceDesignator),
    materialId: text(row.materialId),
    packageType: text(row.packageType),
    result: text(row.result),
    defectCode: textOrNull(row.defectCode),
    reviewVerdict: textOrNull(row.reviewVerdict),
  });
}
