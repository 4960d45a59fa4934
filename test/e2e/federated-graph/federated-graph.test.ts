/* eslint-disable @typescript-eslint/no-explicit-any -- the end-to-end test reads GraphQL answers loosely, as a client would */
import { SignJWT } from 'jose';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_JWT_SECRET } from '../../../auth';
import { startTestStack, type GraphQLBody, type TestStack } from '../../support/test-stack';

/** The README's queries and the edge rules, through the built gateway (Rust planner) and real subgraph processes. */
describe('the federated graph end to end', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  }, 120_000);
  afterAll(() => stack?.stop());

  const codes = (body: GraphQLBody) => (body.errors ?? []).map((e) => e.extensions?.code);
  const odataCalls = async (): Promise<number> => {
    const health = (await (await fetch(`${stack.emulatorUrl}/emulator/health`)).json()) as { requests: Record<string, number> };
    return Object.values(health.requests).reduce((sum, n) => sum + n, 0);
  };

  it('answers the dashboard query across execution, quality and test', async () => {
    const { status, body } = await stack.query(`{
      productionOrders(first: 2, filter: { status: "Completed" }) {
        nodes { id productId spiSummary { inspectedBoards failRate }
          boards(first: 10) { nodes { serialNumber status spiInspections { result failedPadCount } testRuns { testType result } } } }
      }
    }`);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const orders = (body.data?.productionOrders as { nodes: Array<Record<string, any>> }).nodes;
    expect(orders).toHaveLength(2);
    for (const order of orders) {
      expect(order.spiSummary.inspectedBoards).toBeGreaterThan(0);
      const boards = order.boards.nodes as Array<Record<string, any>>;
      expect(boards.length).toBeGreaterThan(0);
      for (const board of boards) {
        expect(board.spiInspections).toHaveLength(1);
        expect(board.testRuns.map((run: { testType: string }) => run.testType)).toEqual(expect.arrayContaining(['ICT', 'FCT']));
      }
    }
  });

  it('starts in genealogy and crosses into execution and quality (where-used)', async () => {
    const { body } = await stack.query(`{
      materialLots(first: 1, filter: { partNumber: "U-SOC-A53" }) { nodes { id supplier
        whereUsed(first: 5) { totalCount nodes { level board { serialNumber status productionOrder { id } spiInspections { result } } path { unitSerialNumber consumedLotId } } } } }
    }`);
    expect(body.errors).toBeUndefined();
    const lot = (body.data?.materialLots as { nodes: Array<Record<string, any>> }).nodes[0]!;
    expect(lot.whereUsed.totalCount).toBeGreaterThan(5);
    for (const unit of lot.whereUsed.nodes) {
      expect(unit.board.productionOrder.id).toMatch(/^WO/);
      expect(unit.path[0].consumedLotId).toBe(lot.id);
    }
  });

  it("returns a board's full history from all four subgraphs", async () => {
    const serial = ((await stack.query('{ productionOrders(first: 1, filter: { status: "Completed" }) { nodes { boards(first: 1) { nodes { serialNumber } } } } }')).body
      .data?.productionOrders as any).nodes[0].boards.nodes[0].serialNumber as string;
    const { body } = await stack.query(
      `query History($serial: ID!) { board(serialNumber: $serial) { serialNumber status productionOrder { id line { id } }
        spiInspections { result pads(first: 5, filter: { onlyOutOfSpec: true }) { totalCount } } aoiInspections { result }
        testRuns { testType result steps(onlyFailed: true) { name } } asBuilt { components { referenceDesignator lotId machineId feederSlot } } } }`,
      { serial },
    );
    expect(body.errors).toBeUndefined();
    const board = body.data?.board as Record<string, any>;
    expect(board.serialNumber).toBe(serial);
    expect(board.asBuilt.components.length).toBeGreaterThan(100);
    expect(board.testRuns.length).toBeGreaterThanOrEqual(2);
  });

  it('makes a number of OData calls that does not grow with the number of boards', async () => {
    // Calls grow only in steps: one per chunk of ~70 keys (URLs stay under IIS's 2,048-character query
    // limit) and one per page of 1,000 rows (about 29 consumption rows a board) — never one per board.
    const query = (first: number) => `{ productionOrders(first: 2, filter: { status: "Completed", productId: "GW-MB-100" }) { nodes { id
      boards(first: ${first}) { nodes { serialNumber productionOrder { id status } testRuns { testType result }
        spiInspections { result } materialLots { id supplier } } } } } }`;
    const before20 = await odataCalls();
    const small = await stack.query(query(20));
    const calls20 = (await odataCalls()) - before20;
    const before100 = await odataCalls();
    const large = await stack.query(query(100));
    const calls100 = (await odataCalls()) - before100;
    expect(small.body.errors).toBeUndefined();
    expect(large.body.errors).toBeUndefined();
    const boards = (large.body.data?.productionOrders as any).nodes.flatMap((o: any) => o.boards.nodes);
    expect(boards.length).toBeGreaterThanOrEqual(100);
    expect(calls100 - calls20).toBeLessThanOrEqual(10);
    expect(calls100).toBeLessThan(boards.length / 8);
  });

  it('refuses a missing, expired or forged token with UNAUTHENTICATED', async () => {
    const post = (authorization?: string) =>
      fetch(`${stack.gatewayUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ query: '{ workCenter(id: "L1") { id } }' }),
      });
    const sign = (secret: string, exp: number) =>
      new SignJWT({ roles: ['ADMIN'] })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('mallory')
        .setIssuer(DEV_ISSUER)
        .setAudience(DEV_AUDIENCE)
        .setIssuedAt(exp - 60)
        .setExpirationTime(exp)
        .sign(new TextEncoder().encode(secret));
    const now = Math.floor(Date.now() / 1000);
    for (const authorization of [undefined, `Bearer ${await sign(DEV_JWT_SECRET, now - 10)}`, `Bearer ${await sign('another-secret-entirely-0123456789', now + 600)}`]) {
      const response = await post(authorization);
      expect(response.status).toBe(401);
      expect(codes((await response.json()) as GraphQLBody)).toEqual(['UNAUTHENTICATED']);
    }
  });

  it('refuses a mutation from the read-only AGENT role with FORBIDDEN', async () => {
    const { body } = await stack.query('mutation { __typename }', undefined, 'AGENT');
    expect(codes(body)).toContain('FORBIDDEN');
  });

  it('refuses a direct subgraph call that lacks the gateway signature', async () => {
    const readyz = (await (await fetch(`${stack.gatewayUrl}/readyz`)).json()) as Record<string, unknown>;
    expect(readyz).toMatchObject({ status: 'ready' });
    const line = stack.logs.find((l) => l.includes('execution subgraph at'));
    const url = /(http:\/\/[^ ]+\/graphql)/.exec(line ?? '')?.[1];
    expect(url).toBeDefined();
    const response = await fetch(url!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(response.status).toBe(401);
  });

  it('enforces page size and depth limits with clear codes', async () => {
    const tooLarge = await stack.query('{ productionOrders(first: 500) { nodes { id } } }');
    expect(codes(tooLarge.body)).toContain('BAD_USER_INPUT');
    const deep = await stack.query('{ workCenter(id: "L1") { children { children { parent { parent { children { children { parent { parent { children { children { parent { id } } } } } } } } } } } } }');
    expect(codes(deep.body)).toContain('QUERY_TOO_DEEP');
  });

  it('gives UPSTREAM_UNAVAILABLE on the fields of a stopped subgraph while the rest returns', async () => {
    await stack.stopProcess('test');
    const { body } = await stack.query('{ board(serialNumber: "GWM261118000001") { serialNumber status spiInspections { result } testRuns { result } } }');
    expect(codes(body)).toContain('UPSTREAM_UNAVAILABLE');
    const board = body.data?.board as Record<string, unknown> | null;
    expect(board?.status).toEqual(expect.any(String));
    expect(board?.spiInspections).toEqual(expect.any(Array));
    expect(JSON.stringify(body.errors)).not.toMatch(/127\.0\.0\.1|sit-svc/);
  });
});
