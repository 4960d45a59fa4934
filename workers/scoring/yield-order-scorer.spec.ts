import { createOpcenterClient } from '../../opcenter/client';
import { DEV_CREDENTIALS } from '../../opcenter/emulator/config';
import type { Emulator } from '../../opcenter/emulator/emulator';
import { modelFiles } from '../../models/model-files';
import { OnnxModel } from '../../models/onnx-model';
import { smallPlant, startTestEmulator, TEST_END_TIME } from '../../test/support/test-emulator';
import { YieldOrderScorer, type YieldOrderScorerOptions } from './yield-order-scorer';

describe('YieldOrderScorer against the emulator', () => {
  let emulator: Emulator;
  let model: OnnxModel;
  let runs = 0;
  const plant = smallPlant();

  beforeAll(async () => {
    emulator = await startTestEmulator({ plant });
    model = await OnnxModel.load(modelFiles('yield-predictor').onnx);
  });
  afterAll(async () => {
    await model.release();
    await emulator.close();
  });

  function scorer(options: Pick<YieldOrderScorerOptions, 'interval'> = {}): YieldOrderScorer {
    const client = createOpcenterClient({ baseUrl: emulator.url, ...DEV_CREDENTIALS });
    return new YieldOrderScorer(
      client,
      (values, width) => {
        runs++;
        return model.run(values, width);
      },
      { now: () => Date.parse(TEST_END_TIME), ...options },
    );
  }

  it('predicts every order requested at once with one model run, inside its interval and target', async () => {
    const orders = plant.rows('WorkOrder').filter((o) => o.Status !== 'Released');
    const subject = scorer();
    runs = 0;
    const predictions = await Promise.all(orders.map((o) => subject.predict(String(o.NId))));
    expect(runs).toBe(1);
    for (const [i, p] of predictions.entries()) {
      if (p.status !== 'READY') throw new Error(`order ${String(orders[i]?.NId)}: ${p.reason}`);
      expect(p.lower).toBeLessThanOrEqual(p.value);
      expect(p.value).toBeLessThanOrEqual(p.upper);
      expect(p.target).toBe(orders[i]?.TargetYield);
    }
  });

  it('serves the model interval widened by the scope state around the value, keeping the raw one', async () => {
    const order = plant.rows('WorkOrder').find((o) => o.Status !== 'Released');
    const asked: string[] = [];
    const subject = scorer({ interval: { scope: 'product', states: { get: (scope) => (asked.push(scope), Promise.resolve({ scale: 2, updates: 9 })) } } });
    const p = await subject.predict(String(order?.NId));
    if (p.status !== 'READY') throw new Error(p.reason);
    expect(asked).toEqual([String(order?.FinalMaterialNId)]);
    expect(p).toMatchObject({ intervalScale: 2, intervalScope: asked[0] });
    expect(p.lower).toBeCloseTo(Math.max(0, p.value - 2 * (p.value - p.rawLower)), 6);
    expect(p.upper).toBeCloseTo(Math.min(1, p.value + 2 * (p.rawUpper - p.value)), 6);
    const plain = await scorer().predict(String(order?.NId));
    expect(plain).toMatchObject({ lower: p.rawLower, upper: p.rawUpper, intervalScale: 1, intervalScope: 'all' });
  });

  it('answers NOT_APPLICABLE for an order that has not started and for an unknown one', async () => {
    const released = plant.rows('WorkOrder').find((o) => o.Status === 'Released');
    const subject = scorer();
    await expect(subject.predict(String(released?.NId))).resolves.toMatchObject({ status: 'NOT_APPLICABLE', reason: 'the order has not started a board yet' });
    await expect(subject.predict('WO-NO-SUCH')).resolves.toMatchObject({ status: 'NOT_APPLICABLE', reason: "Opcenter has no production order 'WO-NO-SUCH'" });
  });
});
