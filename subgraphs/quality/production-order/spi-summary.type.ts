import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: "Solder paste inspection figures of one production order's boards." })
export class SpiSummary {
  @Field(() => Int, { description: 'Boards with at least one SPI inspection.' })
  inspectedBoards!: number;

  @Field(() => Int, { description: 'Boards with at least one failed SPI inspection.' })
  failedBoards!: number;

  @Field(() => Float, { description: 'failedBoards / inspectedBoards, 0..1 (0 when none were inspected).' })
  failRate!: number;
}
