import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'Narrows `testRuns`; every field given must match.' })
export class TestRunFilter {
  @Field(() => String, { nullable: true, description: '`Pass` or `Fail`.' })
  result?: string;

  @Field(() => String, { nullable: true, description: '`ICT` or `FCT`.' })
  testType?: string;

  @Field(() => ID, { nullable: true, description: 'NId of the test station.' })
  stationId?: string;

  @Field(() => ID, { nullable: true })
  serialNumber?: string;

  @Field(() => ID, { nullable: true })
  productionOrderId?: string;
}
