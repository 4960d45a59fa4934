import { Field, GraphQLISODateTime, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Automated optical inspection of one board after reflow.' })
export class AoiInspection {
  /** Opcenter's GUID of the inspection (narrows its components); not exposed. */
  guid!: string;

  @Field(() => ID, { description: 'Opcenter inspection number (NId).' })
  id!: string;

  @Field(() => ID)
  serialNumber!: string;

  @Field(() => GraphQLISODateTime)
  inspectedOn!: Date;

  @Field({ description: 'The AOI machine.' })
  machineId!: string;

  @Field({ description: "The machine's call before review: 'Pass' or 'Fail'." })
  result!: string;

  @Field(() => Int)
  componentCount!: number;

  @Field(() => Int, { description: 'Components the machine called defective.' })
  defectCallCount!: number;

  @Field(() => Int, { description: 'Calls the repair operator confirmed.' })
  confirmedDefectCount!: number;
}
