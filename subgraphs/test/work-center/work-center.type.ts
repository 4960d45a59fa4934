import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The execution subgraph's `WorkCenter`, referenced by key only (this subgraph cannot resolve it). */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class WorkCenter {
  @Field(() => ID)
  id!: string;
}
