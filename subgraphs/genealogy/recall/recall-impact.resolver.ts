import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { BadUserInputError, readOpcenter, type SubgraphContext } from '../../shared';
import { assessRecallImpact } from './assess-recall-impact';
import { RecallImpact } from './recall-impact.type';

/** Most lots one recall question may name. */
export const MAX_RECALL_LOTS = 50;

@Resolver(() => RecallImpact)
export class RecallImpactResolver {
  @Query(() => RecallImpact, { nullable: true, description: `Units and orders a recall of these lots (1 to ${MAX_RECALL_LOTS}) would reach.` })
  async recallImpact(@Arg('lotIds', () => [ID]) lotIds: string[], @Ctx() ctx: SubgraphContext): Promise<RecallImpact> {
    const unique = [...new Set(lotIds)];
    if (unique.length === 0 || unique.length > MAX_RECALL_LOTS) {
      throw new BadUserInputError(`lotIds must name 1 to ${MAX_RECALL_LOTS} lots; got ${unique.length}.`, 'lotIds');
    }
    return readOpcenter(() => assessRecallImpact(ctx.opcenter, unique));
  }
}
