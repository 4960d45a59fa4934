import { OpcenterUnavailableError } from './errors';

/** Circuit breaker settings. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. Default 5. */
  failureThreshold?: number;
  /** How long the circuit stays open before one trial request is let through, in ms. Default 10000. */
  resetAfterMs?: number;
}

/** `closed`: requests flow; `open`: they fail fast; `half-open`: one trial request is out. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * Fails fast while Opcenter is down, so callers get an answer at once instead of queueing timeouts.
 * Callers ask `acquire()` before each request and report its outcome with `success()` or
 * `failure()`; only unavailability (5xx, network, timeout) should be reported as a failure.
 */
export class CircuitBreaker {
  private readonly failureThreshold: number;
  private readonly resetAfterMs: number;
  private failures = 0;
  private openedAt = 0;
  private current: CircuitState = 'closed';

  constructor(
    options: CircuitBreakerOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.failureThreshold = options.failureThreshold ?? 5;
    this.resetAfterMs = options.resetAfterMs ?? 10_000;
  }

  /** The state now; an open circuit turns half-open when the next request after `resetAfterMs` asks. */
  get state(): CircuitState {
    return this.current;
  }

  /**
   * Lets a request through, or throws OpcenterUnavailableError (reason `circuit-open`, with the
   * time left before a trial as `retryAfterMs`).
   */
  acquire(): void {
    if (this.current === 'closed') return;
    const waited = this.now() - this.openedAt;
    if (this.current === 'open' && waited >= this.resetAfterMs) {
      this.current = 'half-open';
      return;
    }
    const retryAfterMs = Math.max(0, this.resetAfterMs - waited);
    const message = 'Opcenter is unavailable (circuit open after repeated failures)';
    throw new OpcenterUnavailableError(message, 'circuit-open', { retryAfterMs });
  }

  /** The request got an answer from Opcenter (4xx included): closes the circuit. */
  success(): void {
    this.failures = 0;
    this.current = 'closed';
  }

  /** The request found Opcenter unavailable: opens the circuit at the threshold, or again after a trial. */
  failure(): void {
    this.failures += 1;
    if (this.current === 'half-open' || this.failures >= this.failureThreshold) {
      this.current = 'open';
      this.openedAt = this.now();
    }
  }
}
