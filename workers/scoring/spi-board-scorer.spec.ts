import { createOpcenterClient } from '../../opcenter/client';
import { DEV_CREDENTIALS } from '../../opcenter/emulator/config';
import type { Emulator } from '../../opcenter/emulator/emulator';
import { createHash } from 'node:crypto';
import { computeSpiFeatures, SPI_FEATURE_COUNT } from '../../models/features/spi-features';
import { packSpiEventMeasurements } from '../../models/features/spi-measurements';
import type { SpiInspectionRow, SpiPadMeasurementRow } from '../../opcenter/model/entity-sets';
import { spiEventMeasurements } from '../../opcenter/simulator/spi-pad-rows';
import { modelFiles } from '../../models/model-files';
import { OnnxModel } from '../../models/onnx-model';
import { aggregateBoardRisk } from '../../models/spi-defect-risk/board-risk';
import { SimulatorSource } from '../../models/training/simulator-source';
import { smallPlant, startTestEmulator } from '../../test/support/test-emulator';
import { SpiBoardScorer } from './spi-board-scorer';

describe('SpiBoardScorer against the emulator', () => {
  let emulator: Emulator;
  let model: OnnxModel;
  let runs = 0;
  const plant = smallPlant();

  beforeAll(async () => {
    emulator = await startTestEmulator({ plant });
    model = await OnnxModel.load(modelFiles('spi-defect-risk').onnx);
  });
  afterAll(async () => {
    await model.release();
    await emulator.close();
  });

  function scorer(): SpiBoardScorer {
    const client = createOpcenterClient({ baseUrl: emulator.url, ...DEV_CREDENTIALS });
    return new SpiBoardScorer(
      client,
      (values, width) => {
        runs++;
        return model.run(values, width);
      },
      { highThreshold: 0.14 },
    );
  }

  it('scores thirty boards requested at once with one model run, each as the model scores it alone', async () => {
    const boards = plant.rows('SpiInspection').slice(0, 30);
    const subject = scorer();
    runs = 0;
    const scores = await Promise.all(boards.map((b) => subject.score(String(b.SerialNumber))));
    expect(runs).toBe(1);
    expect(subject.inferenceStats).toMatchObject({ batches: 1, requests: 30 });
    const source = new SimulatorSource(plant);
    for (const [i, inspection] of boards.entries()) {
      const features = computeSpiFeatures(source.spiBoardInput(inspection));
      const alone = await model.run(features.values.slice(), SPI_FEATURE_COUNT);
      const expected = aggregateBoardRisk(features, alone.probabilities as Float32Array);
      const score = scores[i];
      if (score?.status !== 'READY') throw new Error(`board ${String(inspection.SerialNumber)} was not scored`);
      expect(score.risk.score).toBeCloseTo(expected.score, 6);
      expect(score.risk.pads.map((p) => p.padId)).toEqual(expected.pads.map((p) => p.padId));
      expect(score.featuresDigest).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('reads only the measurements of later prints on a stencil it knows, and scores them exactly as from every field', async () => {
    const subject = scorer();
    const inspections = plant.rows('SpiInspection');
    const latest = new Map(inspections.map((r) => [String(r.SerialNumber), r] as const));
    const boards = [...latest.values()].slice(0, 80);
    await Promise.all(boards.slice(0, 20).map((b) => subject.score(String(b.SerialNumber))));
    const first = subject.readStats;
    expect(first.full).toBe(20);
    const later = boards.slice(20);
    const scores = await Promise.all(later.map((b) => subject.score(String(b.SerialNumber))));
    const stats = subject.readStats;
    // Every stencil of these boards was met in the first twenty or becomes known on its first board.
    expect(stats.measurementsOnly).toBeGreaterThan(40);
    expect(stats.full + stats.measurementsOnly).toBe(80);
    const source = new SimulatorSource(plant);
    for (const [i, inspection] of later.entries()) {
      const features = computeSpiFeatures(source.spiBoardInput(inspection));
      const digest = createHash('sha256').update(new Uint8Array(features.values.buffer)).digest('hex');
      const score = scores[i];
      if (score?.status !== 'READY') throw new Error(`board ${String(inspection.SerialNumber)} was not scored`);
      expect(score.featuresDigest).toBe(digest);
    }
  });

  it('scores prints from the measurements their events carry with one layout read per stencil', async () => {
    const subject = scorer();
    const inspections = plant.rows('SpiInspection');
    const stencil = String(inspections[0]?.StencilNId);
    const prints = inspections.filter((r) => r.StencilNId === stencil).slice(0, 12);
    const source = new SimulatorSource(plant);
    const scores = await Promise.all(
      prints.map((inspection) => {
        const pads = plant.generate('SpiPadMeasurement', 'SpiInspectionId', inspection.Id) as unknown as SpiPadMeasurementRow[];
        const payload = packSpiEventMeasurements(String(inspection.Id), spiEventMeasurements(inspection as unknown as SpiInspectionRow, pads));
        return subject.score(String(inspection.SerialNumber), JSON.parse(JSON.stringify(payload)));
      }),
    );
    expect(subject.layoutStats).toEqual({ cached: 1, reads: 1 });
    expect(subject.readStats).toEqual({ full: 0, measurementsOnly: 0 });
    for (const [i, inspection] of prints.entries()) {
      const features = computeSpiFeatures(source.spiBoardInput(inspection));
      const score = scores[i];
      if (score?.status !== 'READY') throw new Error(`board ${String(inspection.SerialNumber)} was not scored`);
      expect(score.featuresDigest).toBe(createHash('sha256').update(new Uint8Array(features.values.buffer)).digest('hex'));
    }
  });

  it('names the pads and a cause for the riskiest board', async () => {
    const subject = scorer();
    const failing = plant.rows('SpiInspection').filter((r) => Number(r.FailedPadCount) > 0).slice(0, 40);
    const scores = await Promise.all(failing.map((b) => subject.score(String(b.SerialNumber))));
    const ready = scores.flatMap((s) => (s.status === 'READY' ? [s] : []));
    const riskiest = ready.sort((a, b) => b.risk.score - a.risk.score)[0];
    expect(riskiest?.risk.pads.length).toBe(5);
    expect(riskiest?.risk.components[0]?.referenceDesignator).toMatch(/^[A-Z]+\d+$/);
    expect(riskiest?.level).not.toBe('LOW');
  });

  it('answers NOT_APPLICABLE for a board without SPI data', async () => {
    const box = plant.rows('MaterialTrackingUnit').find((b) => b.UnitType === 'BoxBuild');
    await expect(scorer().score(String(box?.NId))).resolves.toMatchObject({ status: 'NOT_APPLICABLE' });
  });
});
