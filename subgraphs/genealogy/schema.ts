import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema, type SubgraphContext } from '../shared';
import { AsBuiltComponentResolver } from './board/as-built-component.resolver';
import { resolveBoardReference } from './board/board.reference';
import { BoardResolver } from './board/board.resolver';
import { resolveMaterialLotReference } from './material-lot/material-lot.reference';
import { MaterialLotResolver } from './material-lot/material-lot.resolver';
import { RecallImpactResolver } from './recall/recall-impact.resolver';
import { WhereUsedResolver } from './where-used/where-used.resolver';

/** The genealogy subgraph: material lots, where-used, as-built and recall impact. */
export async function buildSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    { resolvers: [MaterialLotResolver, WhereUsedResolver, BoardResolver, AsBuiltComponentResolver, RecallImpactResolver] },
    {
      Board: { __resolveReference: resolveBoardReference },
      MaterialLot: {
        __resolveReference: (reference: { id: string }, ctx: SubgraphContext) => resolveMaterialLotReference(reference, ctx),
      },
    },
  );
}
