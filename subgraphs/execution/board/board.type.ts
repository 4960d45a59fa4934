import { Directive, Field, ID, ObjectType } from 'type-graphql';

@Directive('@key(fields: "serialNumber")')
@ObjectType({ description: 'A serialized unit (Opcenter MaterialTrackingUnit): a PCBA or a box build.' })
export class Board {
  @Field(() => ID, { description: 'Serial number (the unit’s NId).' })
  serialNumber!: string;

  @Field({ description: '`Board` or `BoxBuild`.' })
  unitType!: string;

  @Field(() => ID, { description: 'Part number of the unit.' })
  productId!: string;

  @Field()
  productRevision!: string;

  @Field({ description: '`InProcess`, `Completed`, `Scrapped` or `Consumed`.' })
  status!: string;

  @Field()
  isOnHold!: boolean;

  @Field(() => String, { nullable: true })
  holdReason!: string | null;

  @Field()
  createdOn!: Date;

  @Field(() => Date, { nullable: true })
  completedOn!: Date | null;

  @Field(() => ID, { nullable: true, description: 'The panel the board was built in.' })
  panelId!: string | null;

  @Field(() => ID)
  lineId!: string;

  @Field(() => ID, { description: 'Order number of the unit’s production order.' })
  productionOrderId!: string;
}
