import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One measured step of a test run, with its limits.' })
export class TestStep {
  @Field(() => Int)
  sequence!: number;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true, description: 'The component the step measures, e.g. `R12`.' })
  referenceDesignator!: string | null;

  @Field(() => Float, { nullable: true })
  measuredValue!: number | null;

  @Field(() => Float, { nullable: true })
  lowLimit!: number | null;

  @Field(() => Float, { nullable: true })
  highLimit!: number | null;

  @Field()
  unit!: string;

  @Field()
  passed!: boolean;
}
