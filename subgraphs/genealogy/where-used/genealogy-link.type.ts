import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One genealogy edge: a unit consumed material from a lot, or another unit (a board built into a box build).' })
export class GenealogyLink {
  @Field(() => ID, { description: 'The consuming unit.' })
  unitSerialNumber!: string;

  @Field(() => ID, { nullable: true, description: 'The lot consumed (component edges).' })
  consumedLotId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The unit consumed (sub-assembly edges).' })
  consumedSerialNumber!: string | null;

  @Field(() => [String], { description: 'Where on the unit it went.' })
  referenceDesignators!: string[];

  @Field(() => String, { nullable: true, description: 'The routing operation that consumed it.' })
  operationId!: string | null;
}
