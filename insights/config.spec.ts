import { loadInsightsConfig } from './config';
import { InvalidInsightsConfigError } from './errors';

describe('loadInsightsConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    expect(loadInsightsConfig({})).toEqual({
      redisUrl: 'redis://127.0.0.1:6379',
      keyPrefix: 'oig',
      aiBudgetMs: 1500,
      historySize: 20,
      eventDedupTtlSeconds: 86_400,
      alertStreamMaxLength: 100_000,
      alertStreamMaxAgeMs: 72 * 3_600_000,
    });
  });

  it('reads every variable and treats an empty one as unset', () => {
    const config = loadInsightsConfig({
      REDIS_URL: 'rediss://user:secret@redis.plant.local:6380/2',
      REDIS_KEY_PREFIX: 'line-7',
      AI_BUDGET_MS: '250',
      INSIGHT_HISTORY_SIZE: '',
      EVENT_DEDUP_TTL_HOURS: '2',
      ALERT_STREAM_MAX_LENGTH: '5000',
      ALERT_STREAM_MAX_AGE_HOURS: '1',
    });
    expect(config).toEqual({
      redisUrl: 'rediss://user:secret@redis.plant.local:6380/2',
      keyPrefix: 'line-7',
      aiBudgetMs: 250,
      historySize: 20,
      eventDedupTtlSeconds: 7200,
      alertStreamMaxLength: 5000,
      alertStreamMaxAgeMs: 3_600_000,
    });
  });

  it('names each bad variable without echoing its value', () => {
    let caught: unknown;
    try {
      loadInsightsConfig({ REDIS_URL: 'http://user:hunter2@x', AI_BUDGET_MS: 'soon', REDIS_KEY_PREFIX: 'a:b' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidInsightsConfigError);
    const error = caught as InvalidInsightsConfigError;
    expect(error.code).toBe('INVALID_INSIGHTS_CONFIG');
    expect(error.variables.sort()).toEqual(['AI_BUDGET_MS', 'REDIS_KEY_PREFIX', 'REDIS_URL']);
    expect(error.message).toMatch(/REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(error.message).not.toContain('hunter2');
  });

  it('rejects a history size of zero', () => {
    expect(() => loadInsightsConfig({ INSIGHT_HISTORY_SIZE: '0' })).toThrow(/INSIGHT_HISTORY_SIZE/);
  });

  it('rejects an event dedup TTL that is not a whole number of hours from 1 to 720', () => {
    for (const value of ['0', '1.5', '721', 'a day']) {
      expect(() => loadInsightsConfig({ EVENT_DEDUP_TTL_HOURS: value })).toThrow(/EVENT_DEDUP_TTL_HOURS/);
    }
  });

  it('rejects an alert stream too short to resume from or an age of zero', () => {
    expect(() => loadInsightsConfig({ ALERT_STREAM_MAX_LENGTH: '10' })).toThrow(/ALERT_STREAM_MAX_LENGTH/);
    expect(() => loadInsightsConfig({ ALERT_STREAM_MAX_AGE_HOURS: '0' })).toThrow(/ALERT_STREAM_MAX_AGE_HOURS/);
  });
});
