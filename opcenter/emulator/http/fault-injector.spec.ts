import { FaultInjector } from './fault-injector';

describe('FaultInjector', () => {
  it('applies a counted fault to that many requests, then clears itself', () => {
    const faults = new FaultInjector();
    faults.set({ status: 503, count: 2 });
    expect(faults.take()?.status).toBe(503);
    expect(faults.take()?.status).toBe(503);
    expect(faults.take()).toBeUndefined();
  });

  it('rejects a status that is not an error and a negative latency', () => {
    const faults = new FaultInjector();
    expect(() => faults.set({ status: 200 })).toThrow(/status must be/);
    expect(() => faults.set({ latencyMs: -1 })).toThrow(/latencyMs/);
    expect(faults.current()).toBeUndefined();
  });
});
