import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The execution subgraph's `ProductionOrder`; this subgraph adds its test summary. */
@Directive('@key(fields: "id")')
@ObjectType()
export class ProductionOrder {
  @Field(() => ID)
  id!: string;
}
