/**
 * A small, typed description of an OData v4 entity model (EDM), enough for the emulator to serve
 * `$metadata`, evaluate queries and check the records that the simulator writes.
 */

/** The primitive types that the emulator serves. Dates travel as ISO 8601 strings in UTC. */
export type EdmType =
  | 'Edm.String'
  | 'Edm.Guid'
  | 'Edm.Int32'
  | 'Edm.Int64'
  | 'Edm.Double'
  | 'Edm.Boolean'
  | 'Edm.DateTimeOffset';

/** A property is either a bare type (not nullable) or a type marked nullable. */
export type EdmPropertyType = EdmType | { readonly type: EdmType; readonly nullable: true };

/** The TypeScript value of one EDM primitive type. */
export type TsScalar<T extends EdmType> = T extends 'Edm.Boolean'
  ? boolean
  : T extends 'Edm.Int32' | 'Edm.Int64' | 'Edm.Double'
    ? number
    : string;

/** The TypeScript value of one property, `null` included where nullable. */
export type TsOf<P extends EdmPropertyType> = P extends { type: infer T extends EdmType; nullable: true }
  ? TsScalar<T> | null
  : P extends EdmType
    ? TsScalar<P>
    : never;

/**
 * A navigation property: rows of `target` whose `targetField` equals this row's `localField`.
 * A single-valued navigation takes the first such row; a collection takes them all.
 */
export interface EdmNavigation {
  readonly target: string;
  readonly collection: boolean;
  readonly localField: string;
  readonly targetField: string;
}

/** One entity set as the emulator serves it. */
export interface EdmEntitySet {
  /** Entity set name, also used as the entity type name (as Opcenter does). */
  readonly name: string;
  /** Opcenter application that serves it: `/sit-svc/Application/{app}/odata/{name}`. */
  readonly app: string;
  /** Key property (always a single property). */
  readonly key: string;
  readonly description: string;
  readonly properties: Readonly<Record<string, EdmPropertyType>>;
  readonly navigations: Readonly<Record<string, EdmNavigation>>;
  /** Properties with an equality index in the emulator's store (the key is always indexed). */
  readonly indexed: readonly string[];
  /**
   * Rows generated on demand (per-pad SPI data, test steps, ...): a query must narrow the set with
   * `eq` or `in` on one of these properties, or reach it through a navigation from its parent.
   */
  readonly partitionedBy?: readonly string[];
}

/** The record type of an entity set, derived from its property map. */
export type RowOf<S extends { properties: Readonly<Record<string, EdmPropertyType>> }> = {
  -readonly [K in keyof S['properties']]: TsOf<S['properties'][K]>;
};

/** Marks a property type nullable. */
export function nullable<T extends EdmType>(type: T): { readonly type: T; readonly nullable: true } {
  return { type, nullable: true };
}

/** The primitive type of a property, nullable or not. */
export function edmTypeOf(property: EdmPropertyType): EdmType {
  return typeof property === 'string' ? property : property.type;
}

/** Whether a property may hold `null`. */
export function isNullable(property: EdmPropertyType): boolean {
  return typeof property !== 'string';
}

/** Declares an entity set, keeping its literal property map for `RowOf`. */
export function defineEntitySet<const S extends EdmEntitySet>(set: S): S {
  return set;
}
