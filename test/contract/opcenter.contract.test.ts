import {
  createOpcenterClient,
  OpcenterUnavailableError,
  type OpcenterClient,
} from '../../opcenter/client';
import { DEV_CREDENTIALS } from '../../opcenter/emulator/config';
import type { Emulator } from '../../opcenter/emulator/emulator';
import { startTestEmulator } from '../support/test-emulator';
import { loadRealOpcenterTarget } from './contract.config';
import { describeOpcenterContract } from './opcenter-contract';

let emulator: Emulator;
const connection = () => ({ baseUrl: emulator.url, ...DEV_CREDENTIALS });

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());

describeOpcenterContract({ name: 'emulator', connection });

const real = loadRealOpcenterTarget();
if (real) describeOpcenterContract({ name: `Opcenter at ${real.baseUrl}`, connection: () => real });

describe('outages and tokens (emulator faults)', () => {
  let client: OpcenterClient;
  let requests: number;

  beforeEach(() => {
    requests = 0;
    client = createOpcenterClient({
      ...connection(),
      timeoutMs: 300,
      retries: 2,
      retryBaseDelayMs: 5,
      breaker: { failureThreshold: 3, resetAfterMs: 200 },
      onRequest: () => (requests += 1),
    });
  });
  afterEach(() => emulator.faults.clear());

  it('retries a read through a short outage and succeeds', async () => {
    emulator.faults.set({ status: 503, count: 2 });
    const page = await client.list('workOrder', { top: 1 });
    expect(page.items).toHaveLength(1);
  });

  it('reports a long outage as OpcenterUnavailableError, then fails fast while the breaker is open', async () => {
    emulator.faults.set({ status: 503 });
    await expect(client.list('workOrder', { top: 1 })).rejects.toMatchObject({ code: 'OPCENTER_UNAVAILABLE', reason: 'server' });
    await expect(client.list('workOrder', { top: 1 })).rejects.toBeInstanceOf(OpcenterUnavailableError);
    const before = requests;
    await expect(client.list('workOrder', { top: 1 })).rejects.toMatchObject({ reason: 'circuit-open' });
    expect(requests).toBe(before);
    emulator.faults.clear();
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await client.list('workOrder', { top: 1 })).items).toHaveLength(1);
  });

  it('gives up on a hanging Opcenter at the timeout instead of hanging', async () => {
    emulator.faults.set({ status: 0, latencyMs: 2000 });
    const started = Date.now();
    await expect(client.list('workOrder', { top: 1 })).rejects.toMatchObject({ reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1900);
  });

  it('renews its token once when Opcenter forgets it, and carries on', async () => {
    expect((await client.list('workOrder', { top: 1 })).items).toHaveLength(1);
    emulator.issuer.revokeAll();
    expect((await client.list('workOrder', { top: 1 })).items).toHaveLength(1);
  });
});
