import { setTimeout as sleep } from 'node:timers/promises';
import { OpcenterUnauthorizedError } from './errors';
import { startFakeOpcenter, type FakeOpcenter, type FakeOpcenterOptions } from './fake-opcenter';
import type { OpcenterRequestInfo } from './http-transport';
import type { OpcenterClientOptions } from './client-options';
import { createOpcenterClient } from './opcenter-client';

const credentials = { clientId: 'insight-graph', clientSecret: 's3cret:client', username: 'ai-service', password: 'p@ss word&=' };

let fake: FakeOpcenter | undefined;

async function start(options: FakeOpcenterOptions = {}): Promise<FakeOpcenter> {
  fake = await startFakeOpcenter({ handle: () => ({ json: { value: [] } }), ...options });
  return fake;
}

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function clientFor(server: FakeOpcenter, options: Partial<OpcenterClientOptions> = {}) {
  return createOpcenterClient({ baseUrl: server.url, ...credentials, retryBaseDelayMs: 1, ...options });
}

describe('the token', () => {
  it('is requested with HTTP Basic client credentials and a password-grant form', async () => {
    const server = await start();
    await clientFor(server).list('board');
    const [request] = server.tokenRequests();
    expect(request!.method).toBe('POST');
    expect(request!.headers.authorization).toBe(`Basic ${Buffer.from('insight-graph:s3cret:client').toString('base64')}`);
    expect(request!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request!.body))).toEqual({
      grant_type: 'password',
      username: 'ai-service',
      password: 'p@ss word&=',
    });
    expect(server.dataRequests()[0]!.headers.authorization).toMatch(/^Bearer [0-9a-f]+$/);
  });

  it('carries the scope when one is configured', async () => {
    const server = await start();
    await clientFor(server, { scope: 'global' }).list('board');
    expect(new URLSearchParams(server.tokenRequests()[0]!.body).get('scope')).toBe('global');
  });

  it('is fetched once and shared by concurrent calls', async () => {
    const server = await start();
    const client = clientFor(server);
    await Promise.all(Array.from({ length: 8 }, () => client.list('board')));
    await client.list('workOrder');
    expect(server.tokenRequests()).toHaveLength(1);
    expect(server.dataRequests()).toHaveLength(9);
  });

  it('is renewed before it expires, so no call meets a 401', async () => {
    const server = await start({ tokenLifetimeSeconds: 0.2 });
    const statuses: number[] = [];
    const client = clientFor(server, { onRequest: (info) => statuses.push(info.status) });
    await client.list('board');
    await sleep(170);
    await client.list('board');
    expect(server.tokenRequests()).toHaveLength(2);
    expect(statuses).not.toContain(401);
  });

  it('is renewed once when Opcenter answers 401, and the call is sent again', async () => {
    const server = await start();
    const client = clientFor(server);
    await client.list('board');
    server.revokeTokens();
    await expect(client.list('board')).resolves.toEqual(expect.objectContaining({ items: [] }));
    expect(server.tokenRequests()).toHaveLength(2);
    expect(server.dataRequests()).toHaveLength(3);
  });

  it('gives OpcenterUnauthorizedError when the renewed token is refused too, without leaking it', async () => {
    const server = await start({ handle: () => ({ status: 401, json: { error: { code: '401', message: 'no' } } }) });
    const calls: OpcenterRequestInfo[] = [];
    const error = await clientFor(server, { onRequest: (info) => calls.push(info) })
      .list('board')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpcenterUnauthorizedError);
    expect(error).toMatchObject({ code: 'OPCENTER_UNAUTHORIZED', status: 401 });
    expect(server.tokenRequests()).toHaveLength(2);
    expect(server.dataRequests()).toHaveLength(2);
    const token = server.dataRequests()[1]!.headers.authorization!.slice('Bearer '.length);
    expect((error as Error).message).not.toContain(token);
  });

  it('is not renewed on 403, which no token can fix', async () => {
    const server = await start({ handle: () => ({ status: 403, json: { error: { code: '403', message: 'forbidden' } } }) });
    await expect(clientFor(server).list('board')).rejects.toMatchObject({ code: 'OPCENTER_UNAUTHORIZED', status: 403 });
    expect(server.tokenRequests()).toHaveLength(1);
  });

  it('refused by the token endpoint gives OpcenterUnauthorizedError, without credentials in the message', async () => {
    const server = await start({
      token: () => ({ status: 400, json: { error: 'invalid_grant', error_description: 'Wrong user name or password.' } }),
    });
    const error = await clientFor(server).list('board').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpcenterUnauthorizedError);
    expect((error as Error).message).toMatch(/invalid_grant/);
    for (const secret of [credentials.password, credentials.clientSecret]) expect((error as Error).message).not.toContain(secret);
    expect(server.tokenRequests()).toHaveLength(1);
    expect(server.dataRequests()).toHaveLength(0);
  });
});
