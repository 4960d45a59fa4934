import type { EdmNavigation, EdmType } from '../../model/edm';

/** The comparison operators of `$filter`. */
export type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

/** The canonical functions `$filter` and `$orderby` support. */
export type FilterFunctionName =
  | 'contains'
  | 'startswith'
  | 'endswith'
  | 'tolower'
  | 'toupper'
  | 'length'
  | 'trim'
  | 'indexof'
  | 'year'
  | 'month'
  | 'day'
  | 'hour';

/** One single-valued (or, last in a lambda, collection) navigation followed by a path. */
export interface NavigationStep {
  readonly name: string;
  readonly navigation: EdmNavigation;
}

/** A literal; `type` is null for `null`. GUIDs are lower-cased; dates keep their literal text. */
export interface LiteralNode {
  readonly kind: 'literal';
  readonly type: EdmType | null;
  readonly value: string | number | boolean | null;
}

/**
 * A primitive property of the row (`variable` null), or of a lambda variable, reached through zero
 * or more single-valued navigations. `path` is the text as written, for messages.
 */
export interface PropertyNode {
  readonly kind: 'property';
  readonly variable: string | null;
  readonly navigations: readonly NavigationStep[];
  readonly name: string;
  readonly type: EdmType;
  readonly path: string;
}

export interface ComparisonNode {
  readonly kind: 'comparison';
  readonly operator: ComparisonOperator;
  readonly left: FilterNode;
  readonly right: FilterNode;
}

/** `and` / `or` over two or more Boolean operands, left to right. */
export interface LogicalNode {
  readonly kind: 'and' | 'or';
  readonly operands: readonly FilterNode[];
}

export interface NotNode {
  readonly kind: 'not';
  readonly operand: FilterNode;
}

/** `operand in (v1, v2, ...)`. */
export interface InNode {
  readonly kind: 'in';
  readonly operand: FilterNode;
  readonly values: readonly LiteralNode[];
}

export interface FunctionNode {
  readonly kind: 'function';
  readonly name: FilterFunctionName;
  readonly args: readonly FilterNode[];
  readonly type: EdmType;
}

/**
 * `Path/Collection/any(p: predicate)` or `.../all(...)`: `navigations` are the single-valued steps
 * before the collection; `parameter` and `predicate` are null for a bare `any()`.
 */
export interface LambdaNode {
  readonly kind: 'lambda';
  readonly quantifier: 'any' | 'all';
  readonly variable: string | null;
  readonly navigations: readonly NavigationStep[];
  readonly collection: NavigationStep;
  readonly parameter: string | null;
  readonly predicate: FilterNode | null;
}

/** A typed `$filter` (or `$orderby`) expression, validated against the entity model. */
export type FilterNode =
  | LiteralNode
  | PropertyNode
  | ComparisonNode
  | LogicalNode
  | NotNode
  | InNode
  | FunctionNode
  | LambdaNode;

/** The EDM type an expression evaluates to (null for the `null` literal). */
export function typeOfNode(node: FilterNode): EdmType | null {
  switch (node.kind) {
    case 'literal':
      return node.type;
    case 'property':
    case 'function':
      return node.type;
    case 'comparison':
    case 'and':
    case 'or':
    case 'not':
    case 'in':
    case 'lambda':
      return 'Edm.Boolean';
  }
}
