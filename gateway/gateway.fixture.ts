import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import 'reflect-metadata';
import { Arg, Ctx, Directive, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { OpcenterClient } from '../opcenter/client';
import { buildFederatedSchema, DEV_GATEWAY_SECRET, startSubgraphServer, type SubgraphContext, type SubgraphServer } from '../subgraphs/shared';
import type { GatewayConfig } from './config';

/*
 * Two tiny subgraphs for the gateway's tests: `execution` owns `Order` (queries, a mutation, a slow
 * field, and `whoami` echoing the identity it received); `quality` adds `Order.defectCount`.
 */

@ObjectType('Order')
@Directive('@key(fields: "id")')
class ExecutionOrder {
  @Field(() => ID) id!: string;
  @Field() product!: string;
  /** Always null: it only lets tests nest fields deeply. */
  @Field(() => ExecutionOrder, { nullable: true }) parent?: ExecutionOrder;
}

const orderOf = (id: string): ExecutionOrder => ({ id, product: `PCB-${id}` });

@Resolver(() => ExecutionOrder)
class ExecutionResolver {
  @Query(() => ExecutionOrder, { nullable: true })
  order(@Arg('id', () => ID) id: string): ExecutionOrder {
    return orderOf(id);
  }

  @Query(() => [ExecutionOrder])
  orders(@Arg('first', () => Int, { nullable: true }) first?: number): ExecutionOrder[] {
    return Array.from({ length: first ?? 3 }, (_, i) => orderOf(String(i + 1)));
  }

  @Query(() => String)
  whoami(@Ctx() context: SubgraphContext): string {
    return JSON.stringify(context.identity);
  }

  @Query(() => String, { nullable: true })
  async slow(): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    return 'late';
  }

  @Mutation(() => ExecutionOrder)
  startOrder(@Arg('id', () => ID) id: string): ExecutionOrder {
    return orderOf(id);
  }
}

@ObjectType('Order')
@Directive('@key(fields: "id")')
class QualityOrder {
  @Field(() => ID) id!: string;
  @Field(() => Int, { nullable: true }) defectCount?: number;
}

@Resolver(() => QualityOrder)
class QualityResolver {
  @Query(() => String)
  qualityStatus(): string {
    return 'ok';
  }
}

/** The running fixture: subgraph servers, and a gateway configuration over their supergraph. */
export interface GatewayFixture {
  execution: SubgraphServer;
  quality: SubgraphServer;
  config: GatewayConfig;
}

/** Starts both subgraphs on free ports and writes their supergraph to a temporary file. */
export async function startFixtureSubgraphs(): Promise<GatewayFixture> {
  const executionSchema = await buildFederatedSchema({ resolvers: [ExecutionResolver] }, {
    Order: { __resolveReference: (reference: { id: string }) => orderOf(reference.id) },
  });
  const qualitySchema = await buildFederatedSchema({ resolvers: [QualityResolver], orphanedTypes: [QualityOrder] }, {
    Order: { __resolveReference: (reference: { id: string }) => ({ id: reference.id, defectCount: 3 }) },
  });
  const start = (name: string, schema: GraphQLSchema) =>
    startSubgraphServer({ name, schema, host: '127.0.0.1', port: 0, signingSecret: DEV_GATEWAY_SECRET, opcenter: {} as OpcenterClient });
  const execution = await start('execution', executionSchema);
  const quality = await start('quality', qualitySchema);
  const composed = composeServices([
    { name: 'execution', url: `${execution.url}/graphql`, typeDefs: parse(printSubgraphSchema(executionSchema)) },
    { name: 'quality', url: `${quality.url}/graphql`, typeDefs: parse(printSubgraphSchema(qualitySchema)) },
  ]);
  if (composed.errors) throw new Error(composed.errors.map((error) => error.message).join('\n'));
  const supergraphPath = join(await mkdtemp(join(tmpdir(), 'gateway-test-')), 'supergraph.graphql');
  await writeFile(supergraphPath, composed.supergraphSdl);
  return {
    execution,
    quality,
    config: {
      host: '127.0.0.1',
      port: 0,
      subgraphs: { execution: `${execution.url}/graphql`, quality: `${quality.url}/graphql` },
      signingSecret: DEV_GATEWAY_SECRET,
      auth: { kind: 'dev-secret', secret: 'gateway-test-secret-0123456789', issuer: 'insight-graph-dev', audience: 'insight-graph' },
      limits: { maxDepth: 4, maxCost: 200, maxPageSize: 100, defaultPageSize: 20, maxBodyBytes: 4096, upstreamTimeoutMs: 700 },
      graphiql: false,
      supergraphPath,
      queryPlanner: 'javascript',
      logLevel: false,
    },
  };
}
