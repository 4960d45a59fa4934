import { loadInsightsConfig } from './config';
import { InvalidInsightsConfigError } from './errors';

describe('loadInsightsConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    expect(loadInsightsConfig({})).toEqual({
      redisUrl: 'redis://127.0.0.1:6379',
      keyPrefix: 'oig',
      aiBudgetMs: 1500,
      historySize: 20,
    });
  });

  it('reads every variable and treats an empty one as unset', () => {
    const config = loadInsightsConfig({
      REDIS_URL: 'rediss://user:secret@redis.plant.local:6380/2',
      REDIS_KEY_PREFIX: 'line-7',
      AI_BUDGET_MS: '250',
      INSIGHT_HISTORY_SIZE: '',
    });
    expect(config).toEqual({
      redisUrl: 'rediss://user:secret@redis.plant.local:6380/2',
      keyPrefix: 'line-7',
      aiBudgetMs: 250,
      historySize: 20,
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
});
