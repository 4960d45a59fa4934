// Its results are type-graphql classes, whose decorators need the metadata API wherever this is imported.
import 'reflect-metadata';
import type { OpcenterClient } from '../../../opcenter/client';
import { boardOf } from '../board/board.type';
import { list, text, textOrNull, type OpcenterRow } from '../../shared';
import { GenealogyLimitError } from './genealogy-limit.error';
import { GenealogyLink } from './genealogy-link.type';
import { WhereUsedUnit } from './where-used-unit.type';

/** Units one walk may reach, over all its lots. */
export const MAX_WHERE_USED_UNITS = 100_000;

const CONSUMPTION_FIELDS = ['serialNumber', 'materialLotId', 'consumedSerialNumber', 'referenceDesignators', 'operationId'];

/**
 * Every unit that contains material of each lot: directly (its consumption rows name the lot) or
 * through sub-assemblies (a unit whose consumption rows consume such a unit), level by level until
 * no level adds a unit. One `getMany` per level for all lots together (chunked by the client).
 * Each unit appears once per lot, with its shortest path; units are ordered by level, then serial.
 */
export async function walkWhereUsed(
  opcenter: OpcenterClient,
  lotIds: readonly string[],
  maxUnits = MAX_WHERE_USED_UNITS,
): Promise<Map<string, WhereUsedUnit[]>> {
  const found = new Map<string, Map<string, WhereUsedUnit>>(lotIds.map((lotId) => [lotId, new Map()]));
  let reached = 0;
  const reach = (lotId: string, unit: WhereUsedUnit, frontier: Map<string, Set<string>>) => {
    found.get(lotId)!.set(unit.board.serialNumber, unit);
    frontier.get(lotId)!.add(unit.board.serialNumber);
    if (++reached > maxUnits) throw new GenealogyLimitError(maxUnits);
  };

  let frontier = emptyFrontier(lotIds);
  for (const row of await opcenter.getMany<OpcenterRow>('consumption', 'materialLotId', lotIds, { select: CONSUMPTION_FIELDS })) {
    const lotId = text(row.materialLotId);
    const serialNumber = text(row.serialNumber);
    const known = found.get(lotId)?.get(serialNumber);
    if (known) {
      // The lot fed several BOM lines of one unit: one link with all their designators.
      known.path[0]!.referenceDesignators.push(...list(row.referenceDesignators));
      continue;
    }
    reach(lotId, unitOf(serialNumber, 0, [linkOf(row)]), frontier);
  }

  for (let level = 1; ; level++) {
    const children = new Set([...frontier.values()].flatMap((serials) => [...serials]));
    if (children.size === 0) break;
    const parentsOf = new Map<string, OpcenterRow[]>();
    for (const row of await opcenter.getMany<OpcenterRow>('consumption', 'consumedSerialNumber', [...children], { select: CONSUMPTION_FIELDS })) {
      const child = text(row.consumedSerialNumber);
      parentsOf.set(child, [...(parentsOf.get(child) ?? []), row]);
    }
    const next = emptyFrontier(lotIds);
    for (const [lotId, serials] of frontier) {
      const units = found.get(lotId)!;
      for (const child of serials) {
        for (const row of parentsOf.get(child) ?? []) {
          const parent = text(row.serialNumber);
          if (units.has(parent)) continue;
          reach(lotId, unitOf(parent, level, [...units.get(child)!.path, linkOf(row)]), next);
        }
      }
    }
    frontier = next;
  }

  return new Map(
    [...found].map(([lotId, units]) => [
      lotId,
      [...units.values()].sort((a, b) => a.level - b.level || a.board.serialNumber.localeCompare(b.board.serialNumber)),
    ]),
  );
}

function emptyFrontier(lotIds: readonly string[]): Map<string, Set<string>> {
  return new Map(lotIds.map((lotId) => [lotId, new Set<string>()]));
}

function unitOf(serialNumber: string, level: number, path: GenealogyLink[]): WhereUsedUnit {
  return Object.assign(new WhereUsedUnit(), { board: boardOf(serialNumber), level, path });
}

function linkOf(row: OpcenterRow): GenealogyLink {
  return Object.assign(new GenealogyLink(), {
    unitSerialNumber: text(row.serialNumber),
    consumedLotId: textOrNull(row.materialLotId),
    consumedSerialNumber: textOrNull(row.consumedSerialNumber),
    referenceDesignators: list(row.referenceDesignators),
    operationId: textOrNull(row.operationId),
  });
}
