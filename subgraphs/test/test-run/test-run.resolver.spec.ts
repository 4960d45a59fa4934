import type { Emulator } from '../../../opcenter/emulator/emulator';
import { startTestEmulator } from '../../../test/support/test-emulator';
import { buildSchema } from '../schema';
import { serveSubgraphForTest, type SubgraphUnderTest } from '../../../test/support/graphql-test-client';

interface RunPage {
  testRuns: {
    nodes: Array<{ id: string; result: string; testType: string; station: { id: string } }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    totalCount: number;
  } | null;
}

const RUNS = `query ($first: Int, $after: String, $filter: TestRunFilter) {
  testRuns(first: $first, after: $after, filter: $filter) {
    nodes { id result testType station { id } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

describe('test subgraph: test runs', () => {
  let emulator: Emulator;
  let subgraph: SubgraphUnderTest;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    subgraph = await serveSubgraphForTest(await buildSchema(), emulator.url);
  });

  afterAll(async () => {
    await subgraph.close();
    await emulator.close();
  });

  it('returns a failed run with the fields of its Opcenter record and only its failed steps on request', async () => {
    const [run] = (await subgraph.opcenter.list('testRun', { filter: { result: 'Fail', testType: 'ICT' }, orderBy: 'id', top: 1 })).items;
    const steps = await subgraph.opcenter.listAll('testStep', { filter: { testRunGuid: run!.guid as string }, orderBy: 'sequence' });
    const failed = steps.filter((step) => step.result !== 'Pass');

    const reply = await subgraph.query<{ testRun: Record<string, unknown> & { steps: Array<Record<string, unknown>>; all: unknown[] } }>(
      `query ($id: ID!) {
        testRun(id: $id) {
          id testType stationId station { id } fixtureId programVersion firmwareVersion attempt startedOn durationSeconds result
          stepCount failedStepCount board { serialNumber } productionOrder { id }
          steps(onlyFailed: true) { sequence name referenceDesignator measuredValue lowLimit highLimit unit passed }
          all: steps { sequence }
        }
      }`,
      { id: run!.id },
    );
    expect(reply.errors).toBeUndefined();
    const result = reply.data!.testRun;
    expect(result).toMatchObject({
      id: run!.id,
      testType: 'ICT',
      stationId: run!.equipmentId,
      station: { id: run!.equipmentId },
      fixtureId: run!.fixtureId,
      programVersion: run!.programVersion,
      attempt: run!.attempt,
      startedOn: new Date(run!.startedOn as string).toISOString(),
      durationSeconds: run!.durationSeconds,
      result: 'Fail',
      stepCount: run!.stepCount,
      failedStepCount: run!.failedStepCount,
      board: { serialNumber: run!.serialNumber },
      productionOrder: { id: run!.workOrderId },
    });
    expect(failed.length).toBeGreaterThan(0);
    expect(result.steps).toEqual(
      failed.map((step) => ({
        sequence: step.sequence,
        name: step.name,
        referenceDesignator: step.referenceDesignator,
        measuredValue: step.measuredValue,
        lowLimit: step.lowLimit,
        highLimit: step.highLimit,
        unit: step.unit,
        passed: false,
      })),
    );
    expect(result.all).toHaveLength(steps.length);
  });

  it('filters runs in Opcenter and pages them with first and after to the end', async () => {
    const filter = { result: 'Fail', testType: 'FCT' };
    const expected = await subgraph.opcenter.listAll('testRun', { filter, select: ['id'], orderBy: ['startedOn desc', 'id'] });
    const seen: string[] = [];
    let after: string | null = null;
    let totalCount = 0;
    for (let page = 0; page < 100; page += 1) {
      const reply: Awaited<ReturnType<typeof subgraph.query<RunPage>>> = await subgraph.query<RunPage>(RUNS, { first: 7, after, filter });
      const connection = reply.data!.testRuns!;
      totalCount = connection.totalCount;
      expect(connection.nodes.every((run) => run.result === 'Fail' && run.testType === 'FCT')).toBe(true);
      seen.push(...connection.nodes.map((run) => run.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(expected.length).toBeGreaterThan(7);
    expect(totalCount).toBe(expected.length);
    expect(seen).toEqual(expected.map((run) => run.id));
  });

  it('filters runs by station and serial number', async () => {
    const reply = await subgraph.query<RunPage>(RUNS, { first: 100, filter: { stationId: 'TEST-ICT2', serialNumber: 'GWM261118000001' } });
    expect(reply.data?.testRuns?.nodes).toEqual([{ id: 'GWM261118000001-ICT-1', result: 'Pass', testType: 'ICT', station: { id: 'TEST-ICT2' } }]);
  });

  it('rejects a page larger than 100 with BAD_USER_INPUT', async () => {
    const reply = await subgraph.query(RUNS, { first: 101 });
    expect(reply.data).toEqual({ testRuns: null });
    expect(reply.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('resolves a batch of TestRun representations and their steps with one Opcenter call each', async () => {
    const runs = (await subgraph.opcenter.list('testRun', { select: ['id'], orderBy: 'id', top: 30 })).items;
    const before = new Map(emulator.requestCounts);
    const reply = await subgraph.query<{ _entities: Array<{ id: string; steps: unknown[]; stepCount: number } | null> }>(
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on TestRun { id stepCount steps { sequence } } } }`,
      { representations: [...runs.map((run) => ({ __typename: 'TestRun', id: run.id })), { __typename: 'TestRun', id: 'NO-SUCH-RUN' }] },
    );
    expect(reply.errors).toBeUndefined();
    const entities = reply.data!._entities;
    expect(entities.map((run) => run?.id ?? null)).toEqual([...runs.map((run) => run.id), null]);
    expect(entities.slice(0, -1).every((run) => run!.steps.length === run!.stepCount)).toBe(true);
    const calls = (set: string) => (emulator.requestCounts.get(set) ?? 0) - (before.get(set) ?? 0);
    expect(calls('TestRun')).toBeLessThanOrEqual(2);
    expect(calls('TestStep')).toBeLessThanOrEqual(3); // getMany splits only to keep URLs short
  });

  it('refuses a request without the gateway’s identity with 401 UNAUTHENTICATED', async () => {
    const reply = await subgraph.query(RUNS, { first: 1 }, { 'x-insight-identity': 'forged' });
    expect(reply.status).toBe(401);
    expect(reply.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('reports an Opcenter outage as UPSTREAM_UNAVAILABLE, without internal URLs', async () => {
    const fragile = await serveSubgraphForTest(await buildSchema(), emulator.url, { retries: 0, timeoutMs: 1000 });
    emulator.faults.set({ status: 503 });
    try {
      const reply = await fragile.query<RunPage>(RUNS, { first: 5 });
      expect(reply.status).toBe(200);
      expect(reply.data).toEqual({ testRuns: null });
      expect(reply.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
      const text = JSON.stringify(reply.errors);
      expect(text).not.toContain(emulator.url);
      expect(text).not.toMatch(/sit-(svc|auth)|127\.0\.0\.1|stack/i);
    } finally {
      emulator.faults.clear();
      await fragile.close();
    }
  });
});
