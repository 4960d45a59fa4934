import { backoffDelayMs, parseRetryAfterMs } from './backoff';

describe('backoffDelayMs', () => {
  it('draws from [0, base * 2^attempt) with full jitter', () => {
    expect(backoffDelayMs(0, 100, 5000, () => 0.999)).toBe(99);
    expect(backoffDelayMs(3, 100, 5000, () => 0.5)).toBe(400);
    expect(backoffDelayMs(3, 100, 5000, () => 0)).toBe(0);
  });

  it('never exceeds the cap', () => {
    expect(backoffDelayMs(20, 100, 5000, () => 0.999)).toBeLessThan(5000);
  });
});

describe('parseRetryAfterMs', () => {
  it('reads seconds', () => {
    expect(parseRetryAfterMs('2')).toBe(2000);
  });

  it('reads an HTTP date relative to now', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfterMs('Wed, 01 Jan 2025 00:00:03 GMT', now)).toBe(3000);
  });

  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfterMs(null)).toBeUndefined();
    expect(parseRetryAfterMs('soon')).toBeUndefined();
  });
});
