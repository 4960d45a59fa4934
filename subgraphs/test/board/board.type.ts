import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The execution subgraph's `Board`; this subgraph adds its test runs. */
@Directive('@key(fields: "serialNumber")')
@ObjectType()
export class Board {
  @Field(() => ID)
  serialNumber!: string;
}
