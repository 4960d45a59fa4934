import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The execution subgraph's production order (`id` is the Opcenter order NId); only referenced here. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType({ description: 'A production order; owned by the execution subgraph.' })
export class ProductionOrder {
  @Field(() => ID)
  id!: string;
}

/** A ProductionOrder reference by order NId. */
export function productionOrderOf(id: string): ProductionOrder {
  return Object.assign(new ProductionOrder(), { id });
}
