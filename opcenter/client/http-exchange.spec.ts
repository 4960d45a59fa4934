import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeHttpExchange } from './http-exchange';

type Handler = (request: http.IncomingMessage, response: http.ServerResponse, body: string) => void;

async function serve(handler: Handler) {
  const server = http.createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => handler(request, response, body));
  });
  let connections = 0;
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    server,
  };
}

describe('createNodeHttpExchange', () => {
  const servers: Array<{ close: () => Promise<void>; server: http.Server }> = [];
  afterEach(async () => {
    for (const { server, close } of servers.splice(0)) {
      server.closeAllConnections();
      await close();
    }
  });

  it('sends the method, headers and body, and reads status, headers and text of any answer', async () => {
    const seen: Array<{ method?: string; type?: string; length?: string; body: string }> = [];
    const target = await serve((request, response, body) => {
      seen.push({ method: request.method, type: request.headers['content-type'], length: request.headers['content-length'], body });
      response.writeHead(429, { 'Retry-After': '3', 'Content-Type': 'application/json' });
      response.end('{"error":"busy"}');
    });
    servers.push(target);
    const exchange = createNodeHttpExchange();

    const answer = await exchange(`${target.url}/odata/Command`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"name":"Ω"}',
      timeoutMs: 2000,
    });

    expect(seen).toEqual([{ method: 'POST', type: 'application/json', length: '13', body: '{"name":"Ω"}' }]);
    expect(answer.status).toBe(429);
    expect(answer.header('Retry-After')).toBe('3');
    expect(answer.header('x-absent')).toBeNull();
    expect(answer.text).toBe('{"error":"busy"}');
  });

  it('keeps one connection open for requests made one after another', async () => {
    const target = await serve((_request, response) => response.end('ok'));
    servers.push(target);
    const exchange = createNodeHttpExchange();

    for (let index = 0; index < 20; index += 1) {
      expect((await exchange(`${target.url}/x`, { method: 'GET', timeoutMs: 2000 })).text).toBe('ok');
    }

    expect(target.connections()).toBe(1);
  });

  it('decodes UTF-8 characters split across chunks of the answer', async () => {
    const bytes = Buffer.from('"Lötpaste €"', 'utf8');
    const target = await serve((_request, response) => {
      response.write(bytes.subarray(0, 3));
      setTimeout(() => response.end(bytes.subarray(3)), 5);
    });
    servers.push(target);

    const answer = await createNodeHttpExchange()(`${target.url}/`, { method: 'GET', timeoutMs: 2000 });

    expect(answer.text).toBe('"Lötpaste €"');
  });

  it('rejects with a TimeoutError when the answer stalls midway, and drops that connection', async () => {
    let closed = false;
    const target = await serve((request, response) => {
      request.socket.on('close', () => (closed = true));
      response.writeHead(200);
      response.write('{"value": [');
    });
    servers.push(target);
    const started = performance.now();

    const failure = await createNodeHttpExchange()(`${target.url}/`, { method: 'GET', timeoutMs: 100 }).catch(
      (error: unknown) => error,
    );

    expect(failure).toMatchObject({ name: 'TimeoutError', message: 'No complete answer within 100 ms' });
    expect(performance.now() - started).toBeLessThan(1000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(true);
  });

  it('rejects at once, not at the timeout, when Opcenter drops the connection midway through an answer', async () => {
    const target = await serve((request, response) => {
      response.writeHead(200, { 'Content-Length': '1000' });
      response.write('{"value": [');
      setTimeout(() => request.socket.destroy(), 20);
    });
    servers.push(target);
    const started = performance.now();

    const failure = await createNodeHttpExchange()(`${target.url}/odata`, { method: 'GET', timeoutMs: 5000 }).catch(
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).name).not.toBe('TimeoutError');
    expect((failure as Error).message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/odata failed: /);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('rejects with the system error as cause when nothing listens', async () => {
    const target = await serve(() => undefined);
    const { url } = target;
    await target.close();

    const failure = await createNodeHttpExchange()(`${url}/odata`, { method: 'GET', timeoutMs: 2000 }).catch(
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/odata failed: /);
    expect((failure as Error).cause).toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('queues requests beyond maxSockets instead of opening more connections', async () => {
    const target = await serve((_request, response) => setTimeout(() => response.end('ok'), 10));
    servers.push(target);
    const exchange = createNodeHttpExchange({ maxSockets: 2 });

    const answers = await Promise.all(
      Array.from({ length: 8 }, () => exchange(`${target.url}/`, { method: 'GET', timeoutMs: 2000 })),
    );

    expect(answers.map((answer) => answer.text)).toEqual(Array(8).fill('ok'));
    expect(target.connections()).toBe(2);
  });

  it('closes a free connection a second before the server announces it will (Keep-Alive: timeout=N)', async () => {
    const target = await serve((_request, response) => response.end('ok'));
    target.server.keepAliveTimeout = 2_000;
    servers.push(target);
    const closed: number[] = [];
    const started = performance.now();
    target.server.on('connection', (socket) => socket.on('close', () => closed.push(performance.now() - started)));

    await createNodeHttpExchange()(`${target.url}/`, { method: 'GET', timeoutMs: 2000 });
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    expect(closed).toHaveLength(1);
    expect(closed[0]).toBeGreaterThanOrEqual(900);
    expect(closed[0]).toBeLessThan(1_500);
  });

  describe('a kept-alive connection the server closes as the next request goes out on it', () => {
    /** Answers the first request of each connection and drops the connection on its second. */
    async function closingServer() {
      const perConnection = new WeakMap<object, number>();
      const target = await serve((request, response) => {
        const count = (perConnection.get(request.socket) ?? 0) + 1;
        perConnection.set(request.socket, count);
        if (count === 1) response.end('ok');
        else request.socket.destroy();
      });
      servers.push(target);
      return target;
    }

    it('sends an idempotent request once more, on a new connection', async () => {
      const target = await closingServer();
      const exchange = createNodeHttpExchange();
      await exchange(`${target.url}/`, { method: 'GET', timeoutMs: 2000 });

      const answer = await exchange(`${target.url}/`, { method: 'GET', timeoutMs: 2000, idempotent: true });

      expect(answer.text).toBe('ok');
      expect(target.connections()).toBe(2);
    });

    it('sends it again on a connection of its own, when the other free connections are as stale', async () => {
      const target = await closingServer();
      const exchange = createNodeHttpExchange();
      await Promise.all([1, 2].map(() => exchange(`${target.url}/`, { method: 'GET', timeoutMs: 2000 })));
      expect(target.connections()).toBe(2);

      const answer = await exchange(`${target.url}/`, { method: 'GET', timeoutMs: 2000, idempotent: true });

      expect(answer.text).toBe('ok');
      expect(target.connections()).toBe(3);
    });

    it('fails a request that is not idempotent, since the server may have read it', async () => {
      const target = await closingServer();
      const exchange = createNodeHttpExchange();
      await exchange(`${target.url}/`, { method: 'POST', body: '{}', timeoutMs: 2000 });

      const failure = await exchange(`${target.url}/`, { method: 'POST', body: '{}', timeoutMs: 2000 }).catch((error: unknown) => error);

      expect((failure as Error).cause).toMatchObject({ code: 'ECONNRESET' });
      expect(target.connections()).toBe(1);
    });
  });
});
