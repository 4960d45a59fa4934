import { Field, InputType } from 'type-graphql';

@InputType({ description: 'Narrows the pads of an inspection; Opcenter applies it.' })
export class SpiPadFilter {
  @Field(() => Boolean, { nullable: true, description: 'Only pads that failed the SPI rule.' })
  onlyOutOfSpec?: boolean;

  @Field(() => String, { nullable: true })
  referenceDesignator?: string;

  @Field(() => String, { nullable: true })
  packageType?: string;
}
