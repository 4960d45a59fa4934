import type { SpiInspectionRow, SpiPadMeasurementRow } from '../model/entity-sets';
import type { SpiEventMeasurements } from './events';
import { simulateBoard } from './board-sim';
import type { BoardRecord, PlantState } from './state';

/**
 * The `SpiPadMeasurement` rows of a board's SPI inspection, re-simulated from its record (the
 * plant keeps no pad rows: they are as deterministic as the rest of the board). The live plant's
 * `SpiMeasurementsUploaded` events carry the same measurements.
 */
export function spiPadRows(state: PlantState, record: BoardRecord): SpiPadMeasurementRow[] {
  const { ctx } = record;
  const { product, stencil } = ctx;
  const spiId = record.spiId as string;
  const rows: SpiPadMeasurementRow[] = [];
  simulateBoard(state.env, ctx, (p, r) => {
    const comp = product.components[product.padComponent[p] as number];
    rows.push({
      Id: `${spiId}:${p}`,
      SpiInspectionId: spiId,
      SerialNumber: ctx.serial,
      PadNId: product.padNId[p] as string,
      ReferenceDesignator: comp?.refdes ?? '',
      PinNumber: product.padPin[p] as string,
      PackageType: comp?.packageName ?? '',
      PadShape: product.padShape[p] as string,
      PadSizeXUm: product.padSizeX[p] as number,
      PadSizeYUm: product.padSizeY[p] as number,
      PitchUm: product.padPitch[p] as number,
      ApertureAreaRatio: stencil?.areaRatio[p] ?? 0,
      VolumePct: r.volumePct,
      AreaPct: r.areaPct,
      HeightUm: r.heightUm,
      OffsetXUm: r.offsetXUm,
      OffsetYUm: r.offsetYUm,
      Result: r.fail ? 'Fail' : 'Pass',
    });
  });
  return rows;
}

/** The measurements a `SpiMeasurementsUploaded` event carries: the inspection's context and its pads, column by column (-0 as 0, as JSON carries it). */
export function spiEventMeasurements(inspection: SpiInspectionRow, pads: readonly SpiPadMeasurementRow[]): SpiEventMeasurements {
  return {
    stencilId: inspection.StencilNId,
    printsSinceWipe: inspection.PrintsSinceWipe,
    shift: inspection.Shift,
    pads: {
      padId: pads.map((p) => p.PadNId),
      volumePct: pads.map((p) => p.VolumePct + 0),
      areaPct: pads.map((p) => p.AreaPct + 0),
      heightUm: pads.map((p) => p.HeightUm + 0),
      offsetXUm: pads.map((p) => p.OffsetXUm + 0),
      offsetYUm: pads.map((p) => p.OffsetYUm + 0),
      result: pads.map((p) => p.Result),
    },
  };
}
