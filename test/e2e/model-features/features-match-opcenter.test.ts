/**
 * Training computes features from the simulator's rows; serving from Opcenter's OData. Both go
 * through the same feature module, and this checks that for the same boards they are identical,
 * value for value, with the emulator reached over real HTTP.
 */
import { createOpcenterClient, type OpcenterClient } from '../../../opcenter/client';
import { DEV_CREDENTIALS } from '../../../opcenter/emulator/config';
import type { Emulator } from '../../../opcenter/emulator/emulator';
import type { Plant } from '../../../opcenter/simulator';
import { loadSpiBoardInputs, loadSpiBoardReadings } from '../../../models/features/spi-board-loader';
import { computeSpiFeatures, fillSpiFeatures, prepareSpiLayout, SPI_FEATURE_COUNT } from '../../../models/features/spi-features';
import { packSpiEventMeasurements, unpackSpiMeasurements } from '../../../models/features/spi-measurements';
import { spiEventMeasurements } from '../../../opcenter/simulator/spi-pad-rows';
import type { SpiInspectionRow, SpiPadMeasurementRow } from '../../../opcenter/model/entity-sets';
import { SimulatorSource } from '../../../models/training/simulator-source';
import { loadYieldOrderRows } from '../../../models/features/yield-order-loader';
import { computeYieldFeatures, toYieldOrderInput, YIELD_FEATURE_NAMES } from '../../../models/features/yield-features';
import { createDatasetPlant } from '../../../models/training/spi-dataset';
import { SimulatorOrderHistory, type Timed } from '../../../models/training/yield-dataset';
import { smallPlant, startTestEmulator, TEST_END_TIME } from '../../support/test-emulator';

describe('SPI features from the simulator and from Opcenter', () => {
  let emulator: Emulator;
  let client: OpcenterClient;
  let plant: Plant;

  beforeAll(async () => {
    plant = smallPlant();
    emulator = await startTestEmulator({ plant });
    client = createOpcenterClient({ baseUrl: emulator.url, ...DEV_CREDENTIALS });
  });
  afterAll(async () => {
    await emulator.close();
  });

  function inspectionsOfEachProduct(): Record<string, unknown>[] {
    const rows = plant.rows('SpiInspection');
    const byPrefix = new Map<string, Record<string, unknown>>();
    // The board with the most failed pads of each product: the interesting rows, not the trivial ones.
    for (const row of rows) {
      const prefix = String(row.SerialNumber).slice(0, 3);
      const seen = byPrefix.get(prefix);
      if (seen === undefined || Number(row.FailedPadCount) > Number(seen.FailedPadCount)) byPrefix.set(prefix, row);
    }
    return [...byPrefix.values()];
  }

  it('are identical for a board of each product, read through the OData API in one batch', async () => {
    const source = new SimulatorSource(plant);
    const inspections = inspectionsOfEachProduct();
    expect(inspections.length).toBe(3);
    const loaded = await loadSpiBoardInputs(
      client,
      inspections.map((i) => String(i.SerialNumber)),
    );
    for (const inspection of inspections) {
      const fromTraining = computeSpiFeatures(source.spiBoardInput(inspection));
      const load = loaded.get(String(inspection.SerialNumber));
      if (load?.status !== 'ok') throw new Error(`no SPI data served for ${String(inspection.SerialNumber)}`);
      const fromServing = computeSpiFeatures(load.input);
      expect(fromServing.rows).toBe(Number(inspection.PadCount));
      expect(fromServing.padIds).toEqual(fromTraining.padIds);
      expect(fromServing.values.length).toBe(fromTraining.rows * SPI_FEATURE_COUNT);
      // Object.is tells 0 from -0 and NaN from NaN: identical means bit for bit.
      const firstDifference = fromServing.values.findIndex((v, i) => !Object.is(v, fromTraining.values[i]));
      expect(firstDifference === -1 ? 'identical' : `column ${firstDifference % SPI_FEATURE_COUNT} of row ${Math.floor(firstDifference / SPI_FEATURE_COUNT)}: ${fromServing.values[firstDifference]} served, ${fromTraining.values[firstDifference]} trained`).toBe('identical');
    }
  });

  it('are identical when the print comes with its SPI event: measurements packed, the rest from the stencil layout', async () => {
    const inspections = inspectionsOfEachProduct();
    const loaded = await loadSpiBoardInputs(
      client,
      inspections.map((i) => String(i.SerialNumber)),
    );
    for (const inspection of inspections) {
      const load = loaded.get(String(inspection.SerialNumber));
      if (load?.status !== 'ok') throw new Error(`no SPI data served for ${String(inspection.SerialNumber)}`);
      const fromOData = computeSpiFeatures(load.input);
      // The event as the live plant posts it, through JSON and the packed job payload.
      const padRows = plant.generate('SpiPadMeasurement', 'SpiInspectionId', inspection.Id) as unknown as SpiPadMeasurementRow[];
      const eventMeasurements = JSON.parse(JSON.stringify(spiEventMeasurements(inspection as unknown as SpiInspectionRow, padRows)));
      const payload = JSON.parse(JSON.stringify(packSpiEventMeasurements(String(inspection.Id), eventMeasurements)));
      const print = unpackSpiMeasurements('test', payload);
      const layout = prepareSpiLayout(load.input.pads);
      expect(print.padIdKey).toBe(layout.padIdKey);
      const fromEvent = fillSpiFeatures(layout, {
        ...print,
        serialNumber: String(inspection.SerialNumber),
        stencilThicknessUm: load.input.stencilThicknessUm,
        wipeIntervalPrints: load.input.wipeIntervalPrints,
      });
      const firstDifference = fromEvent.values.findIndex((v, i) => !Object.is(v, fromOData.values[i]));
      expect(firstDifference === -1 ? 'identical' : `column ${firstDifference % SPI_FEATURE_COUNT} of row ${Math.floor(firstDifference / SPI_FEATURE_COUNT)}`).toBe('identical');
      expect(fromEvent.values.length).toBe(fromOData.values.length);
    }
  });

  it('are identical when only the measurements are read and filled into the layout of another print of the stencil', async () => {
    // Every stencil's first board gives the layout; its next boards (up to 40 each) are read lean.
    const byStencil = new Map<string, string[]>();
    for (const row of plant.rows('SpiInspection')) {
      const serials = byStencil.get(String(row.StencilNId)) ?? [];
      if (serials.length < 41 && !serials.includes(String(row.SerialNumber))) serials.push(String(row.SerialNumber));
      byStencil.set(String(row.StencilNId), serials);
    }
    expect(byStencil.size).toBeGreaterThanOrEqual(3);
    let compared = 0;
    for (const [stencilId, [first, ...rest]] of byStencil) {
      const full = await loadSpiBoardInputs(client, [first as string, ...rest]);
      const source = full.get(first as string);
      if (source?.status !== 'ok') throw new Error(`no SPI data served for ${first}`);
      const layout = prepareSpiLayout(source.input.pads);
      const lean = await loadSpiBoardReadings(client, rest, (id) => id === stencilId);
      for (const serial of rest) {
        const whole = full.get(serial);
        const read = lean.get(serial);
        // The latest print of a board may be on another stencil than its first (a reprint after a change).
        if (whole?.status !== 'ok' || whole.input.stencilId !== stencilId) continue;
        if (read?.status !== 'print') throw new Error(`${serial} was not read lean: ${read?.status}`);
        expect(read.reading.padIdKey).toBe(layout.padIdKey);
        const expected = computeSpiFeatures(whole.input);
        const fromLayout = fillSpiFeatures(layout, read.reading.print);
        const firstDifference = fromLayout.values.findIndex((v, i) => !Object.is(v, expected.values[i]));
        expect(firstDifference === -1 ? 'identical' : `${serial}: column ${firstDifference % SPI_FEATURE_COUNT} of row ${Math.floor(firstDifference / SPI_FEATURE_COUNT)}`).toBe('identical');
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(60);
  });

  it('reports a board without SPI data as such instead of inventing features', async () => {
    const box = plant.rows('MaterialTrackingUnit').find((b) => b.UnitType === 'BoxBuild');
    const loaded = await loadSpiBoardInputs(client, [String(box?.NId)]);
    expect(loaded.get(String(box?.NId))).toEqual({ status: 'no-spi', serialNumber: box?.NId });
  });
});

describe('yield features from the simulator and from Opcenter', () => {
  let emulator: Emulator;
  let client: OpcenterClient;
  const plant = smallPlant();

  beforeAll(async () => {
    emulator = await startTestEmulator({ plant });
    client = createOpcenterClient({ baseUrl: emulator.url, ...DEV_CREDENTIALS });
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('are identical for every completed order at the end of history, read through the OData API in one batch', async () => {
    const data = createDatasetPlant({ seed: 42, scale: 'small', endTime: TEST_END_TIME, heldOutLine: 'L2', trainUntil: 0.55, calibrationUntil: 0.7 });
    const history = new SimulatorOrderHistory({ ...data, plant });
    const asOf = Date.parse(TEST_END_TIME);
    const completed = plant.rows('WorkOrder').filter((o) => o.Status === 'Completed');
    expect(completed.length).toBeGreaterThan(5);
    const served = await loadYieldOrderRows(
      client,
      completed.map((o) => String(o.NId)),
      asOf,
    );
    for (const stored of completed) {
      const order = data.source.logical('workOrder', stored);
      const boards = history.boardsOf(String(order.id));
      const fromTraining = computeYieldFeatures(toYieldOrderInput(history.rowsAt(order, asOf, boards[boards.length - 1] as Timed)));
      const rows = served.get(String(order.id));
      if (rows === undefined) throw new Error(`order ${String(order.id)} was not served`);
      const fromServing = computeYieldFeatures(toYieldOrderInput(rows));
      const named = (values: Float32Array) => Object.fromEntries(YIELD_FEATURE_NAMES.map((name, i) => [name, values[i]]));
      expect({ order: order.id, ...named(fromServing) }).toEqual({ order: order.id, ...named(fromTraining) });
    }
  });
});
