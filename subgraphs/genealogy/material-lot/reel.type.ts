import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType('MaterialReel', { description: 'A reel, tray or tube of one material lot, loaded on feeders.' })
export class Reel {
  @Field(() => ID, { description: 'Reel NId.' })
  id!: string;

  @Field({ description: "'Reel', 'Tray' or 'Tube'." })
  carrierType!: string;

  @Field(() => Int, { description: 'Parts left.' })
  quantity!: number;

  @Field(() => Int)
  initialQuantity!: number;
}
