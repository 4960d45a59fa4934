import { DEV_AUDIENCE, DEV_ISSUER } from '../auth';
import { DEV_GATEWAY_SECRET } from '../subgraphs/shared/config';
import { loadGatewayConfig } from './config';

describe('loadGatewayConfig', () => {
  it('defaults to the local development stack', () => {
    const config = loadGatewayConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 4000,
      subgraphs: {
        execution: 'http://127.0.0.1:4001/graphql',
        quality: 'http://127.0.0.1:4002/graphql',
        test: 'http://127.0.0.1:4003/graphql',
        genealogy: 'http://127.0.0.1:4004/graphql',
      },
      signingSecret: DEV_GATEWAY_SECRET,
      auth: { kind: 'dev-secret', issuer: DEV_ISSUER, audience: DEV_AUDIENCE },
      limits: { maxDepth: 12, maxCost: 50_000, maxPageSize: 100, maxBodyBytes: 1048576, upstreamTimeoutMs: 10000, maxBufferedAlerts: 1000 },
      graphiql: true,
      supergraphPath: 'schema/supergraph.graphql',
      queryPlanner: 'rust',
    });
  });

  it('reads the slow-consumer limit of graphql-ws connections and refuses zero', () => {
    expect(loadGatewayConfig({ GATEWAY_WS_MAX_BUFFERED_ALERTS: '50' }).limits.maxBufferedAlerts).toBe(50);
    expect(() => loadGatewayConfig({ GATEWAY_WS_MAX_BUFFERED_ALERTS: '0' })).toThrow(/GATEWAY_WS_MAX_BUFFERED_ALERTS/);
  });

  it('takes per-subgraph URLs and a JWKS issuer', () => {
    const config = loadGatewayConfig({ QUALITY_URL: 'http://quality:8080/graphql', JWT_JWKS_URL: 'https://idp.example/jwks', JWT_ISSUER: 'idp' });
    expect(config.subgraphs.quality).toBe('http://quality:8080/graphql');
    expect(config.auth).toEqual({ kind: 'jwks', url: 'https://idp.example/jwks', issuer: 'idp', audience: undefined });
  });

  it('refuses development secrets in production', () => {
    expect(() => loadGatewayConfig({ NODE_ENV: 'production', JWT_JWKS_URL: 'https://idp.example/jwks' })).toThrow(/GATEWAY_SIGNING_SECRET/);
    expect(() => loadGatewayConfig({ NODE_ENV: 'production', GATEWAY_SIGNING_SECRET: 'a-long-production-secret' })).toThrow(/JWT_JWKS_URL or JWT_PUBLIC_KEY/);
    expect(loadGatewayConfig({ NODE_ENV: 'production', GATEWAY_SIGNING_SECRET: 'a-long-production-secret', JWT_JWKS_URL: 'https://idp.example/jwks' }).graphiql).toBe(false);
  });

  it('lists every invalid variable', () => {
    expect(() => loadGatewayConfig({ GATEWAY_PORT: 'x', MAX_DEPTH: '0' })).toThrow(/GATEWAY_PORT[\s\S]*MAX_DEPTH/);
  });
});
