import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { IDENTITY_HEADER, issueDevToken, signIdentity, type Role } from '../auth';
import { createGateway, type Gateway } from './gateway';
import { startFixtureSubgraphs, type GatewayFixture } from './gateway.fixture';

const SECRET = 'gateway-test-secret-0123456789';

let fixture: GatewayFixture;
let gateway: Gateway;

beforeAll(async () => {
  fixture = await startFixtureSubgraphs();
  gateway = await createGateway(fixture.config);
});

afterAll(async () => {
  await gateway?.close();
  await fixture?.execution.close();
  await fixture?.quality.close();
});

const tokenFor = (role: Role, options: { ttlSeconds?: number; secret?: string } = {}) =>
  issueDevToken({ user: role.toLowerCase(), roles: [role], secret: SECRET, ...options });

interface GraphQLResponse {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[] };
}

async function post(query: string, token?: string, variables?: Record<string, unknown>): Promise<GraphQLResponse> {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse['body'] };
}

const codes = (response: GraphQLResponse) => response.body.errors?.map((error) => error.extensions?.code);

/** Resolves once `condition` holds; fails the test after `timeoutMs`. */
async function waitUntil(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  for (const start = Date.now(); !condition(); await new Promise((resolve) => setTimeout(resolve, 10))) {
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
  }
}

/** A graphql-ws client of `${url}/graphql` that does not retry; `connectionParams` as given. */
const wsClient = (url: string, connectionParams?: Record<string, unknown>) =>
  createClient({ url: `${url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams, retryAttempts: 0 });

describe('gateway', () => {
  it('answers a query that spans both subgraphs', async () => {
    const response = await post('{ order(id: "7") { id product defectCount } qualityStatus }', await tokenFor('AGENT'));
    expect(response.body).toEqual({ data: { order: { id: '7', product: 'PCB-7', defectCount: 3 }, qualityStatus: 'ok' } });
  });

  it('refuses an operation without a token with 401 UNAUTHENTICATED', async () => {
    const response = await post('{ qualityStatus }');
    expect(response.status).toBe(401);
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.body.errors?.[0]?.message).toMatch(/Missing token/);
  });

  it('says when a token signature is invalid', async () => {
    const response = await post('{ qualityStatus }', await tokenFor('AGENT', { secret: 'another-secret-0123456789abcdef' }));
    expect(response.status).toBe(401);
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.body.errors?.[0]?.message).toMatch(/signature is invalid/);
  });

  it('says when a token has expired', async () => {
    const response = await post('{ qualityStatus }', await tokenFor('AGENT', { ttlSeconds: -60 }));
    expect(response.status).toBe(401);
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.body.errors?.[0]?.message).toMatch(/expired/);
  });

  it('forbids mutations to the read-only AGENT role', async () => {
    const response = await post('mutation { startOrder(id: "1") { id } }', await tokenFor('AGENT'));
    expect(codes(response)).toEqual(['FORBIDDEN']);
    expect(response.body.data ?? null).toBeNull();
  });

  it('lets an OPERATOR run a mutation', async () => {
    const response = await post('mutation { startOrder(id: "1") { id product } }', await tokenFor('OPERATOR'));
    expect(response.body).toEqual({ data: { startOrder: { id: '1', product: 'PCB-1' } } });
  });

  it('never answers one caller with a subgraph request made as another, even for identical queries in flight together', async () => {
    const [operator, engineer] = await Promise.all([
      post('{ slowWhoami }', await tokenFor('OPERATOR')),
      post('{ slowWhoami }', await tokenFor('PROCESS_ENGINEER')),
    ]);
    expect(operator.body.data?.slowWhoami).toBe('operator');
    expect(engineer.body.data?.slowWhoami).toBe('process_engineer');
  });

  it('passes subgraphs the caller as a signed identity, which subgraphs require', async () => {
    const response = await post('{ whoami }', await tokenFor('PROCESS_ENGINEER'));
    expect(JSON.parse(String(response.body.data?.whoami))).toEqual({
      sub: 'process_engineer',
      roles: ['PROCESS_ENGINEER'],
      scopes: ['read', 'write:execution', 'write:test'],
    });
    const direct = await fetch(`${fixture.execution.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ whoami }' }),
    });
    expect(direct.status).toBe(401);
  });

  it('rejects an operation nested deeper than the maximum with QUERY_TOO_DEEP', async () => {
    const token = await tokenFor('AGENT');
    const allowed = await post('{ order(id: "1") { parent { parent { id } } } }', token);
    expect(allowed.body).toEqual({ data: { order: { parent: null } } });
    const response = await post('{ order(id: "1") { ...P } } fragment P on Order { parent { parent { parent { id } } } }', token);
    expect(codes(response)).toEqual(['QUERY_TOO_DEEP']);
    expect(response.body.errors?.[0]?.message).toBe('The operation is 5 fields deep; the maximum is 4.');
  });

  it('rejects an operation above the cost maximum with QUERY_TOO_COMPLEX, naming the cost', async () => {
    const response = await post('{ orders(first: 90) { id product defectCount } }', await tokenFor('AGENT'));
    expect(codes(response)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(response.body.errors?.[0]?.message).toBe(
      "The operation's estimated cost is 271; the maximum is 200. Ask for fewer fields or smaller pages.",
    );
  });

  it('rejects a page size above the maximum with BAD_USER_INPUT naming the field', async () => {
    const response = await post('query ($n: Int) { orders(first: $n) { id } }', await tokenFor('AGENT'), { n: 101 });
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.body.errors?.[0]?.message).toMatch(/"first" on Query\.orders is 101; the maximum page size is 100/);
  });

  it('answers 413 PAYLOAD_TOO_LARGE to a body above the maximum', async () => {
    const response = await post(`{ qualityStatus } # ${'x'.repeat(5000)}`, await tokenFor('AGENT'));
    expect(response.status).toBe(413);
    expect(codes(response)).toEqual(['PAYLOAD_TOO_LARGE']);
  });

  it('gives UPSTREAM_UNAVAILABLE when a subgraph is slower than the upstream timeout', async () => {
    const response = await post('{ slow qualityStatus }', await tokenFor('AGENT'));
    expect(response.body.data).toEqual({ slow: null, qualityStatus: 'ok' });
    expect(codes(response)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(response.body.errors?.[0]?.message).toBe('The execution service did not answer in time; try again shortly.');
    expect(JSON.stringify(response.body)).not.toMatch(/127\.0\.0\.1/);
  });

  it('answers /healthz, /readyz and /metrics without a token', async () => {
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${gateway.url}/readyz`);
    expect(ready.status).toBe(200);
    await post('{ qualityStatus }', await tokenFor('AGENT'));
    await post('{ order(id: "1") { id } }', await tokenFor('AGENT'));
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/^gateway_operations_total\{operation_type="query"\} \d+$/m);
    expect(metrics).toMatch(/^gateway_operation_errors_total\{operation_type="unknown"\} \d+$/m);
    expect(metrics).toMatch(/^gateway_operation_duration_seconds_bucket\{operation_type="query",le="\+Inf"\} \d+$/m);
    expect(metrics).toMatch(/^gateway_subgraph_requests_total\{subgraph="execution",outcome="ok"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^gateway_subgraph_request_duration_seconds_bucket\{subgraph="quality",le="\+Inf"\} [1-9]\d*$/m);
  });

  it('answers a query over graphql-ws with connectionParams.authorization', async () => {
    const token = await tokenFor('AGENT');
    const client = createClient({
      url: `${gateway.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    try {
      const results = [];
      for await (const result of client.iterate({ query: '{ order(id: "2") { id defectCount } }' })) results.push(result);
      expect(results).toEqual([{ data: { order: { id: '2', defectCount: 3 } } }]);
    } finally {
      await client.dispose();
    }
  });

  it('closes a graphql-ws connection that has no token', async () => {
    const closed = new Promise<number>((resolve) => {
      const client = createClient({
        url: `${gateway.url.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        lazy: false,
        onNonLazyError: () => undefined,
        on: { closed: (event) => resolve((event as { code: number }).code) },
      });
      client.on('error', () => undefined);
    });
    expect(await closed).toBe(4401);
  });

  it('streams a subgraph subscription over graphql-ws, adding the other subgraph’s fields to every event, past the upstream timeout, until the client unsubscribes', async () => {
    const client = wsClient(gateway.url, { authorization: `Bearer ${await tokenFor('QUALITY_ENGINEER')}` });
    try {
      const events = client.iterate({ query: 'subscription { defectFound { id defectCount product seenBy } }' });
      const subscribed = fixture.nextDefectSubscriber();
      const first = events.next();
      await subscribed;
      fixture.publishDefect({ id: '5', defectCount: 2 });
      expect((await first).value).toEqual({ data: { defectFound: { id: '5', defectCount: 2, product: 'PCB-5', seenBy: 'quality_engineer' } } });
      await new Promise((resolve) => setTimeout(resolve, fixture.config.limits.upstreamTimeoutMs + 100));
      fixture.publishDefect({ id: '6', defectCount: 0 });
      expect((await events.next()).value).toEqual({ data: { defectFound: { id: '6', defectCount: 0, product: 'PCB-6', seenBy: 'quality_engineer' } } });
      expect(fixture.defectSubscriberCount()).toBe(1);
      await events.return?.();
      await waitUntil(() => fixture.defectSubscriberCount() === 0);
    } finally {
      await client.dispose();
    }
  });

  it('refuses a subscription without a token by closing the connection with 4401', async () => {
    const client = wsClient(gateway.url);
    try {
      const events = client.iterate({ query: 'subscription { defectFound { id } }' });
      await expect(events.next()).rejects.toMatchObject({ code: 4401 });
    } finally {
      await client.dispose();
    }
  });

  it('has subgraphs close a WebSocket that lacks a valid signed identity with 4401', async () => {
    for (const connectionParams of [undefined, { [IDENTITY_HEADER]: await signIdentity({ sub: 'x', roles: ['ADMIN'], scopes: ['read'] }, 'forged-secret-0123456789') }]) {
      const client = wsClient(fixture.quality.url, connectionParams);
      try {
        const events = client.iterate({ query: 'subscription { defectFound { id } }' });
        await expect(events.next()).rejects.toMatchObject({ code: 4401, reason: expect.stringMatching(/must come through the gateway/) });
      } finally {
        await client.dispose();
      }
    }
  });
});

describe('gateway with a subgraph down', () => {
  it('returns the other subgraph’s fields, UPSTREAM_UNAVAILABLE on the missing ones, and /readyz 503', async () => {
    await fixture.quality.close();
    const response = await post('{ order(id: "3") { id product defectCount } }', await tokenFor('AGENT'));
    expect(response.body.data).toEqual({ order: { id: '3', product: 'PCB-3', defectCount: null } });
    expect(codes(response)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(JSON.stringify(response.body)).not.toMatch(/127\.0\.0\.1|stack/);
    const ready = await fetch(`${gateway.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable', unavailable: ['quality'] });
  });

  it('ends a subscription to the missing subgraph with UPSTREAM_UNAVAILABLE', async () => {
    const client = wsClient(gateway.url, { authorization: `Bearer ${await tokenFor('QUALITY_ENGINEER')}` });
    try {
      const results = [];
      for await (const result of client.iterate({ query: 'subscription { defectFound { id product } }' })) results.push(result);
      expect(results).toEqual([
        {
          data: null,
          errors: [
            {
              message: 'The quality service is unavailable (connection refused); try again shortly.',
              path: ['defectFound'],
              extensions: { code: 'UPSTREAM_UNAVAILABLE', subgraph: 'quality' },
            },
          ],
        },
      ]);
    } finally {
      await client.dispose();
    }
  });
});
