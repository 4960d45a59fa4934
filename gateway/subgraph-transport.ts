import type { TransportEntryAdditions } from '@graphql-hive/gateway-runtime';
import wsTransport from '@graphql-mesh/transport-ws';
import { IDENTITY_HEADER } from '../auth';
import { createSubgraphHttpTransport, type SubgraphHttpTransportOptions } from './subgraph-http-transport';

/**
 * The transports the runtime uses for subgraphs: this gateway's own for HTTP, and the runtime's
 * graphql-ws transport passed in directly (by default the runtime loads it with a dynamic `import()`,
 * which jest cannot run without `--experimental-vm-modules`).
 */
export function createSubgraphTransports(options: SubgraphHttpTransportOptions) {
  return { http: createSubgraphHttpTransport(options), ws: wsTransport };
}

/**
 * One transport entry per subgraph: queries and mutations over HTTP POST to its URL, subscriptions
 * over graphql-ws on the same path. WebSockets carry no custom headers, so the signed identity goes in
 * `connectionParams`, read from the context that `useSignedIdentity` fills before each subscription.
 */
export function toTransportEntries(subgraphs: Record<string, string>): TransportEntryAdditions {
  return Object.fromEntries(
    Object.entries(subgraphs).map(([name, location]) => [
      name,
      {
        location,
        options: {
          subscriptions: {
            kind: 'ws',
            location: '/graphql',
            options: {
              connectionParams: { [IDENTITY_HEADER]: '{context.signedIdentity}' },
              // One connection per signed identity, so a lingering one is rarely reused; and the
              // client's linger timer outlives its dispose, holding the process open on shutdown.
              lazyCloseTimeout: 0,
            },
          },
        },
      },
    ]),
  );
}
