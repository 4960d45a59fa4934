import type { GraphQLSchema } from 'graphql';
import { createOpcenterClient, type OpcenterClient, type OpcenterClientOptions } from '../../opcenter/client';
import { DEV_CREDENTIALS } from '../../opcenter/emulator/config';
import type { Emulator } from '../../opcenter/emulator/emulator';
import { serveSubgraphForTest, type GraphQLReply, type SubgraphUnderTest } from './graphql-test-client';
import { startTestEmulator } from './test-emulator';

/** A GraphQL answer as the subgraph sends it. */
export type GraphQLAnswer<T = Record<string, unknown>> = GraphQLReply<T>;

/** A subgraph on a free port, in front of an Opcenter client. */
export interface SubgraphTestServer {
  /** Sends a query signed as the gateway would; `identity: false` sends none. */
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
  const servers: SubgraphUnderTest[] = [];
  const startServer = async (clientOptions: Partial<OpcenterClientOptions> = {}): Promise<SubgraphTestServer> => {
    const served = await serveSubgraphForTest(await buildSchema(), emulator.url, clientOptions, name);
    servers.push(served);
    return { query: (query, variables, options) => served.query(query, variables, options?.identity === false ? {} : undefined) };
  };
  const first = await startServer();
  return {
    ...first,
    emulator,
    opcenter: createOpcenterClient({ baseUrl: emulator.url, ...DEV_CREDENTIALS }),
    startServer,
    close: async () => {
      await Promise.all(servers.map((server) => server.close()));
      await emulator.close();
    },
  };
}
