import { Field, GraphQLISODateTime, InterfaceType } from 'type-graphql';
import { AiFieldStatus } from './ai-field-status';

/**
 * What every AI-computed field says besides its figures: where it stands and which model made it.
 * Each AI field's object type extends it and implements it in the schema.
 */
@InterfaceType({ description: 'What every AI-computed field says: where it stands and which model made it.' })
export abstract class AiField {
  @Field(() => AiFieldStatus)
  status!: AiFieldStatus;

  @Field(() => String, { nullable: true, description: 'Why the status is PENDING, FAILED or NOT_APPLICABLE.' })
  reason!: string | null;

  @Field()
  modelName!: string;

  @Field()
  modelVersion!: string;

  @Field(() => GraphQLISODateTime, { nullable: true })
  computedAt!: Date | null;
}
