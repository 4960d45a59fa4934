import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runLoad } from './load';

describe('runLoad', () => {
  let server: http.Server;
  let url: string;
  let answerDelayMs = 0;
  let received = 0;

  beforeAll(async () => {
    server = http.createServer((_request, response) => {
      received += 1;
      setTimeout(() => response.end('ok'), answerDelayMs);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    received = 0;
  });

  it('paced: sends at the rate asked, not as fast as answers come', async () => {
    answerDelayMs = 0;
    const result = await runLoad({ nextUrl: () => url, concurrency: 4, durationMs: 500, headers: {}, ratePerSecond: 100 });

    expect(result.errors).toBe(0);
    expect(received).toBeGreaterThanOrEqual(45);
    expect(received).toBeLessThanOrEqual(51);
    expect(result.requests).toBe(received);
  });

  it('paced: times a request from when it was due, so waiting for a busy connection counts', async () => {
    answerDelayMs = 20;
    // 100 requests/s over one connection that serves 50/s: the queue grows by about 5 per 100 ms.
    const paced = await runLoad({ nextUrl: () => url, concurrency: 1, durationMs: 400, headers: {}, ratePerSecond: 100 });
    const closed = await runLoad({ nextUrl: () => url, concurrency: 1, durationMs: 400, headers: {} });

    expect(closed.p99Ms).toBeLessThan(60);
    expect(paced.p99Ms).toBeGreaterThan(150);
    expect(paced.requests).toBeGreaterThanOrEqual(38);
  });
});
