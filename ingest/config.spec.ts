import { InvalidIngestConfigError } from './errors';
import { loadIngestConfig } from './config';

const SECRET = 'a3f1c9e07b2d4c58';

/** The InvalidIngestConfigError that loading `env` throws. */
function rejectionOf(env: NodeJS.ProcessEnv): InvalidIngestConfigError {
  try {
    loadIngestConfig(env);
  } catch (error) {
    if (error instanceof InvalidIngestConfigError) return error;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('loadIngestConfig', () => {
  it('applies the documented defaults when the secret is set', () => {
    expect(loadIngestConfig({ INGEST_SECRET: SECRET })).toEqual({
      host: '127.0.0.1',
      port: 4010,
      secret: SECRET,
      allowUnsigned: false,
      maxBodyBytes: 1_048_576,
      insights: expect.objectContaining({ redisUrl: 'redis://127.0.0.1:6379', keyPrefix: 'oig', eventDedupTtlSeconds: 86_400 }),
    });
  });

  it('reads every variable, the insights ones included', () => {
    const config = loadIngestConfig({
      INGEST_HOST: '0.0.0.0',
      INGEST_PORT: '0',
      INGEST_SECRET: SECRET,
      INGEST_ALLOW_UNSIGNED: 'true',
      INGEST_MAX_BODY_BYTES: '65536',
      REDIS_KEY_PREFIX: 'line-7',
      EVENT_DEDUP_TTL_HOURS: '48',
    });
    expect(config).toMatchObject({ host: '0.0.0.0', port: 0, secret: SECRET, allowUnsigned: true, maxBodyBytes: 65_536 });
    expect(config.insights).toMatchObject({ keyPrefix: 'line-7', eventDedupTtlSeconds: 172_800 });
  });

  it('refuses to start without a secret, naming the variable and the way out', () => {
    const error = rejectionOf({});
    expect(error.code).toBe('INVALID_INGEST_CONFIG');
    expect(error.variables).toEqual(['INGEST_SECRET']);
    expect(error.message).toMatch(/INGEST_SECRET: required/);
    expect(error.message).toMatch(/INGEST_ALLOW_UNSIGNED=true/);
    expect(rejectionOf({ INGEST_SECRET: '' }).variables).toEqual(['INGEST_SECRET']);
  });

  it('starts without a secret only when unsigned events are allowed explicitly', () => {
    const config = loadIngestConfig({ INGEST_ALLOW_UNSIGNED: 'true' });
    expect(config.allowUnsigned).toBe(true);
    expect(config).not.toHaveProperty('secret');
  });

  it('names each bad variable without echoing its value', () => {
    const error = rejectionOf({
      INGEST_SECRET: 'hunter2',
      INGEST_PORT: '70000',
      INGEST_ALLOW_UNSIGNED: 'yes',
      INGEST_MAX_BODY_BYTES: '10',
    });
    expect(error.variables.sort()).toEqual(['INGEST_ALLOW_UNSIGNED', 'INGEST_MAX_BODY_BYTES', 'INGEST_PORT', 'INGEST_SECRET']);
    expect(error.message).toMatch(/INGEST_SECRET: must be at least 16 characters/);
    expect(error.message).toMatch(/INGEST_ALLOW_UNSIGNED: must be true or false/);
    expect(error.message).not.toContain('hunter2');
  });
});
