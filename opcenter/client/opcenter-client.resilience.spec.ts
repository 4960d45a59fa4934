import { setTimeout as sleep } from 'node:timers/promises';
import { OpcenterBadRequestError, OpcenterNotFoundError, OpcenterUnavailableError } from './errors';
import { startFakeOpcenter, type FakeOpcenter, type FakeReply, type FakeRequest } from './fake-opcenter';
import type { OpcenterRequestInfo } from './http-transport';
import type { OpcenterClientOptions } from './client-options';
import { createOpcenterClient } from './opcenter-client';

const credentials = { clientId: 'insight-graph', clientSecret: 'insight-graph-secret', username: 'ai-service', password: 'ai-service' };
const ok: FakeReply = { json: { value: [{ NId: 'SN-1' }] } };
const unavailable: FakeReply = { status: 503, json: { error: { code: '503', message: 'Service Unavailable' } } };

let fake: FakeOpcenter;
let handle: (request: FakeRequest) => FakeReply;

beforeEach(async () => {
  handle = () => ok;
  fake = await startFakeOpcenter({ handle: (request) => handle(request) });
});

afterEach(() => fake.close());

function clientFor(options: Partial<OpcenterClientOptions> = {}) {
  return createOpcenterClient({ baseUrl: fake.url, ...credentials, retryBaseDelayMs: 1, ...options });
}

/** Answers from a script, then `ok` once it runs out. */
function script(...replies: FakeReply[]) {
  return () => replies.shift() ?? ok;
}

describe('typed errors', () => {
  it("turns 400 into OpcenterBadRequestError with Opcenter's code and message, not retried", async () => {
    handle = () => ({ status: 400, json: { error: { code: 'InvalidFilter', message: "Property 'Foo' does not exist" } } });
    const error = await clientFor().list('board').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpcenterBadRequestError);
    expect(error).toMatchObject({
      code: 'OPCENTER_BAD_REQUEST',
      status: 400,
      opcenterCode: 'InvalidFilter',
      opcenterMessage: "Property 'Foo' does not exist",
    });
    expect((error as Error).message).toContain("Property 'Foo' does not exist");
    expect(fake.dataRequests()).toHaveLength(1);
  });

  it('turns 404 on a list into OpcenterNotFoundError', async () => {
    handle = () => ({ status: 404, json: { error: { code: 'NotFound', message: 'no such set' } } });
    await expect(clientFor().list('board')).rejects.toBeInstanceOf(OpcenterNotFoundError);
  });

  it('turns 503 into OpcenterUnavailableError (server) once the retries are spent', async () => {
    handle = () => unavailable;
    const error = await clientFor({ retries: 2 }).list('board').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpcenterUnavailableError);
    expect(error).toMatchObject({ code: 'OPCENTER_UNAVAILABLE', reason: 'server', status: 503 });
    expect(fake.dataRequests()).toHaveLength(3);
  });

  it('does not retry a 500, which is not transient', async () => {
    handle = () => ({ status: 500, json: { error: { code: '500', message: 'boom' } } });
    await expect(clientFor().list('board')).rejects.toMatchObject({ reason: 'server', status: 500 });
    expect(fake.dataRequests()).toHaveLength(1);
  });
});

describe('retries of reads', () => {
  it('retry 502, 503 and 504 with backoff until a read succeeds', async () => {
    handle = script({ ...unavailable, status: 502 }, unavailable, { ...unavailable, status: 504 });
    const page = await clientFor({ retries: 3 }).list('board');
    expect(page.items).toEqual([{ serialNumber: 'SN-1' }]);
    expect(fake.dataRequests()).toHaveLength(4);
  });

  it('honour Retry-After on 429', async () => {
    handle = script({ status: 429, headers: { 'Retry-After': '0' }, json: {} });
    await expect(clientFor().list('board')).resolves.toMatchObject({ items: [{ serialNumber: 'SN-1' }] });
    expect(fake.dataRequests()).toHaveLength(2);
  });

  it('give up at once when Retry-After is longer than maxRetryDelayMs, and report it', async () => {
    handle = () => ({ status: 503, headers: { 'Retry-After': '60' }, json: {} });
    await expect(clientFor({ maxRetryDelayMs: 1000 }).list('board')).rejects.toMatchObject({
      reason: 'server',
      retryAfterMs: 60_000,
    });
    expect(fake.dataRequests()).toHaveLength(1);
  });

  it('turn a timeout into OpcenterUnavailableError (timeout) without hanging', async () => {
    handle = () => ({ hang: true });
    const started = Date.now();
    const error = await clientFor({ timeoutMs: 50, retries: 1 }).list('board').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpcenterUnavailableError);
    expect(error).toMatchObject({ reason: 'timeout' });
    expect(fake.dataRequests()).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('turn a refused connection into OpcenterUnavailableError (network) after the retries', async () => {
    const closed = await startFakeOpcenter();
    const url = closed.url;
    await closed.close();
    const calls: OpcenterRequestInfo[] = [];
    const client = createOpcenterClient({ baseUrl: url, ...credentials, retries: 2, retryBaseDelayMs: 1, onRequest: (i) => calls.push(i) });
    await expect(client.list('board')).rejects.toMatchObject({ code: 'OPCENTER_UNAVAILABLE', reason: 'network' });
    expect(calls.map((c) => c.error)).toEqual(['network', 'network', 'network']);
  });
});

describe('the circuit breaker', () => {
  const breaker = { failureThreshold: 3, resetAfterMs: 100 };

  it('opens after failureThreshold failures and then fails fast without any request', async () => {
    handle = () => unavailable;
    const client = clientFor({ retries: 0, breaker });
    for (let i = 0; i < 3; i += 1) await expect(client.list('board')).rejects.toMatchObject({ reason: 'server' });
    expect(fake.dataRequests()).toHaveLength(3);

    const error = await client.list('board').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'OPCENTER_UNAVAILABLE', reason: 'circuit-open' });
    expect((error as OpcenterUnavailableError).retryAfterMs).toBeGreaterThan(0);
    expect(fake.dataRequests()).toHaveLength(3);
  });

  it('lets one trial through after resetAfterMs and closes when it succeeds', async () => {
    handle = () => unavailable;
    const client = clientFor({ retries: 0, breaker });
    for (let i = 0; i < 3; i += 1) await client.list('board').catch(() => undefined);
    await sleep(120);
    handle = () => ok;
    await expect(client.list('board')).resolves.toMatchObject({ items: [{ serialNumber: 'SN-1' }] });
    await expect(client.list('board')).resolves.toMatchObject({ items: [{ serialNumber: 'SN-1' }] });
    expect(fake.dataRequests()).toHaveLength(5);
  });

  it('re-opens when the trial fails', async () => {
    handle = () => unavailable;
    const client = clientFor({ retries: 0, breaker });
    for (let i = 0; i < 3; i += 1) await client.list('board').catch(() => undefined);
    await sleep(120);
    await expect(client.list('board')).rejects.toMatchObject({ reason: 'server' });
    await expect(client.list('board')).rejects.toMatchObject({ reason: 'circuit-open' });
    expect(fake.dataRequests()).toHaveLength(4);
  });

  it('stops retries of a read once it opens', async () => {
    handle = () => unavailable;
    await expect(clientFor({ retries: 5, breaker }).list('board')).rejects.toMatchObject({ reason: 'circuit-open' });
    expect(fake.dataRequests()).toHaveLength(3);
  });

  it('does not count 4xx answers as failures', async () => {
    handle = () => ({ status: 404, json: { error: { code: 'NotFound', message: 'x' } } });
    const client = clientFor({ retries: 0, breaker: { failureThreshold: 2, resetAfterMs: 10_000 } });
    for (let i = 0; i < 4; i += 1) await expect(client.list('board')).rejects.toBeInstanceOf(OpcenterNotFoundError);
    expect(fake.dataRequests()).toHaveLength(4);
  });
});
