import { startSubgraphTestbed, type SubgraphTestbed } from '../../test/support/subgraph-testbed';
import { buildSchema } from './schema';

describe('genealogy subgraph server', () => {
  let testbed: SubgraphTestbed;

  beforeAll(async () => {
    testbed = await startSubgraphTestbed('genealogy', buildSchema);
  });
  afterAll(() => testbed.close());

  it('answers 401 UNAUTHENTICATED to a request without the gateway identity header', async () => {
    const answer = await testbed.query(`{ materialLot(id: "x") { id } }`, undefined, { identity: false });
    expect(answer.status).toBe(401);
    expect(answer.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('reports an Opcenter outage as UPSTREAM_UNAVAILABLE on the fields it owns, without internal URLs, and returns the rest', async () => {
    const fragile = await testbed.startServer({ retries: 0, timeoutMs: 500, retryBaseDelayMs: 1 });
    await fragile.query(`{ materialLot(id: "warm-up-token") { id } }`);
    testbed.emulator.faults.set({ status: 503 });
    try {
      const answer = await fragile.query<{ _entities: Array<{ serialNumber: string; asBuilt: unknown }>; recallImpact: unknown }>(
        `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Board { serialNumber asBuilt { consumedUnits { referenceDesignators } } } } recallImpact(lotIds: ["L-1"]) { totalBoards } }`,
        { r: [{ __typename: 'Board', serialNumber: 'SN-1' }] },
      );
      expect(answer.status).toBe(200);
      expect(answer.data).toEqual({ _entities: [{ serialNumber: 'SN-1', asBuilt: null }], recallImpact: null });
      expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_UNAVAILABLE']);
      const text = JSON.stringify(answer.errors);
      expect(text).not.toContain(testbed.emulator.url);
      expect(text).not.toMatch(/https?:\/\/|sit-svc|stack/i);
    } finally {
      testbed.emulator.faults.clear();
    }
  });
});
