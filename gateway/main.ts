import { loadGatewayConfig } from './config';
import { createGateway } from './gateway';

/** The gateway process: configuration, server, clean stop on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const log = (message: string) => console.log(`${new Date().toISOString()} ${message}`);
  const config = loadGatewayConfig();
  if (config.auth.kind === 'dev-secret') {
    log('WARNING: verifying development tokens (DEV_JWT_SECRET); set JWT_JWKS_URL or JWT_PUBLIC_KEY for production.');
  }
  const gateway = await createGateway(config);
  log(`gateway at ${gateway.url}/graphql (supergraph ${config.supergraphPath}; subgraphs ${Object.values(config.subgraphs).join(', ')})`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    void gateway.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
