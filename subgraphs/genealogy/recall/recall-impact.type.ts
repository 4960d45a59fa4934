import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ProductionOrder } from '../production-order/production-order.type';

@ObjectType({ description: 'Affected boards in one status.' })
export class RecallStatusCount {
  @Field({ description: "Unit status: 'InProcess', 'Completed', 'Scrapped' or 'Consumed'." })
  status!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: 'Affected units of one production order.' })
export class RecallOrderImpact {
  @Field(() => ProductionOrder)
  productionOrder!: ProductionOrder;

  @Field(() => Int, { description: 'Affected boards (PCBAs) of the order.' })
  boardCount!: number;

  @Field(() => Int, { description: 'Affected box builds of the order.' })
  boxBuildCount!: number;
}

@ObjectType({ description: 'What a recall of some lots would reach: every unit that contains their material.' })
export class RecallImpact {
  @Field(() => [ID])
  lotIds!: string[];

  @Field(() => Int, { description: 'Affected boards (PCBAs), direct or built into box builds.' })
  totalBoards!: number;

  @Field(() => Int, { description: 'Affected box builds.' })
  boxBuildsAffected!: number;

  @Field(() => [RecallStatusCount], { description: 'Affected boards per status, largest first.' })
  boardsByStatus!: RecallStatusCount[];

  @Field(() => [RecallOrderImpact], { description: 'Orders with affected units, most affected first.' })
  productionOrders!: RecallOrderImpact[];
}
