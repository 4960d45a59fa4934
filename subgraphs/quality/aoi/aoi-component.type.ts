import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'The AOI result of one component, with the repair operator review of a call.' })
export class AoiComponent {
  @Field()
  referenceDesignator!: string;

  @Field({ description: 'Part number.' })
  materialId!: string;

  @Field()
  packageType!: string;

  @Field({ description: "'Pass' or 'Fail' (a defect call)." })
  result!: string;

  @Field(() => String, { nullable: true, description: "e.g. 'Bridging', 'InsufficientSolder', 'Missing'; calls only." })
  defectCode!: string | null;

  @Field(() => String, { nullable: true, description: "'Confirmed' or 'FalseCall'; calls only." })
  reviewVerdict!: string | null;
}
