import type { GraphQLSchema } from 'graphql';
import { createOpcenterClient } from '../../opcenter/client';
import { loadInsightsConfig } from '../../insights/config';
import { createAiInsights } from './ai-insights';
import { loadSubgraphConfig, type SubgraphName } from './config';
import { startSubgraphServer } from './subgraph-server';

/** The entry point of one subgraph process: config, Opcenter client, server, clean stop on signals. */
export async function runSubgraph(name: SubgraphName, buildSchema: () => Promise<GraphQLSchema>, options: { aiFields?: boolean } = {}): Promise<void> {
  const log = (message: string) => console.log(`${new Date().toISOString()} ${message}`);
  try {
    const config = loadSubgraphConfig(name);
    const opcenter = createOpcenterClient({ ...config.opcenter });
    const ai = options.aiFields ? createAiInsights(loadInsightsConfig()) : undefined;
    const server = await startSubgraphServer({
      ...(ai ? { ai } : {}),
      name,
      schema: await buildSchema(),
      host: config.host,
      port: config.port,
      signingSecret: config.signingSecret,
      opcenter,
      log,
    });
    log(`${name} subgraph at ${server.url}/graphql (Opcenter ${config.opcenter.baseUrl})`);
    const stop = (signal: string) => {
      log(`${signal}: stopping`);
      void server
        .close()
        .then(() => ai?.close())
        .then(() => process.exit(0));
      setTimeout(() => process.exit(0), 3000).unref();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
