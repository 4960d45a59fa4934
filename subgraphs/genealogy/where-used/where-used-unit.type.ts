import { Field, Int, ObjectType } from 'type-graphql';
import { Connection } from '../../shared';
import { Board } from '../board/board.type';
import { GenealogyLink } from './genealogy-link.type';

@ObjectType({ description: 'A unit that contains material of a lot, with the links from the lot to it.' })
export class WhereUsedUnit {
  @Field(() => Board)
  board!: Board;

  @Field(() => Int, { description: '0: consumed the lot directly; n: through n levels of sub-assemblies.' })
  level!: number;

  @Field(() => [GenealogyLink], { description: 'From the lot to this unit: the first link consumes the lot, the last is this unit.' })
  path!: GenealogyLink[];
}

/** A page of where-used units. */
export const WhereUsedConnection = Connection(WhereUsedUnit, 'WhereUsed');
