import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType } from 'type-graphql';
import { Board } from './board.type';

@ObjectType({ description: 'What went in at one reference designator (or, without one, a BOM line such as the bare PCB).' })
export class AsBuiltComponent {
  @Field(() => String, { nullable: true, description: 'Null for material not placed at a designator.' })
  referenceDesignator!: string | null;

  @Field()
  partNumber!: string;

  @Field(() => ID, { nullable: true, description: 'The lot; `lot` resolves it.' })
  lotId!: string | null;

  @Field(() => ID, { nullable: true })
  reelId!: string | null;

  @Field(() => String, { nullable: true, description: 'The routing operation that consumed it.' })
  operationId!: string | null;

  @Field(() => String, { nullable: true, description: 'Placement machine (or the machine that consumed it).' })
  machineId!: string | null;

  @Field(() => Int, { nullable: true })
  feederSlot!: number | null;

  @Field(() => String, { nullable: true })
  nozzleId!: string | null;

  @Field(() => Int, { nullable: true, description: 'Pick attempts the placement took.' })
  pickAttempts!: number | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  placedOn!: Date | null;
}

@ObjectType({ description: 'A unit built into this one (a board in a box build).' })
export class ConsumedUnit {
  @Field(() => Board)
  board!: Board;

  @Field(() => [String])
  referenceDesignators!: string[];

  @Field(() => String, { nullable: true })
  operationId!: string | null;

  @Field(() => Float)
  quantity!: number;
}

@ObjectType({ description: 'What a unit was built from: per reference designator the lot, reel and placement, and the units it consumed.' })
export class AsBuilt {
  @Field(() => [AsBuiltComponent], { description: 'Ordered by reference designator; unplaced material last.' })
  components!: AsBuiltComponent[];

  @Field(() => [ConsumedUnit], { description: 'Sub-assemblies built in (box builds); empty for a board.' })
  consumedUnits!: ConsumedUnit[];
}
