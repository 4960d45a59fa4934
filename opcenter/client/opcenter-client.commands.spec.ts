import { OpcenterCommandFailedError, OpcenterInvalidQueryError, OpcenterUnavailableError } from './errors';
import { startFakeOpcenter, type FakeOpcenter, type FakeReply, type FakeRequest } from './fake-opcenter';
import type { OpcenterRequestInfo } from './http-transport';
import type { OpcenterClientOptions } from './client-options';
import { createOpcenterClient } from './opcenter-client';

const credentials = { clientId: 'insight-graph', clientSecret: 'insight-graph-secret', username: 'ai-service', password: 'ai-service' };
const GUID = '0b7f2a5e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
const CREATE_NC = '/sit-svc/Application/Quality/odata/CreateNonConformance';

let fake: FakeOpcenter;
let handle: (request: FakeRequest) => FakeReply;

beforeEach(async () => {
  handle = () => ({ json: { '@odata.context': 'http://internal/$metadata#Response', Succeeded: true, Error: null, Id: GUID, NId: 'NC-0001' } });
  fake = await startFakeOpcenter({ handle: (request) => handle(request) });
});

afterEach(() => fake.close());

function clientFor(options: Partial<OpcenterClientOptions> = {}) {
  return createOpcenterClient({ baseUrl: fake.url, ...credentials, retryBaseDelayMs: 1, ...options });
}

const draft = {
  title: 'Insufficient paste on U7',
  description: 'Risk 0.91',
  severity: 'Major',
  serialNumber: 'SN-1',
  workOrderId: 'WO-1',
  confidence: 0.91,
  PlantExtra: 'kept',
};

describe('command', () => {
  it("posts {command: params} in Opcenter names to the command's app and returns renamed results", async () => {
    const result = await clientFor().command('createNonConformance', draft);
    expect(result).toEqual({ guid: GUID, id: 'NC-0001' });
    const [request] = fake.dataRequests();
    expect(request!.method).toBe('POST');
    expect(request!.url.pathname).toBe(CREATE_NC);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers.authorization).toMatch(/^Bearer /);
    expect(JSON.parse(request!.body)).toEqual({
      command: {
        Title: 'Insufficient paste on U7',
        Description: 'Risk 0.91',
        Severity: 'Major',
        SerialNumber: 'SN-1',
        WorkOrderNId: 'WO-1',
        Confidence: 0.91,
        PlantExtra: 'kept',
      },
    });
  });

  it("turns Succeeded: false into OpcenterCommandFailedError with Opcenter's error code and message", async () => {
    handle = () => ({
      json: { Succeeded: false, Error: { ErrorCode: 4711, ErrorMessage: 'Unit SN-1 has no Approval signature' } },
    });
    const error = await clientFor().command('releaseUnit', { serialNumber: 'SN-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpcenterCommandFailedError);
    expect(error).toMatchObject({
      code: 'OPCENTER_COMMAND_FAILED',
      command: 'ReleaseMaterialTrackingUnit',
      opcenterCode: 4711,
      opcenterMessage: 'Unit SN-1 has no Approval signature',
    });
    expect(fake.dataRequests()).toHaveLength(1);
  });

  it('is not retried on 503, since it may have been carried out', async () => {
    handle = () => ({ status: 503, json: {} });
    await expect(clientFor({ retries: 3 }).command('holdUnit', { serialNumber: 'SN-1', reason: 'risk' })).rejects.toMatchObject({
      reason: 'server',
    });
    expect(fake.dataRequests()).toHaveLength(1);
  });

  it('is not retried after a timeout', async () => {
    handle = () => ({ hang: true });
    const error = await clientFor({ retries: 3, timeoutMs: 50 })
      .command('holdUnit', { serialNumber: 'SN-1', reason: 'risk' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpcenterUnavailableError);
    expect(error).toMatchObject({ reason: 'timeout' });
    expect(fake.dataRequests()).toHaveLength(1);
  });

  it('is retried when the connection was refused, which proves it never arrived', async () => {
    let refusals = 1;
    const refusingFetch: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/HoldMaterialTrackingUnit') && refusals-- > 0) {
        throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
      }
      return fetch(input, init);
    };
    const calls: OpcenterRequestInfo[] = [];
    const client = clientFor({ fetch: refusingFetch, onRequest: (info) => calls.push(info) });
    await expect(client.command('holdUnit', { serialNumber: 'SN-1', reason: 'risk' })).resolves.toMatchObject({ guid: GUID });
    expect(calls.filter((c) => c.method === 'POST' && c.url.endsWith('/HoldMaterialTrackingUnit')).map((c) => c.status)).toEqual([0, 200]);
    expect(fake.dataRequests()).toHaveLength(1);
  });

  it('is sent again once with a renewed token after a 401, which Opcenter answers before acting', async () => {
    const client = clientFor();
    await client.command('holdUnit', { serialNumber: 'SN-1', reason: 'risk' });
    fake.revokeTokens();
    await expect(client.command('holdUnit', { serialNumber: 'SN-2', reason: 'risk' })).resolves.toMatchObject({ guid: GUID });
    expect(fake.tokenRequests()).toHaveLength(2);
  });

  it('refuses an unknown command without any request', async () => {
    await expect(clientFor().command('scrapEverything', {})).rejects.toBeInstanceOf(OpcenterInvalidQueryError);
    expect(fake.requests).toHaveLength(0);
  });
});
