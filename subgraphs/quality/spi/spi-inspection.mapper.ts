import { date, numeric, text, type OpcenterRow } from '../../shared';
import { SpiInspection } from './spi-inspection.type';

/** The fields of a `spiInspection` row that the SpiInspection type needs. */
export const SPI_INSPECTION_FIELDS = [
  'guid',
  'id',
  'serialNumber',
  'inspectedOn',
  'equipmentId',
  'lineId',
  'stencilId',
  'printsSinceWipe',
  'squeegeeDirection',
  'shift',
  'result',
  'padCount',
  'failedPadCount',
] as const;

/** An Opcenter `spiInspection` row as a SpiInspection. */
export function toSpiInspection(row: OpcenterRow): SpiInspection {
  return Object.assign(new SpiInspection(), {
    guid: text(row.guid),
    id: text(row.id),
    serialNumber: text(row.serialNumber),
    inspectedOn: date(row.inspectedOn),
    machineId: text(row.equipmentId),
    lineId: text(row.lineId),
    stencilId: text(row.stencilId),
    printsSinceWipe: numeric(row.printsSinceWipe),
    squeegeeDirection: text(row.squeegeeDirection),
    shift: text(row.shift),
    result: text(row.result),
    padCount: numeric(row.padCount),
    failedPadCount: numeric(row.failedPadCount),
  });
}
