import type { Row } from '../../../opcenter/client';
import type { BomItem } from './bom-item.type';

/** The BOM item fields this subgraph selects. */
export const BOM_ITEM_FIELDS = ['billOfMaterialsId', 'sequence', 'materialId', 'quantity', 'referenceDesignators', 'placementSide'];

/** An Opcenter BOM item row (logical names) as a BomItem; Opcenter keeps designators comma separated. */
export function toBomItem(row: Row): BomItem {
  return {
    sequence: Number(row.sequence),
    componentId: String(row.materialId),
    quantity: Number(row.quantity),
    referenceDesignators: String(row.referenceDesignators ?? '')
      .split(',')
      .map((designator) => designator.trim())
      .filter((designator) => designator !== ''),
    placementSide: String(row.placementSide),
  };
}
