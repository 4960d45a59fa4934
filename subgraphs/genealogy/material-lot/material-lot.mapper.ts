import { date, numeric, text, textOrNull, type OpcenterRow } from '../../shared';
import { MaterialLot } from './material-lot.type';
import { Reel } from './reel.type';

/** The fields of a `materialLot` row that the MaterialLot type needs. */
export const MATERIAL_LOT_FIELDS = [
  'id',
  'materialId',
  'supplier',
  'manufacturer',
  'manufacturerPartNumber',
  'quantity',
  'initialQuantity',
  'unitOfMeasure',
  'moistureSensitivityLevel',
  'dateCode',
  'receivedOn',
  'openedOn',
  'status',
] as const;

/** The fields of a `reel` row that the Reel type needs. */
export const REEL_FIELDS = ['id', 'carrierType', 'quantity', 'initialQuantity'] as const;

/** An Opcenter `materialLot` row as a MaterialLot. */
export function toMaterialLot(row: OpcenterRow): MaterialLot {
  return Object.assign(new MaterialLot(), {
    id: text(row.id),
    partNumber: text(row.materialId),
    supplier: text(row.supplier),
    manufacturer: text(row.manufacturer),
    manufacturerPartNumber: text(row.manufacturerPartNumber),
    quantity: numeric(row.quantity),
    initialQuantity: numeric(row.initialQuantity),
    unitOfMeasure: text(row.unitOfMeasure),
    moistureSensitivityLevel: textOrNull(row.moistureSensitivityLevel),
    dateCode: text(row.dateCode),
    receivedOn: date(row.receivedOn),
    openedOn: row.openedOn ? date(row.openedOn) : null,
    status: text(row.status),
  });
}

/** An Opcenter `reel` row as a Reel. */
export function toReel(row: OpcenterRow): Reel {
  return Object.assign(new Reel(), {
    id: text(row.id),
    carrierType: text(row.carrierType),
    quantity: numeric(row.quantity),
    initialQuantity: numeric(row.initialQuantity),
  });
}
