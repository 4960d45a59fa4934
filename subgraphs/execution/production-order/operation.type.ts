import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One routing step of a production order (print and SPI, placement, reflow, AOI, test, box build).' })
export class Operation {
  @Field(() => ID, { description: 'Opcenter operation NId, e.g. `WO0026001-0020`.' })
  id!: string;

  @Field()
  name!: string;

  @Field(() => Int)
  sequence!: number;

  @Field({ description: '`NotStarted`, `Active` or `Completed`.' })
  status!: string;

  @Field(() => ID)
  workCenterId!: string;

  @Field(() => Int)
  processedQuantity!: number;

  @Field(() => Date, { nullable: true })
  actualStart!: Date | null;

  @Field(() => Date, { nullable: true })
  actualEnd!: Date | null;
}
