import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { AiField } from '../../shared';

/** How worried to be about a board. */
export enum RiskLevel {
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
}
registerEnumType(RiskLevel, { name: 'RiskLevel', description: 'HIGH: at or above the model\'s operating threshold; MEDIUM: above a third of it.' });

/** A predicted solder-joint defect type. */
export enum PredictedDefectType {
  BRIDGING = 'BRIDGING',
  INSUFFICIENT_SOLDER = 'INSUFFICIENT_SOLDER',
  OPEN = 'OPEN',
}
registerEnumType(PredictedDefectType, { name: 'PredictedDefectType' });

@ObjectType({ description: 'A pad the model thinks may fail, with the defect it would likely be.' })
export class PredictedPadDefect {
  @Field({ description: "Pad id, '<RefDes>-<pin>' as SpiPad.padId." })
  padId!: string;

  @Field()
  referenceDesignator!: string;

  @Field(() => Float, { description: 'Probability that the joint becomes any solder defect.' })
  probability!: number;

  @Field(() => PredictedDefectType)
  defectType!: PredictedDefectType;
}

@ObjectType({ description: 'A component (reference designator) the model thinks may fail: any of its pads.' })
export class PredictedComponentDefect {
  @Field()
  referenceDesignator!: string;

  @Field(() => Float)
  probability!: number;

  @Field(() => PredictedDefectType)
  defectType!: PredictedDefectType;

  @Field(() => Int, { description: 'Pads of the component on this board.' })
  pads!: number;
}

@ObjectType({ implements: AiField, description: "A board's risk of solder-joint defects, predicted from its SPI measurements before reflow (model spi-defect-risk)." })
export class DefectRisk extends AiField {
  @Field(() => Float, { nullable: true, description: 'Probability that at least one pad becomes a defect (0..1).' })
  score!: number | null;

  @Field(() => RiskLevel, { nullable: true })
  level!: RiskLevel | null;

  @Field(() => [PredictedPadDefect], { description: 'The riskiest pads, riskiest first (at most 5).' })
  predictedDefects!: PredictedPadDefect[];

  @Field(() => [PredictedComponentDefect], { description: 'The riskiest reference designators, riskiest first (at most 5).' })
  components!: PredictedComponentDefect[];

  @Field(() => String, { nullable: true, description: 'A cause an engineer can act on, when the features point at one.' })
  likelyCause!: string | null;
}
