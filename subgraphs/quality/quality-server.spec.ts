import { startSubgraphTestbed, type SubgraphTestbed } from '../../test/support/subgraph-testbed';
import { buildSchema } from './schema';

describe('quality subgraph server', () => {
  let testbed: SubgraphTestbed;

  beforeAll(async () => {
    testbed = await startSubgraphTestbed('quality', buildSchema);
  });
  afterAll(() => testbed.close());

  it('answers 401 UNAUTHENTICATED to a request without the gateway identity header', async () => {
    const answer = await testbed.query(`{ spiInspection(id: "x") { id } }`, undefined, { identity: false });
    expect(answer.status).toBe(401);
    expect(answer.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('reports an Opcenter outage as UPSTREAM_UNAVAILABLE on the fields it owns, without internal URLs, and returns the rest', async () => {
    const serial = String((await testbed.opcenter.list('spiInspection', { top: 1 })).items[0]!.serialNumber);
    const fragile = await testbed.startServer({ retries: 0, timeoutMs: 500, retryBaseDelayMs: 1 });
    await fragile.query(`{ spiInspection(id: "warm-up-token") { id } }`);
    testbed.emulator.faults.set({ status: 503 });
    try {
      const answer = await fragile.query<{ _entities: Array<{ serialNumber: string; spiInspections: unknown }> }>(
        `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Board { serialNumber spiInspections { id } } } }`,
        { r: [{ __typename: 'Board', serialNumber: serial }] },
      );
      expect(answer.status).toBe(200);
      expect(answer.data!._entities).toEqual([{ serialNumber: serial, spiInspections: null }]);
      expect(answer.errors).toHaveLength(1);
      expect(answer.errors![0]!.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(answer.errors![0]!.path).toEqual(['_entities', 0, 'spiInspections']);
      const text = JSON.stringify(answer.errors);
      expect(text).not.toContain(testbed.emulator.url);
      expect(text).not.toMatch(/https?:\/\/|sit-svc|stack/i);
    } finally {
      testbed.emulator.faults.clear();
    }
  });
});
