import { Field, Float, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One line of the bill of materials of an order’s product revision.' })
export class BomItem {
  @Field(() => Int)
  sequence!: number;

  @Field(() => ID, { description: 'Part number of the component.' })
  componentId!: string;

  @Field(() => Float)
  quantity!: number;

  @Field(() => [String], { description: 'Where the component is placed, e.g. `["C1", "C2"]`; empty for unplaced parts.' })
  referenceDesignators!: string[];

  @Field({ description: '`Top` or `Bottom`.' })
  placementSide!: string;
}
