import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Test outcome of a production order’s boards.' })
export class TestSummary {
  @Field(() => Int, { description: 'Runs, retests included.' })
  runCount!: number;

  @Field(() => Int)
  failedRunCount!: number;

  @Field(() => Int, { description: 'Boards with at least one run.' })
  boardCount!: number;

  @Field(() => Int, { description: 'Boards whose first attempt of every test type passed.' })
  firstPassBoardCount!: number;

  @Field(() => Float, { nullable: true, description: 'firstPassBoardCount / boardCount, 0..1; null when no board was tested.' })
  firstPassRate!: number | null;
}
