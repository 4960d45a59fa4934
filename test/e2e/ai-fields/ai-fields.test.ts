/**
 * The AI fields through the gateway, as a dashboard reads them: an order's predictedYield and its
 * boards' defectRisk, scored by the worker from Opcenter's data, PENDING while being scored past
 * the budget, READY afterwards, and answered from the store on the next query.
 */
import { startTestStack, type TestStack } from '../../support/test-stack';

const DASHBOARD = `query ($status: String) {
  productionOrders(first: 1, filter: { status: $status }) {
    nodes {
      id
      predictedYield { status reason value lower upper target modelName modelVersion computedAt }
      boards(first: 10) { nodes { serialNumber defectRisk { status reason score level likelyCause predictedDefects { padId referenceDesignator probability defectType } modelVersion computedAt } } }
    }
  }
}`;

interface Dashboard {
  productionOrders: {
    nodes: {
      id: string;
      predictedYield: { status: string; value: number | null; lower: number | null; upper: number | null; target: number | null; computedAt: string | null };
      boards: { nodes: { serialNumber: string; defectRisk: { status: string; reason: string | null; score: number | null; predictedDefects: unknown[]; computedAt: string | null } }[] };
    }[];
  };
}

async function dashboard(stack: TestStack): Promise<Dashboard['productionOrders']['nodes'][number]> {
  const { status, body } = await stack.query(DASHBOARD, { status: 'Completed' });
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  return (body.data as unknown as Dashboard).productionOrders.nodes[0] as Dashboard['productionOrders']['nodes'][number];
}

describe('AI fields through the gateway', () => {
  let stack: TestStack;

  beforeAll(async () => {
    // A budget of 0: the first query enqueues and answers PENDING at once.
    stack = await startTestStack({ aiBudgetMs: 0 });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers PENDING first, then READY with the same stored scores on every later query', async () => {
    const first = await dashboard(stack);
    expect(first.predictedYield.status).toBe('PENDING');
    expect(first.boards.nodes.every((b) => b.defectRisk.status === 'PENDING' && b.defectRisk.reason !== null)).toBe(true);

    let ready = first;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      ready = await dashboard(stack);
      if (ready.predictedYield.status === 'READY' && ready.boards.nodes.every((b) => b.defectRisk.status === 'READY')) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(ready.predictedYield).toMatchObject({ status: 'READY' });
    const y = ready.predictedYield;
    expect((y.lower as number) <= (y.value as number) && (y.value as number) <= (y.upper as number)).toBe(true);
    for (const board of ready.boards.nodes) {
      expect(board.defectRisk.status).toBe('READY');
      expect(board.defectRisk.score).toBeGreaterThanOrEqual(0);
      expect(board.defectRisk.predictedDefects).toHaveLength(5);
    }
    const again = await dashboard(stack);
    expect(again).toEqual(ready);
  });

  it('reports the models, the worker running them on the CPU provider, and the queues in aiStatus', async () => {
    const { status, body } = await stack.query('{ aiStatus { workers models { name version workers providers otherVersions } queues { name waiting active delayed failed } } }');
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const ai = (body.data as { aiStatus: { workers: number; models: { name: string; workers: number; providers: string[] }[]; queues: { name: string; failed: number }[] } }).aiStatus;
    expect(ai.workers).toBe(1);
    expect(ai.models.map((m) => [m.name, m.workers, m.providers])).toEqual([
      ['spi-defect-risk', 1, ['cpu']],
      ['yield-predictor', 1, ['cpu']],
    ]);
    expect(ai.queues.map((q) => q.name)).toEqual(['spi-defect-risk', 'yield-predictor']);
  });
});
