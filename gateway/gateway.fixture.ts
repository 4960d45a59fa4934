import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { createPubSub } from '@graphql-yoga/subscription';
import { parse, type GraphQLSchema } from 'graphql';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import 'reflect-metadata';
import { Arg, Ctx, Directive, Field, ID, Int, Mutation, ObjectType, Query, Resolver, Root, Subscription, type PubSub } from 'type-graphql';
import type { OpcenterClient } from '../opcenter/client';
import { buildFederatedSchema, DEV_GATEWAY_SECRET, startSubgraphServer, type SubgraphContext, type SubgraphServer } from '../subgraphs/shared';
import type { GatewayConfig } from './config';

/*
 * Two tiny subgraphs for the gateway's tests: `execution` owns `Order` (queries, a mutation, a slow
 * field, and `whoami` echoing the identity it received); `quality` adds `Order.defectCount` and
 * `Order.seenBy`, and `Subscription.defectFound` streams the orders published to its pub/sub.
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

  @Query(() => String, { description: 'The caller, after 200 ms: identical queries of two callers overlap in flight.' })
  async slowWhoami(@Ctx() context: SubgraphContext): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, 200));
    return context.identity.sub;
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
  /** The user the quality subgraph received the operation from (its signed identity's subject). */
  @Field(() => String, { nullable: true }) seenBy?: string;
}

/** What the fixture publishes on `DEFECT_TOPIC`. */
export interface DefectEvent {
  id: string;
  defectCount: number;
}

const DEFECT_TOPIC = 'DEFECTS';

@Resolver(() => QualityOrder)
class QualityResolver {
  @Query(() => String)
  qualityStatus(): string {
    return 'ok';
  }

  @Subscription(() => QualityOrder, { topics: DEFECT_TOPIC })
  defectFound(@Root() event: DefectEvent, @Ctx() context: SubgraphContext): QualityOrder {
    return { ...event, seenBy: context.identity.sub };
  }
}

/** The running fixture: subgraph servers, and a gateway configuration over their supergraph. */
export interface GatewayFixture {
  execution: SubgraphServer;
  quality: SubgraphServer;
  config: GatewayConfig;
  /** Publishes an event to the quality subgraph's `defectFound` subscribers. */
  publishDefect(event: DefectEvent): void;
  /** Resolves when the quality subgraph next gets a `defectFound` subscriber. */
  nextDefectSubscriber(): Promise<void>;
  /** How many `defectFound` subscriptions the quality subgraph is serving. */
  defectSubscriberCount(): number;
}

/** Starts both subgraphs on free ports and writes their supergraph to a temporary file. */
export async function startFixtureSubgraphs(): Promise<GatewayFixture> {
  const executionSchema = await buildFederatedSchema({ resolvers: [ExecutionResolver] }, {
    Order: { __resolveReference: (reference: { id: string }) => orderOf(reference.id) },
  });
  const pubSub = createPubSub<Record<string, [DefectEvent]>>();
  let waiting: (() => void)[] = [];
  let subscribers = 0;
  const watchedPubSub: PubSub = {
    publish: (topic, event) => pubSub.publish(topic, event as DefectEvent),
    subscribe: (topic) => {
      const events = pubSub.subscribe(topic);
      subscribers += 1;
      return {
        [Symbol.asyncIterator]: () => ({
          // The pub/sub listens from the first `next()` on: only then can a test publish.
          next: () => {
            const next = events.next();
            for (const resolve of waiting) resolve();
            waiting = [];
            return next;
          },
          return: () => {
            subscribers -= 1;
            return events.return();
          },
        }),
      };
    },
  };
  const qualitySchema = await buildFederatedSchema({ resolvers: [QualityResolver], orphanedTypes: [QualityOrder], pubSub: watchedPubSub }, {
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
    publishDefect: (event) => watchedPubSub.publish(DEFECT_TOPIC, event),
    nextDefectSubscriber: () => new Promise((resolve) => waiting.push(resolve)),
    defectSubscriberCount: () => subscribers,
    config: {
      host: '127.0.0.1',
      port: 0,
      subgraphs: { execution: `${execution.url}/graphql`, quality: `${quality.url}/graphql` },
      signingSecret: DEV_GATEWAY_SECRET,
      auth: { kind: 'dev-secret', secret: 'gateway-test-secret-0123456789', issuer: 'insight-graph-dev', audience: 'insight-graph' },
      limits: { maxDepth: 4, maxCost: 200, maxPageSize: 100, defaultPageSize: 20, maxBodyBytes: 4096, upstreamTimeoutMs: 700, maxBufferedAlerts: 1000 },
      graphiql: false,
      supergraphPath,
      queryPlanner: 'javascript',
      logLevel: false,
    },
  };
}
