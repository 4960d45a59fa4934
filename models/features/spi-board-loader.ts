import type { OpcenterClient, Row } from '../../opcenter/client';
import { toSpiBoardInput, type SpiBoardInput } from './spi-features';

/** What `loadSpiBoardInputs` found for one serial number. */
export type SpiBoardLoad =
  | { readonly status: 'ok'; readonly input: SpiBoardInput }
  /** The board has no SPI inspection (a box build, or not printed yet). */
  | { readonly status: 'no-spi'; readonly serialNumber: string };

/**
 * Reads from Opcenter what the SPI features of these boards need, in three batched reads whatever
 * the number of boards: their latest SPI inspections, those inspections' stencils, and their pads.
 * @throws FeatureInputError when Opcenter's data for a board is malformed
 */
export async function loadSpiBoardInputs(
  client: OpcenterClient,
  serialNumbers: readonly string[],
): Promise<Map<string, SpiBoardLoad>> {
  const inspections = await client.getMany('spiInspection', 'serialNumber', serialNumbers);
  const latest = new Map<string, Row>();
  for (const inspection of inspections) {
    const serial = String(inspection.serialNumber);
    const seen = latest.get(serial);
    if (seen === undefined || String(inspection.inspectedOn) > String(seen.inspectedOn)) latest.set(serial, inspection);
  }
  const chosen = [...latest.values()];
  const stencilIds = [...new Set(chosen.map((i) => String(i.stencilId)))];
  const [stencils, pads] = await Promise.all([
    stencilIds.length > 0 ? client.getMany('stencil', 'id', stencilIds) : Promise.resolve([]),
    chosen.length > 0
      ? client.getMany(
          'spiPad',
          'spiInspectionGuid',
          chosen.map((i) => String(i.guid)),
        )
      : Promise.resolve([]),
  ]);
  const stencilById = new Map(stencils.map((s) => [String(s.id), s]));
  const padsByInspection = new Map<string, Row[]>();
  for (const pad of pads) {
    const key = String(pad.spiInspectionGuid);
    const list = padsByInspection.get(key);
    if (list) list.push(pad);
    else padsByInspection.set(key, [pad]);
  }

  const result = new Map<string, SpiBoardLoad>();
  for (const serialNumber of serialNumbers) {
    const inspection = latest.get(serialNumber);
    if (inspection === undefined) {
      result.set(serialNumber, { status: 'no-spi', serialNumber });
      continue;
    }
    const stencil = stencilById.get(String(inspection.stencilId)) ?? {};
    const boardPads = padsByInspection.get(String(inspection.guid)) ?? [];
    result.set(serialNumber, { status: 'ok', input: toSpiBoardInput(inspection, stencil, boardPads) });
  }
  return result;
}
