import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The execution subgraph's board (any serialized unit), extended here with what went into it. */
@Directive('@key(fields: "serialNumber")')
@ObjectType({ description: 'A serialized unit (PCBA or box build); owned by the execution subgraph.' })
export class Board {
  @Field(() => ID)
  serialNumber!: string;
}

/** A Board reference by serial number. */
export function boardOf(serialNumber: string): Board {
  return Object.assign(new Board(), { serialNumber });
}
