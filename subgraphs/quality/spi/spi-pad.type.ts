import { Field, Float, ObjectType } from 'type-graphql';
import { Connection } from '../../shared';

@ObjectType({ description: 'Paste measured on one pad by SPI. Percentages are of the nominal deposit.' })
export class SpiPad {
  @Field({ description: "'<ReferenceDesignator>-<pin>'." })
  padId!: string;

  @Field()
  referenceDesignator!: string;

  @Field()
  pinNumber!: string;

  @Field({ description: "Land pattern, e.g. '0402', 'QFN-48', 'BGA-256'." })
  packageType!: string;

  @Field({ description: "'Rectangle', 'Round' or 'Oblong'." })
  padShape!: string;

  @Field(() => Float, { description: 'Pad size in X, µm.' })
  padSizeXUm!: number;

  @Field(() => Float, { description: 'Pad size in Y, µm.' })
  padSizeYUm!: number;

  @Field(() => Float, { description: 'Pitch, µm.' })
  pitchUm!: number;

  @Field(() => Float, { description: 'Stencil aperture area ratio.' })
  apertureAreaRatio!: number;

  @Field(() => Float)
  volumePct!: number;

  @Field(() => Float)
  areaPct!: number;

  @Field(() => Float)
  heightUm!: number;

  @Field(() => Float)
  offsetXUm!: number;

  @Field(() => Float)
  offsetYUm!: number;

  @Field({ description: "'Pass' or 'Fail'." })
  result!: string;
}

/** A page of pads. */
export const SpiPadConnection = Connection(SpiPad);
