import { Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'One in-circuit (ICT) or functional (FCT) test run of one board; retests are runs of their own.' })
export class TestRun {
  @Field(() => ID, { description: 'Opcenter test run NId, e.g. `GWM261118000001-ICT-1`.' })
  id!: string;

  /** Opcenter's GUID of the run, which its steps refer to (not exposed). */
  guid!: string;

  @Field({ description: '`ICT` or `FCT`.' })
  testType!: string;

  @Field(() => ID, { description: 'NId of the test station (equipment).' })
  stationId!: string;

  @Field(() => ID, { nullable: true, description: 'ICT fixture NId; null for FCT.' })
  fixtureId!: string | null;

  @Field()
  programVersion!: string;

  @Field(() => String, { nullable: true, description: 'Firmware under test (FCT).' })
  firmwareVersion!: string | null;

  @Field(() => Int, { description: '1 for the first run of this test type on the board, 2 for the first retest, ...' })
  attempt!: number;

  @Field()
  startedOn!: Date;

  @Field(() => Float)
  durationSeconds!: number;

  @Field({ description: '`Pass` or `Fail`.' })
  result!: string;

  @Field(() => Int)
  stepCount!: number;

  @Field(() => Int)
  failedStepCount!: number;

  @Field(() => ID)
  serialNumber!: string;

  @Field(() => ID, { description: 'Order number of the board’s production order.' })
  productionOrderId!: string;
}
