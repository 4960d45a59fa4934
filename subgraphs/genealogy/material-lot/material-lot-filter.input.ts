import { Field, InputType } from 'type-graphql';

@InputType({ description: 'Narrows lots; every field given must match exactly.' })
export class MaterialLotFilter {
  @Field(() => String, { nullable: true })
  partNumber?: string;

  @Field(() => String, { nullable: true })
  supplier?: string;
}
