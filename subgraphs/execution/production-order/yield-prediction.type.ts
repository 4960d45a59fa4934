import { Field, Float, ObjectType } from 'type-graphql';
import { AiField, AiFieldStatus, type AiAnswer } from '../../shared';

@ObjectType({ implements: AiField, description: "An order's expected final first-pass yield with a 90 % interval (model yield-predictor)." })
export class YieldPrediction extends AiField {
  @Field(() => Float, { nullable: true, description: 'Expected final first-pass yield (0..1).' })
  value!: number | null;

  @Field(() => Float, { nullable: true, description: 'Lower end of the 90 % interval (0..1).' })
  lower!: number | null;

  @Field(() => Float, { nullable: true, description: 'Upper end of the 90 % interval (0..1).' })
  upper!: number | null;

  @Field(() => Float, { nullable: true, description: "The order's yield target (0..1)." })
  target!: number | null;
}

/** An AI answer for an order as its YieldPrediction field. */
export function toYieldPrediction(answer: AiAnswer): YieldPrediction {
  const prediction = Object.assign(new YieldPrediction(), {
    status: AiFieldStatus[answer.status],
    reason: answer.status === 'READY' ? null : answer.reason,
    value: null,
    lower: null,
    upper: null,
    target: null,
    modelName: 'yield-predictor',
    modelVersion: answer.status === 'PENDING' ? answer.modelVersion : (answer.insight?.modelVersion ?? ''),
    computedAt: answer.status !== 'PENDING' && answer.insight ? new Date(answer.insight.computedAt) : null,
  });
  if (answer.status === 'READY') Object.assign(prediction, answer.insight.value as { value: number; lower: number; upper: number; target: number });
  return prediction;
}
