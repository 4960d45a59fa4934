import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Query, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { Alert as StoredAlert } from '../../../insights/alert-stream';
import { BadUserInputError, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type ConnectionPage, type SubgraphContext } from '../../shared';
import { Board } from '../board/board.type';
import { ProductionOrder } from '../production-order/production-order.type';
import { AlertFilter, matchesAlertFilter } from './alert-filter.input';
import { toAlert } from './alert.mapper';
import { alertStreamOf, alertStreamUnavailable, checkAfter, subscribeToAlerts } from './alert-source';
import { Alert, AlertConnection } from './alert.type';

@ArgsType()
class AlertHistoryArgs {
  @Field(() => Int, { nullable: true, description: `Page size, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).` })
  first?: number | null;

  @Field(() => ID, { nullable: true, description: 'Cursor (alert id) of the last alert already seen: the page holds older ones.' })
  after?: string | null;
}

interface SubscriptionArgs {
  filter?: AlertFilter | null;
  after?: string | null;
}

/** Alerts read per round trip while a filtered history page is being filled. */
const SCAN_PAGE = 200;

@Resolver(() => Alert)
export class AlertResolver {
  @Subscription(() => Alert, {
    description:
      'Alerts as the AI layer raises them. With `after` (an alert id), first every retained alert after it, then live ones, with no gap or repeat; ' +
      'without it, only alerts raised from now on. Resume after a disconnect with the id of the last alert received.',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, SubscriptionArgs, SubgraphContext>) =>
      subscribeToAlerts(alertStreamOf(context), checkAfter(args.after), args.filter),
  })
  alerts(
    @Root() alert: StoredAlert,
    @Arg('filter', () => AlertFilter, { nullable: true }) _filter?: AlertFilter,
    @Arg('after', () => ID, { nullable: true }) _after?: string,
  ): Alert {
    return toAlert(alert);
  }

  @Query(() => AlertConnection, {
    name: 'alerts',
    nullable: true,
    description: 'Recent alerts, newest first (as retained by the alert stream). Subscribe with `after` set to the first one to follow on live.',
  })
  async alertHistory(
    @Args() args: AlertHistoryArgs,
    @Arg('filter', () => AlertFilter, { nullable: true }) filter: AlertFilter | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ConnectionPage<Alert>> {
    const first = args.first ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
      throw new BadUserInputError(`first must be between 1 and ${MAX_PAGE_SIZE}; got ${first}.`, 'first');
    }
    const after = checkAfter(args.after);
    const stream = alertStreamOf(ctx);
    try {
      const found: StoredAlert[] = [];
      let cursor = after;
      for (;;) {
        const page = await stream.readBefore(cursor, filter ? SCAN_PAGE : first + 1);
        found.push(...page.filter((alert) => matchesAlertFilter(alert, filter)));
        if (found.length > first || page.length === 0 || !filter) break;
        cursor = page[page.length - 1]?.id ?? cursor;
      }
      const nodes = found.slice(0, first).map(toAlert);
      const edges = nodes.map((node) => ({ cursor: node.id, node }));
      return {
        edges,
        nodes,
        pageInfo: {
          hasNextPage: found.length > first,
          hasPreviousPage: after !== null,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges[edges.length - 1]?.cursor ?? null,
        },
        totalCount: filter ? null : await stream.length(),
      };
    } catch {
      throw alertStreamUnavailable();
    }
  }

  @FieldResolver(() => Board, { nullable: true, description: 'The board concerned, if any (its fields come from every subgraph).' })
  board(@Root() alert: Alert): Board | null {
    return alert.serialNumber ? Object.assign(new Board(), { serialNumber: alert.serialNumber }) : null;
  }

  @FieldResolver(() => ProductionOrder, { nullable: true, description: 'The production order concerned, if any.' })
  productionOrder(@Root() alert: Alert): ProductionOrder | null {
    return alert.orderId ? Object.assign(new ProductionOrder(), { id: alert.orderId }) : null;
  }
}
