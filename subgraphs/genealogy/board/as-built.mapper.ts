import { date, list, numeric, numericOrNull, text, textOrNull, type OpcenterRow } from '../../shared';
import { AsBuilt, AsBuiltComponent, ConsumedUnit } from './as-built.type';
import { boardOf } from './board.type';

/** The fields of a `consumption` row that as-built needs. */
export const AS_BUILT_CONSUMPTION_FIELDS = [
  'serialNumber',
  'operationId',
  'materialId',
  'materialLotId',
  'reelId',
  'consumedSerialNumber',
  'referenceDesignators',
  'quantity',
  'equipmentId',
] as const;

/** The fields of a `placement` row that as-built needs. */
export const AS_BUILT_PLACEMENT_FIELDS = [
  'serialNumber',
  'referenceDesignator',
  'materialId',
  'materialLotId',
  'reelId',
  'equipmentId',
  'feederSlot',
  'nozzleId',
  'pickAttempts',
  'placedOn',
] as const;

/**
 * Joins a unit's consumption rows (one per BOM line: lot, reel, designators, operation) with its
 * placement records (one per designator: lot, reel, machine, feeder slot, nozzle).
 */
export function toAsBuilt(consumptions: readonly OpcenterRow[], placements: readonly OpcenterRow[]): AsBuilt {
  const placementAt = new Map(placements.map((row) => [text(row.referenceDesignator), row]));
  const components: AsBuiltComponent[] = [];
  const consumedUnits: ConsumedUnit[] = [];
  const covered = new Set<string>();
  for (const row of consumptions) {
    if (row.consumedSerialNumber) {
      consumedUnits.push(
        Object.assign(new ConsumedUnit(), {
          board: boardOf(text(row.consumedSerialNumber)),
          referenceDesignators: list(row.referenceDesignators),
          operationId: textOrNull(row.operationId),
          quantity: numeric(row.quantity),
        }),
      );
      continue;
    }
    const designators = list(row.referenceDesignators);
    if (designators.length === 0) components.push(componentOf(null, row, undefined));
    for (const designator of designators) {
      covered.add(designator);
      components.push(componentOf(designator, row, placementAt.get(designator)));
    }
  }
  for (const [designator, placement] of placementAt) {
    if (!covered.has(designator)) components.push(componentOf(designator, undefined, placement));
  }
  components.sort(byDesignator);
  return Object.assign(new AsBuilt(), { components, consumedUnits });
}

function componentOf(designator: string | null, consumption: OpcenterRow | undefined, placement: OpcenterRow | undefined): AsBuiltComponent {
  // The placement record names the reel each part actually came from; the consumption row the BOM line's.
  const source = placement ?? consumption ?? {};
  return Object.assign(new AsBuiltComponent(), {
    referenceDesignator: designator,
    partNumber: text(source.materialId),
    lotId: textOrNull(source.materialLotId),
    reelId: textOrNull(source.reelId),
    operationId: textOrNull(consumption?.operationId),
    machineId: textOrNull(source.equipmentId),
    feederSlot: numericOrNull(placement?.feederSlot),
    nozzleId: textOrNull(placement?.nozzleId),
    pickAttempts: numericOrNull(placement?.pickAttempts),
    placedOn: placement?.placedOn ? date(placement.placedOn) : null,
  });
}

function byDesignator(a: AsBuiltComponent, b: AsBuiltComponent): number {
  if (a.referenceDesignator === null || b.referenceDesignator === null) {
    return (a.referenceDesignator === null ? 1 : 0) - (b.referenceDesignator === null ? 1 : 0);
  }
  return a.referenceDesignator.localeCompare(b.referenceDesignator, 'en', { numeric: true });
}
