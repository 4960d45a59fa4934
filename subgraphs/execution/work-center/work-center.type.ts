import { Directive, Field, ID, ObjectType } from 'type-graphql';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A piece of the plant hierarchy (Opcenter Equipment): an SMT line, a work center or a machine.' })
export class WorkCenter {
  @Field(() => ID, { description: 'Opcenter equipment NId, e.g. `L1-PLACE`.' })
  id!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field({ description: '`Line`, `WorkCenter` or `Machine`.' })
  level!: string;

  @Field({ description: 'e.g. `SmtLine`, `PlacementWorkCenter`, `ICT`.' })
  equipmentType!: string;

  @Field(() => String, { nullable: true })
  vendor!: string | null;

  @Field(() => String, { nullable: true })
  model!: string | null;

  @Field({ description: '`Available`, `Down` or `Maintenance`.' })
  status!: string;

  @Field(() => ID, { nullable: true })
  parentId!: string | null;

  @Field(() => ID, { nullable: true, description: 'NId of the line this equipment belongs to (its own for a line).' })
  lineId!: string | null;
}
