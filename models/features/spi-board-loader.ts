import type { OpcenterClient, Row } from '../../opcenter/client';
import { SPI_PRINT_PAD_FIELDS, toSpiBoardInput, toSpiPrintReading, type SpiBoardInput, type SpiPrintReading } from './spi-features';

/** What `loadSpiBoardInputs` found for one serial number. */
export type SpiBoardLoad =
  | { readonly status: 'ok'; readonly input: SpiBoardInput }
  /** The board has no SPI inspection (a box build, or not printed yet). */
  | { readonly status: 'no-spi'; readonly serialNumber: string };

/** What `loadSpiBoardReadings` found for one serial number. */
export type SpiBoardReading =
  | SpiBoardLoad
  /** Only the print's measurements were read (its stencil's layout is known). */
  | { readonly status: 'print'; readonly reading: SpiPrintReading };

/**
 * Reads from Opcenter what the SPI features of these boards need, in three batched reads whatever
 * the number of boards: their latest SPI inspections, those inspections' stencils, and their pads.
 * @throws FeatureInputError when Opcenter's data for a board is malformed
 */
export async function loadSpiBoardInputs(
  client: OpcenterClient,
  serialNumbers: readonly string[],
): Promise<Map<string, SpiBoardLoad>> {
  return (await loadSpiBoardReadings(client, serialNumbers, () => false)) as Map<string, SpiBoardLoad>;
}

/**
 * As `loadSpiBoardInputs`, but the pads of an inspection whose stencil `layoutKnown` names are read
 * with the print's fields only (SPI_PRINT_PAD_FIELDS: about a quarter of a full row), answered as
 * `print` readings to fill into the stencil's layout. At most four batched reads.
 * @throws FeatureInputError when Opcenter's data for a board is malformed
 */
export async function loadSpiBoardReadings(
  client: OpcenterClient,
  serialNumbers: readonly string[],
  layoutKnown: (stencilId: string) => boolean,
): Promise<Map<string, SpiBoardReading>> {
  const inspections = await client.getMany('spiInspection', 'serialNumber', serialNumbers);
  const latest = new Map<string, Row>();
  for (const inspection of inspections) {
    const serial = String(inspection.serialNumber);
    const seen = latest.get(serial);
    if (seen === undefined || String(inspection.inspectedOn) > String(seen.inspectedOn)) latest.set(serial, inspection);
  }
  const chosen = [...latest.values()];
  const stencilIds = [...new Set(chosen.map((i) => String(i.stencilId)))];
  const lean = new Set(chosen.filter((i) => typeof i.stencilId === 'string' && layoutKnown(i.stencilId)).map((i) => String(i.guid)));
  const full = chosen.map((i) => String(i.guid)).filter((guid) => !lean.has(guid));
  const [stencils, fullPads, leanPads] = await Promise.all([
    stencilIds.length > 0 ? client.getMany('stencil', 'id', stencilIds) : Promise.resolve([]),
    full.length > 0 ? client.getMany('spiPad', 'spiInspectionGuid', full) : Promise.resolve([]),
    lean.size > 0 ? client.getMany('spiPad', 'spiInspectionGuid', [...lean], { select: ['spiInspectionGuid', ...SPI_PRINT_PAD_FIELDS] }) : Promise.resolve([]),
  ]);
  const pads = fullPads.concat(leanPads);
  const stencilById = new Map(stencils.map((s) => [String(s.id), s]));
  const padsByInspection = new Map<string, Row[]>();
  for (const pad of pads) {
    const key = String(pad.spiInspectionGuid);
    const list = padsByInspection.get(key);
    if (list) list.push(pad);
    else padsByInspection.set(key, [pad]);
  }

  const result = new Map<string, SpiBoardReading>();
  for (const serialNumber of serialNumbers) {
    const inspection = latest.get(serialNumber);
    if (inspection === undefined) {
      result.set(serialNumber, { status: 'no-spi', serialNumber });
      continue;
    }
    const stencil = stencilById.get(String(inspection.stencilId)) ?? {};
    const boardPads = padsByInspection.get(String(inspection.guid)) ?? [];
    result.set(
      serialNumber,
      lean.has(String(inspection.guid))
        ? { status: 'print', reading: toSpiPrintReading(inspection, stencil, boardPads) }
        : { status: 'ok', input: toSpiBoardInput(inspection, stencil, boardPads) },
    );
  }
  return result;
}
