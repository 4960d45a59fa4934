import { CircuitBreaker } from './circuit-breaker';
import { OpcenterUnavailableError } from './errors';

function breakerAt(time: { now: number }) {
  return new CircuitBreaker({ failureThreshold: 3, resetAfterMs: 1000 }, () => time.now);
}

function failFastError(breaker: CircuitBreaker): OpcenterUnavailableError {
  try {
    breaker.acquire();
  } catch (error) {
    return error as OpcenterUnavailableError;
  }
  throw new Error('expected the breaker to refuse');
}

describe('CircuitBreaker', () => {
  it('stays closed below the failure threshold', () => {
    const breaker = breakerAt({ now: 0 });
    breaker.failure();
    breaker.failure();
    expect(breaker.state).toBe('closed');
    expect(() => breaker.acquire()).not.toThrow();
  });

  it('opens after failureThreshold consecutive failures and refuses with circuit-open', () => {
    const time = { now: 0 };
    const breaker = breakerAt(time);
    for (let i = 0; i < 3; i += 1) breaker.failure();
    expect(breaker.state).toBe('open');
    time.now = 400;
    const error = failFastError(breaker);
    expect(error).toBeInstanceOf(OpcenterUnavailableError);
    expect(error.code).toBe('OPCENTER_UNAVAILABLE');
    expect(error.reason).toBe('circuit-open');
    expect(error.retryAfterMs).toBe(600);
  });

  it('counts only consecutive failures: a success in between resets the count', () => {
    const breaker = breakerAt({ now: 0 });
    breaker.failure();
    breaker.failure();
    breaker.success();
    breaker.failure();
    breaker.failure();
    expect(breaker.state).toBe('closed');
  });

  it('lets exactly one trial through after resetAfterMs and closes when it succeeds', () => {
    const time = { now: 0 };
    const breaker = breakerAt(time);
    for (let i = 0; i < 3; i += 1) breaker.failure();
    time.now = 1000;
    expect(() => breaker.acquire()).not.toThrow();
    expect(breaker.state).toBe('half-open');
    expect(failFastError(breaker).reason).toBe('circuit-open');
    breaker.success();
    expect(breaker.state).toBe('closed');
    expect(() => breaker.acquire()).not.toThrow();
  });

  it('re-opens for another resetAfterMs when the trial fails', () => {
    const time = { now: 0 };
    const breaker = breakerAt(time);
    for (let i = 0; i < 3; i += 1) breaker.failure();
    time.now = 1500;
    breaker.acquire();
    breaker.failure();
    expect(breaker.state).toBe('open');
    time.now = 2400;
    expect(failFastError(breaker).retryAfterMs).toBe(100);
    time.now = 2500;
    expect(() => breaker.acquire()).not.toThrow();
  });

  it('uses 5 failures and 10 s by default', () => {
    const time = { now: 0 };
    const breaker = new CircuitBreaker({}, () => time.now);
    for (let i = 0; i < 4; i += 1) breaker.failure();
    expect(breaker.state).toBe('closed');
    breaker.failure();
    expect(breaker.state).toBe('open');
    time.now = 9999;
    expect(failFastError(breaker).retryAfterMs).toBe(1);
  });
});
