import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'Narrows `productionOrders`; every field given must match.' })
export class ProductionOrderFilter {
  @Field(() => String, { nullable: true, description: '`Released`, `Active`, `Completed` or `Aborted`.' })
  status?: string;

  @Field(() => ID, { nullable: true })
  lineId?: string;

  @Field(() => ID, { nullable: true, description: 'Part number of the product.' })
  productId?: string;
}
