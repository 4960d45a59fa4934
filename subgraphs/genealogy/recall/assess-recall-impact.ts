import type { OpcenterClient } from '../../../opcenter/client';
import { text, type OpcenterRow } from '../../shared';
import { productionOrderOf } from '../production-order/production-order.type';
import { walkWhereUsed } from '../where-used/walk-where-used';
import { RecallImpact, RecallOrderImpact, RecallStatusCount } from './recall-impact.type';

/** Walks the where-used genealogy of the lots together and counts the units it reaches. */
export async function assessRecallImpact(opcenter: OpcenterClient, lotIds: readonly string[]): Promise<RecallImpact> {
  const walked = await walkWhereUsed(opcenter, lotIds);
  const serials = [...new Set([...walked.values()].flatMap((units) => units.map((unit) => unit.board.serialNumber)))];
  const units = await opcenter.getMany<OpcenterRow>('board', 'serialNumber', serials, {
    select: ['serialNumber', 'unitType', 'status', 'workOrderId'],
  });

  const statuses = new Map<string, number>();
  const orders = new Map<string, { boards: number; boxBuilds: number }>();
  let boards = 0;
  let boxBuilds = 0;
  for (const unit of units) {
    const isBoxBuild = unit.unitType === 'BoxBuild';
    const order = orders.get(text(unit.workOrderId)) ?? { boards: 0, boxBuilds: 0 };
    orders.set(text(unit.workOrderId), order);
    if (isBoxBuild) {
      boxBuilds += 1;
      order.boxBuilds += 1;
    } else {
      boards += 1;
      order.boards += 1;
      statuses.set(text(unit.status), (statuses.get(text(unit.status)) ?? 0) + 1);
    }
  }

  return Object.assign(new RecallImpact(), {
    lotIds: [...lotIds],
    totalBoards: boards,
    boxBuildsAffected: boxBuilds,
    boardsByStatus: [...statuses]
      .map(([status, count]) => Object.assign(new RecallStatusCount(), { status, count }))
      .sort((a, b) => b.count - a.count || a.status.localeCompare(b.status)),
    productionOrders: [...orders]
      .map(([id, counts]) =>
        Object.assign(new RecallOrderImpact(), { productionOrder: productionOrderOf(id), boardCount: counts.boards, boxBuildCount: counts.boxBuilds }),
      )
      .sort((a, b) => b.boardCount + b.boxBuildCount - (a.boardCount + a.boxBuildCount) || a.productionOrder.id.localeCompare(b.productionOrder.id)),
  });
}
