import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../shared';
import { loadWorkCenter } from '../work-center/load-work-center';
import { WorkCenter } from '../work-center/work-center.type';
import { Operation } from './operation.type';

@Resolver(() => Operation)
export class OperationResolver {
  @FieldResolver(() => WorkCenter, { nullable: true })
  workCenter(@Root() operation: Operation, @Ctx() ctx: SubgraphContext): Promise<WorkCenter | null> {
    return loadWorkCenter(ctx, operation.workCenterId);
  }
}
