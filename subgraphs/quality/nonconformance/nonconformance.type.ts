import { Field, Float, GraphQLISODateTime, ID, ObjectType } from 'type-graphql';
import { Connection } from '../../shared';

@ObjectType({ description: 'A nonconformance record (NCR) in Opcenter, entered by hand or drafted by the AI layer.' })
export class Nonconformance {
  @Field(() => ID, { description: 'Opcenter NCR number (NId).' })
  id!: string;

  @Field()
  title!: string;

  @Field()
  description!: string;

  @Field({ description: "'PendingReview', 'Open', 'Closed' or 'Rejected'." })
  status!: string;

  @Field({ description: "'Minor', 'Major' or 'Critical'." })
  severity!: string;

  @Field(() => String, { nullable: true })
  defectType!: string | null;

  @Field(() => [String])
  referenceDesignators!: string[];

  @Field(() => String, { nullable: true })
  likelyCause!: string | null;

  @Field({ description: "'Manual' or 'AI'." })
  source!: string;

  @Field(() => String, { nullable: true, description: 'Model that drafted it (AI only).' })
  modelName!: string | null;

  @Field(() => String, { nullable: true })
  modelVersion!: string | null;

  @Field(() => Float, { nullable: true, description: "The model's confidence, 0..1 (AI only)." })
  confidence!: number | null;

  @Field()
  createdBy!: string;

  @Field(() => GraphQLISODateTime)
  createdOn!: Date;

  /** Serial number of the board it concerns, if any; exposed as `board`. */
  serialNumber!: string | null;

  /** NId of the production order it concerns, if any; exposed as `productionOrder`. */
  workOrderId!: string | null;
}

/** A page of NCRs. */
export const NonconformanceConnection = Connection(Nonconformance);
