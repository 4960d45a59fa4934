import type { GraphQLSchema } from 'graphql';
import { IDENTITY_HEADER, scopesOf, signIdentity } from '../../auth';
import { createOpcenterClient, type OpcenterClient, type OpcenterClientOptions } from '../../opcenter/client';
import { DEV_CREDENTIALS } from '../../opcenter/emulator/config';
import { DEV_GATEWAY_SECRET, startSubgraphServer } from '../../subgraphs/shared';

/** A GraphQL answer as the subgraph sent it. */
export interface GraphQLReply<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: { code?: string } }>;
}

/** A subgraph served on a free port against an Opcenter (the test emulator), for specs. */
export interface SubgraphUnderTest {
  /** The Opcenter client the subgraph reads with. */
  opcenter: OpcenterClient;
  /** Sends a query with an ADMIN identity signed as the gateway would (or with `headers` instead). */
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLReply<T>>;
  close(): Promise<void>;
}

/** Serves `schema` (as subgraph `name`) against the Opcenter at `opcenterUrl` with the development credentials. */
export async function serveSubgraphForTest(
  schema: GraphQLSchema,
  opcenterUrl: string,
  clientOptions: Partial<OpcenterClientOptions> = {},
  name = 'test',
): Promise<SubgraphUnderTest> {
  const opcenter = createOpcenterClient({
    baseUrl: opcenterUrl,
    clientId: DEV_CREDENTIALS.clientId,
    clientSecret: DEV_CREDENTIALS.clientSecret,
    username: DEV_CREDENTIALS.username,
    password: DEV_CREDENTIALS.password,
    ...clientOptions,
  });
  const server = await startSubgraphServer({ name, schema, host: '127.0.0.1', port: 0, signingSecret: DEV_GATEWAY_SECRET, opcenter });
  return {
    opcenter,
    async query(query, variables, headers) {
      const identity = await signIdentity({ sub: 'test', roles: ['ADMIN'], scopes: scopesOf(['ADMIN']) }, DEV_GATEWAY_SECRET);
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(headers ?? { [IDENTITY_HEADER]: identity }) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as object) };
    },
    close: () => server.close(),
  };
}
