import { loadMapping, toLogicalRow, type OpcenterMapping, type Row } from '../../opcenter/client';
import type { Plant } from '../../opcenter/simulator';
import { toSpiBoardInput, type SpiBoardInput } from '../features/spi-features';

/**
 * Reads a simulated plant the way serving reads Opcenter: rows renamed to the logical names of the
 * client's mapping, then handed to the same feature-input builders. Only the transport differs.
 */
export class SimulatorSource {
  private readonly stencils = new Map<string, Row>();

  constructor(
    readonly plant: Plant,
    private readonly mapping: OpcenterMapping = loadMapping(),
  ) {
    for (const stencil of plant.rows('Stencil')) this.stencils.set(String(stencil.NId), this.logical('stencil', stencil));
  }

  /** A stored row of `concept` (Opcenter property names) in logical names. */
  logical(concept: string, row: Row): Row {
    const mapping = this.mapping.concepts.get(concept);
    if (mapping === undefined) throw new Error(`The mapping has no concept '${concept}'`);
    return toLogicalRow(this.mapping, mapping, row);
  }

  /** The SPI feature input of one stored `SpiInspection` row. */
  spiBoardInput(inspectionRow: Row): SpiBoardInput {
    const inspection = this.logical('spiInspection', inspectionRow);
    const pads = this.plant.generate('SpiPadMeasurement', 'SpiInspectionId', inspectionRow.Id).map((pad) => this.logical('spiPad', pad));
    return toSpiBoardInput(inspection, this.stencils.get(String(inspection.stencilId)) ?? {}, pads);
  }
}
