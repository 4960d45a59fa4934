import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { IDENTITY_HEADER, scopesOf, signIdentity, type Identity } from '../auth';
import { loadApolloGatewayServerConfig } from './config';

/**
 * The caller every request is signed as. Stock `@apollo/gateway` does not verify bearer tokens, so the
 * benchmark gives it the identity its bearer token would carry (the gateway benchmark's ADMIN user).
 */
const BENCH_IDENTITY: Identity = { sub: 'bench', roles: ['ADMIN'], scopes: scopesOf(['ADMIN']) };

/**
 * A stock `RemoteGraphQLDataSource` that adds the signed identity header the subgraphs require,
 * signed once per incoming operation (as the gateway under test signs it) and reused for its fetches.
 */
class SignedIdentityDataSource extends RemoteGraphQLDataSource {
  private readonly signed = new WeakMap<object, Promise<string>>();

  constructor(
    url: string,
    private readonly signingSecret: string,
  ) {
    super({ url });
  }

  override async willSendRequest(options: GraphQLDataSourceProcessOptions): Promise<void> {
    if (!('incomingRequestContext' in options)) return; // a health check or schema load, not an operation
    let token = this.signed.get(options.context);
    if (!token) {
      token = signIdentity(BENCH_IDENTITY, this.signingSecret);
      this.signed.set(options.context, token);
    }
    options.request.http?.headers.set(IDENTITY_HEADER, await token);
  }
}

/** `@apollo/gateway` with `@apollo/server` in its stock configuration, for `npm run bench -- gateway`. */
async function main(): Promise<void> {
  const config = loadApolloGatewayServerConfig();
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(config.supergraphPath, 'utf8'),
    buildService: ({ name, url }) => new SignedIdentityDataSource(config.subgraphUrls[name] ?? url ?? '', config.signingSecret),
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: config.port } });
  console.log(`@apollo/gateway at ${url}`);
  const stop = () => void server.stop().finally(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
