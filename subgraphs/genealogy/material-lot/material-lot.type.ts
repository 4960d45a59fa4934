import { Directive, Field, Float, GraphQLISODateTime, ID, ObjectType } from 'type-graphql';
import { Connection } from '../../shared';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A received lot of one component from one supplier (Opcenter MaterialLot).' })
export class MaterialLot {
  @Field(() => ID, { description: 'Lot NId.' })
  id!: string;

  @Field({ description: 'Part number (Opcenter MaterialNId).' })
  partNumber!: string;

  @Field()
  supplier!: string;

  @Field()
  manufacturer!: string;

  @Field()
  manufacturerPartNumber!: string;

  @Field(() => Float, { description: 'Quantity left, in unitOfMeasure.' })
  quantity!: number;

  @Field(() => Float)
  initialQuantity!: number;

  @Field()
  unitOfMeasure!: string;

  @Field(() => String, { nullable: true, description: "J-STD-020 level: '1', '2', '2a', '3', ..." })
  moistureSensitivityLevel!: string | null;

  @Field({ description: 'YYWW.' })
  dateCode!: string;

  @Field(() => GraphQLISODateTime)
  receivedOn!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the dry pack was opened (floor life starts).' })
  openedOn!: Date | null;

  @Field({ description: "'Released', 'Quarantined' or 'Exhausted'." })
  status!: string;
}

/** A page of lots. */
export const MaterialLotConnection = Connection(MaterialLot);
