import { loadMapping } from './mapping';
import { toLogicalRow } from './row-translator';

const mapping = loadMapping();
const board = mapping.concepts.get('board')!;

describe('toLogicalRow', () => {
  it('renames mapped properties and passes unmapped ones and annotations unchanged', () => {
    const row = toLogicalRow(mapping, board, {
      '@odata.etag': 'W/"1"',
      Id: 'a6f0c9a2-5b1e-4d6f-9d36-1f0b1e2c3d4e',
      NId: 'SN-1',
      WorkOrderNId: 'WO-1',
      PlantSpecific: 7,
    });
    expect(row).toEqual({
      '@odata.etag': 'W/"1"',
      guid: 'a6f0c9a2-5b1e-4d6f-9d36-1f0b1e2c3d4e',
      serialNumber: 'SN-1',
      workOrderId: 'WO-1',
      PlantSpecific: 7,
    });
  });

  it('translates expanded navigations with their target concept, to any depth', () => {
    const row = toLogicalRow(mapping, board, {
      NId: 'SN-1',
      WorkOrder: { NId: 'WO-1', Line: { NId: 'L1', Level: 'Line' } },
      SpiInspections: [{ NId: 'SPI-1', Pads: [{ PadNId: 'C1-1', VolumePct: 98 }] }],
      Placements: null,
    });
    expect(row).toEqual({
      serialNumber: 'SN-1',
      workOrder: { id: 'WO-1', line: { id: 'L1', level: 'Line' } },
      spiInspections: [{ id: 'SPI-1', pads: [{ padId: 'C1-1', volumePct: 98 }] }],
      placements: null,
    });
  });
});
