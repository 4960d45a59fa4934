import type { ExecutionRequest, ExecutionResult, Executor } from '@graphql-tools/utils';
import { GraphQLError, OperationTypeNode, parse } from 'graphql';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IDENTITY_HEADER, type Identity } from '../auth';
import { createSubgraphHttpTransport, type TransportPayload } from './subgraph-http-transport';

interface Received {
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

let server: Server;
let url: string;
let received: Received[];
let answer: (res: ServerResponse) => void;

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(text) as Record<string, unknown> });
      answer(res);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

beforeEach(() => {
  received = [];
  reported = [];
  answer = (res) => json(res, 200, { data: { board: { serialNumber: 'SN-1' } } });
});

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const identity: Identity = { sub: 'ana', roles: ['OPERATOR'], scopes: ['read'] };
const signed: Identity[] = [];
/** What the transport reported of each request: subgraph and outcome. */
let reported: string[] = [];

function executorFor(location: string, timeoutMs = 2_000, subscriptions?: object): Executor {
  const transport = createSubgraphHttpTransport({
    sign: (who) => {
      signed.push(who);
      return `signed:${who.sub}`;
    },
    timeoutMs,
    onRequest: (subgraph, outcome, seconds) => {
      expect(seconds).toBeGreaterThanOrEqual(0);
      reported.push(`${subgraph} ${outcome}`);
    },
  });
  return transport.getSubgraphExecutor({
    subgraphName: 'execution',
    transportEntry: { kind: 'http', subgraph: 'execution', location, options: subscriptions ? { subscriptions } : {} },
    getTransportExecutor: () => (() => ({ data: { fromWs: true } })) as Executor,
  } satisfies TransportPayload);
}

const document = parse('query Board($sn: ID!) { board(serialNumber: $sn) { serialNumber } }');
const request = (context: object = { identity }): ExecutionRequest => ({
  document,
  variables: { sn: 'SN-1' },
  operationName: 'Board',
  operationType: OperationTypeNode.QUERY,
  context,
});

async function run(executor: Executor, req = request()): Promise<ExecutionResult> {
  return (await executor(req)) as ExecutionResult;
}

describe('createSubgraphHttpTransport', () => {
  it('POSTs the query, variables and operation name as JSON with the caller signed in the identity header', async () => {
    const result = await run(executorFor(url));
    expect(result).toEqual({ data: { board: { serialNumber: 'SN-1' } } });
    expect(received).toHaveLength(1);
    expect(received[0]?.body).toEqual({ query: expect.stringContaining('board(serialNumber: $sn)') as string, variables: { sn: 'SN-1' }, operationName: 'Board' });
    expect(received[0]?.headers['content-type']).toBe('application/json');
    expect(received[0]?.headers[IDENTITY_HEADER]).toBe('signed:ana');
    expect(signed.at(-1)).toBe(identity);
    expect(reported).toEqual(['execution ok']);
  });

  it('sends no identity header for a request without a verified caller', async () => {
    await run(executorFor(url), request({}));
    expect(received[0]?.headers[IDENTITY_HEADER]).toBeUndefined();
  });

  it("keeps a subgraph's errors, with their path and extensions, next to its partial data", async () => {
    answer = (res) => json(res, 200, { data: { board: null }, errors: [{ message: 'Board SN-9 not found.', path: ['board'], extensions: { code: 'NOT_FOUND' } }] });
    const result = await run(executorFor(url));
    expect(result.data).toEqual({ board: null });
    const error = result.errors?.[0];
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error?.message).toBe('Board SN-9 not found.');
    expect(error?.path).toEqual(['board']);
    expect(error?.extensions).toEqual({ code: 'NOT_FOUND' });
    expect(reported).toEqual(['execution errors']);
  });

  it('keeps a GraphQL error answered with a non-2xx status (a subgraph refusing the identity answers 401)', async () => {
    answer = (res) => json(res, 401, { errors: [{ message: 'Missing gateway identity.', extensions: { code: 'UNAUTHENTICATED' } }] });
    const result = await run(executorFor(url));
    expect(result.errors?.map((error) => error.extensions.code)).toEqual(['UNAUTHENTICATED']);
  });

  it.each([
    ['an HTML error page', 502, (res: ServerResponse) => (res.writeHead(502, { 'content-type': 'text/html' }), res.end('<h1>Bad gateway</h1>'))],
    ['an empty body', 200, (res: ServerResponse) => (res.writeHead(200), res.end())],
    ['JSON without data or errors', 200, (res: ServerResponse) => json(res, 200, { extensions: {} })],
  ])('gives UPSTREAM_UNAVAILABLE with the HTTP status for %s', async (_name, status, respond) => {
    answer = respond;
    const result = await run(executorFor(url));
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]?.message).toBe(`The execution service is unavailable (it answered HTTP ${status} without a GraphQL result); try again shortly.`);
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', subgraph: 'execution' });
    expect(reported).toEqual(['execution unavailable']);
  });

  it('gives UPSTREAM_UNAVAILABLE without the address when the subgraph refuses the connection', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    const result = await run(executorFor(`http://127.0.0.1:${port}/graphql`));
    expect(result.errors?.[0]?.message).toBe('The execution service is unavailable (connection refused); try again shortly.');
    expect(JSON.stringify(result)).not.toContain(String(port));
    expect(reported).toEqual(['execution unavailable']);
  });

  it('answers UPSTREAM_UNAVAILABLE with HTTP 504 at the upstream timeout and drops the stalled connection', async () => {
    let stalled: ServerResponse | undefined;
    answer = (res) => (stalled = res);
    const started = performance.now();
    const result = await run(executorFor(url, 150));
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(result.errors?.[0]?.message).toBe('The execution service did not answer in time; try again shortly.');
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', subgraph: 'execution', http: { status: 504 } });
    expect(reported).toEqual(['execution timeout']);
    await new Promise((done) => setTimeout(done, 50));
    expect(stalled?.destroyed || stalled?.socket?.destroyed).toBe(true);
  });

  it('hands subscriptions to the transport its entry names, and refuses them when it names none', async () => {
    const subscription = { ...request(), operationType: OperationTypeNode.SUBSCRIPTION };
    await expect(executorFor(url, 2_000, { kind: 'ws', location: '/graphql' })(subscription)).resolves.toEqual({ data: { fromWs: true } });
    const refused = (await executorFor(url)(subscription)) as ExecutionResult;
    expect(refused.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', subgraph: 'execution' });
    expect(received).toHaveLength(0);
  });
});
