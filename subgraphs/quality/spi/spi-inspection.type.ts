import { Field, GraphQLISODateTime, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Solder paste inspection of one board after printing, with its print context.' })
export class SpiInspection {
  /** Opcenter's GUID of the inspection (narrows its pads); not exposed. */
  guid!: string;

  @Field(() => ID, { description: 'Opcenter inspection number (NId).' })
  id!: string;

  @Field(() => ID)
  serialNumber!: string;

  @Field(() => GraphQLISODateTime)
  inspectedOn!: Date;

  @Field({ description: 'The SPI machine.' })
  machineId!: string;

  @Field()
  lineId!: string;

  @Field()
  stencilId!: string;

  @Field(() => Int, { description: 'Prints since the last stencil wipe.' })
  printsSinceWipe!: number;

  @Field({ description: "'Front' or 'Rear'." })
  squeegeeDirection!: string;

  @Field({ description: "'A' (06-14 UTC), 'B' (14-22) or 'C' (22-06)." })
  shift!: string;

  @Field({ description: "'Pass' or 'Fail'." })
  result!: string;

  @Field(() => Int)
  padCount!: number;

  @Field(() => Int)
  failedPadCount!: number;
}
