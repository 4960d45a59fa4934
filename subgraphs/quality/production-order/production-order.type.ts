import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The execution subgraph's production order (`id` is the Opcenter order NId), extended with SPI figures. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A production order; owned by the execution subgraph.' })
export class ProductionOrder {
  @Field(() => ID)
  id!: string;
}
