import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { IDENTITY_HEADER, scopesOf, signIdentity } from '../../auth';
import { createOpcenterClient, type OpcenterClient, type OpcenterClientOptions } from '../../opcenter/client';
import { DEV_CREDENTIALS } from '../../opcenter/emulator/config';
import type { Emulator } from '../../opcenter/emulator/emulator';
import { startTestEmulator } from './test-emulator';
import { DEV_GATEWAY_SECRET, startSubgraphServer, type SubgraphServer } from '../../subgraphs/shared';

/** A GraphQL answer as the subgraph sends it. */
export interface GraphQLAnswer<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: GraphQLFormattedError[];
}

/** A subgraph on a free port, in front of an Opcenter client. */
export interface SubgraphTestServer {
  server: SubgraphServer;
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, options?: { identity?: boolean }): Promise<GraphQLAnswer<T>>;
}

/** An emulator with the small plant, a client against it and one subgraph; for specs. */
export interface SubgraphTestbed extends SubgraphTestServer {
  emulator: Emulator;
  opcenter: OpcenterClient;
  /** Another subgraph server on the same emulator, with its own client options. */
  startServer(clientOptions?: Partial<OpcenterClientOptions>): Promise<SubgraphTestServer>;
  close(): Promise<void>;
}

/** Starts the testbed for the subgraph `name` served with the schema from `buildSchema`; close it in `afterAll`. */
export async function startSubgraphTestbed(name: string, buildSchema: () => Promise<GraphQLSchema>): Promise<SubgraphTestbed> {
  const emulator = await startTestEmulator();
  const servers: SubgraphServer[] = [];
  const clientFor = (options: Partial<OpcenterClientOptions> = {}) =>
    createOpcenterClient({ baseUrl: emulator.url, ...DEV_CREDENTIALS, ...options });
  const startServer = async (clientOptions: Partial<OpcenterClientOptions> = {}): Promise<SubgraphTestServer> => {
    const server = await startSubgraphServer({
      name,
      schema: await buildSchema(),
      host: '127.0.0.1',
      port: 0,
      signingSecret: DEV_GATEWAY_SECRET,
      opcenter: clientFor(clientOptions),
    });
    servers.push(server);
    return { server, query: (query, variables, options) => postGraphQL(server.url, query, variables, options?.identity ?? true) };
  };
  const first = await startServer();
  return {
    ...first,
    emulator,
    opcenter: clientFor(),
    startServer,
    close: async () => {
      await Promise.all(servers.map((server) => server.close()));
      await emulator.close();
    },
  };
}

async function postGraphQL<T>(baseUrl: string, query: string, variables: Record<string, unknown> | undefined, withIdentity: boolean): Promise<GraphQLAnswer<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (withIdentity) {
    headers[IDENTITY_HEADER] = await signIdentity({ sub: 'test', roles: ['ADMIN'], scopes: scopesOf(['ADMIN']) }, DEV_GATEWAY_SECRET);
  }
  const response = await fetch(`${baseUrl}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: T | null; errors?: GraphQLFormattedError[] };
  return { status: response.status, ...body };
}
