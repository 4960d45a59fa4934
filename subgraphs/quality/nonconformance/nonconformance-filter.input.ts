import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'Narrows NCRs; every field given must match exactly.' })
export class NonconformanceFilter {
  @Field(() => String, { nullable: true, description: "'PendingReview', 'Open', 'Closed' or 'Rejected'." })
  status?: string;

  @Field(() => String, { nullable: true, description: "'Manual' or 'AI'." })
  source?: string;

  @Field(() => ID, { nullable: true })
  serialNumber?: string;

  @Field(() => ID, { nullable: true, description: 'Production order NId.' })
  productionOrderId?: string;
}
