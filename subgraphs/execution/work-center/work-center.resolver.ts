import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { Connection, ConnectionArgs, type ConnectionPage, loadPage, readOpcenter, type SubgraphContext } from '../../shared';
import { loadWorkCenter } from './load-work-center';
import { EQUIPMENT_FIELDS, toWorkCenter } from './work-center.mapper';
import { WorkCenter } from './work-center.type';

const WorkCenterConnection = Connection(WorkCenter);

@Resolver(() => WorkCenter)
export class WorkCenterResolver {
  @Query(() => WorkCenter, { nullable: true, description: 'A line, work center or machine by its Opcenter NId.' })
  workCenter(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext): Promise<WorkCenter | null> {
    return loadWorkCenter(ctx, id);
  }

  @Query(() => WorkCenterConnection, { nullable: true, description: 'The plant hierarchy, optionally one level or one line, ordered by NId.' })
  workCenters(
    @Args() args: ConnectionArgs,
    @Ctx() ctx: SubgraphContext,
    @Arg('level', () => String, { nullable: true, description: '`Line`, `WorkCenter` or `Machine`.' }) level?: string,
    @Arg('lineId', () => ID, { nullable: true }) lineId?: string,
  ): Promise<ConnectionPage<WorkCenter>> {
    const filter = { ...(level ? { level } : {}), ...(lineId ? { lineId } : {}) };
    return loadPage(ctx.opcenter, 'equipment', { filter, select: EQUIPMENT_FIELDS, orderBy: 'id' }, args, toWorkCenter);
  }

  @FieldResolver(() => WorkCenter, { nullable: true })
  parent(@Root() workCenter: WorkCenter, @Ctx() ctx: SubgraphContext): Promise<WorkCenter | null> | null {
    return workCenter.parentId ? loadWorkCenter(ctx, workCenter.parentId) : null;
  }

  @FieldResolver(() => [WorkCenter], { nullable: true, description: 'The equipment directly under this one, ordered by NId.' })
  async children(@Root() workCenter: WorkCenter, @Ctx() ctx: SubgraphContext): Promise<WorkCenter[]> {
    const rows = await readOpcenter(() => ctx.loader.loadMany('equipment', 'parentId', workCenter.id, EQUIPMENT_FIELDS));
    return rows.map(toWorkCenter).sort((a, b) => a.id.localeCompare(b.id));
  }

  @FieldResolver(() => WorkCenter, { nullable: true, description: 'The SMT line (or cell) this equipment belongs to.' })
  line(@Root() workCenter: WorkCenter, @Ctx() ctx: SubgraphContext): Promise<WorkCenter | null> | null {
    return workCenter.lineId ? loadWorkCenter(ctx, workCenter.lineId) : null;
  }
}
