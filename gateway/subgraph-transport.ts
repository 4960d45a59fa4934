import type { TransportEntryAdditions } from '@graphql-hive/gateway-runtime';
import httpTransport from '@graphql-mesh/transport-http';
import wsTransport from '@graphql-mesh/transport-ws';
import { IDENTITY_HEADER } from '../auth';

/**
 * The runtime's own transports, passed in directly: by default it loads them with a dynamic
 * `import()`, which jest cannot run without `--experimental-vm-modules`.
 */
export const subgraphTransports = { http: httpTransport, ws: wsTransport };

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
          // In-flight deduplication keys on URL and body, not on the identity header that onFetch adds
          // later: two callers' identical queries would share one fetch made as the first caller.
          deduplicateInflightRequests: false,
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
