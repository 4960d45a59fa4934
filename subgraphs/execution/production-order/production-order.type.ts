import { Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A production (work) order: one product revision, a planned quantity, run on one line.' })
export class ProductionOrder {
  @Field(() => ID, { description: 'Opcenter order number (NId), e.g. `WO0026001`.' })
  id!: string;

  @Field()
  name!: string;

  @Field({ description: '`Released`, `Active`, `Completed` or `Aborted`.' })
  status!: string;

  @Field(() => ID, { description: 'Part number of the product made.' })
  productId!: string;

  @Field()
  productRevision!: string;

  @Field(() => Int)
  plannedQuantity!: number;

  @Field(() => Int)
  producedQuantity!: number;

  @Field(() => Int)
  scrappedQuantity!: number;

  @Field(() => Float, { description: 'Target first-pass yield, 0..1.' })
  targetYield!: number;

  @Field(() => Int, { description: '1 is the most urgent.' })
  priority!: number;

  @Field()
  customer!: string;

  @Field(() => ID, { description: 'NId of the line the order runs on.' })
  lineId!: string;

  @Field()
  plannedStart!: Date;

  @Field()
  plannedEnd!: Date;

  @Field(() => Date, { nullable: true })
  actualStart!: Date | null;

  @Field(() => Date, { nullable: true })
  actualEnd!: Date | null;

  @Field()
  dueDate!: Date;

  @Field()
  createdOn!: Date;
}
