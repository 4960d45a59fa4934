/** A fault the emulator plays on its Opcenter surface, for outage and timeout tests. */
export interface Fault {
  /** HTTP status to answer (e.g. 503); 0 means answer normally after the latency. Default 503. */
  status: number;
  /** Added delay in ms before answering, capped at 60,000. Default 0. */
  latencyMs: number;
  /** How many requests the fault applies to; then it clears itself. Default: until cleared. */
  remaining: number;
}

/** Holds the current fault, if any, and counts it down. */
export class FaultInjector {
  private fault: Fault | undefined;

  set(input: { status?: unknown; latencyMs?: unknown; count?: unknown }): Fault {
    const status = input.status === undefined ? 503 : Number(input.status);
    const latencyMs = input.latencyMs === undefined ? 0 : Number(input.latencyMs);
    const remaining = input.count === undefined ? Number.POSITIVE_INFINITY : Number(input.count);
    if (!Number.isInteger(status) || (status !== 0 && (status < 400 || status > 599))) {
      throw new RangeError('status must be 0 (no error) or an HTTP error status from 400 to 599');
    }
    if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new RangeError('latencyMs must be a number >= 0');
    if (!(remaining > 0)) throw new RangeError('count must be a number > 0');
    this.fault = { status, latencyMs: Math.min(latencyMs, 60_000), remaining };
    return this.fault;
  }

  clear(): void {
    this.fault = undefined;
  }

  /** The fault to apply to this request (and counts it), or undefined. */
  take(): Fault | undefined {
    const fault = this.fault;
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.fault = undefined;
    return fault;
  }

  current(): Fault | undefined {
    return this.fault;
  }
}
