import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The execution subgraph's board (any serialized unit), extended here with its inspections and NCRs. */
@Directive('@key(fields: "serialNumber")')
@ObjectType({ description: 'A serialized unit (PCBA or box build); owned by the execution subgraph.' })
export class Board {
  @Field(() => ID)
  serialNumber!: string;
}
