import {
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { GatewayLimits } from './config';
import { BadUserInputError, QueryTooComplexError, QueryTooDeepError } from './errors';

/** What the gateway measured of one operation. */
export interface OperationMeasure {
  /** Deepest field nesting (a top-level field is depth 1). */
  depth: number;
  /**
   * Static cost: every field costs 1, times the product of the page sizes of the lists it is inside.
   * A field with a `first` argument is a page of `first` items (the default page size when absent);
   * a list field without one counts as the default page size, except the `edges`/`nodes` lists
   * directly inside a paginated field, which are that same page.
   */
  cost: number;
  /** The first `first` argument above the maximum, if any. */
  oversizedPage?: { coordinate: string; first: number };
}

type Limits = Pick<GatewayLimits, 'maxDepth' | 'maxCost' | 'maxPageSize' | 'defaultPageSize'>;

/** Measures an operation; introspection fields (`__schema`, `__typename`, ...) are free. */
export function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  limits: Limits,
): OperationMeasure {
  const measure: OperationMeasure = { depth: 0, cost: 0 };
  const root = schema.getRootType(operation.operation);
  if (!root) return measure;

  const visit = (selectionSet: SelectionSetNode, parent: GraphQLNamedType, depth: number, multiplier: number, inPage: boolean) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        visit(selection.selectionSet, type ?? parent, depth, multiplier, inPage);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments[selection.name.value];
        const type = fragment && schema.getType(fragment.typeCondition.name.value);
        if (fragment && type) visit(fragment.selectionSet, type, depth, multiplier, inPage);
      } else if (!selection.name.value.startsWith('__')) {
        const field = fieldOf(parent, selection.name.value);
        measure.depth = Math.max(measure.depth, depth);
        measure.cost += multiplier;
        if (!field) continue;
        const first = pageSize(field, selection, variables);
        if (first !== undefined && first > limits.maxPageSize && !measure.oversizedPage) {
          measure.oversizedPage = { coordinate: `${parent.name}.${field.name}`, first };
        }
        if (!selection.selectionSet) continue;
        const paginated = field.args.some((arg) => arg.name === 'first');
        const list = isListType(getNullableType(field.type));
        const factor = paginated ? (first ?? limits.defaultPageSize) : list && !inPage ? limits.defaultPageSize : 1;
        visit(selection.selectionSet, getNamedType(field.type), depth + 1, multiplier * Math.max(factor, 1), paginated);
      }
    }
  };
  visit(operation.selectionSet, root, 1, 1, false);
  return measure;
}

/** The first limit an operation breaks, as the error to send, or undefined when it is within all of them. */
export function checkOperationLimits(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  limits: Limits,
): GraphQLError | undefined {
  const measure = measureOperation(schema, operation, fragments, variables, limits);
  if (measure.oversizedPage) {
    const { coordinate, first } = measure.oversizedPage;
    return new BadUserInputError(`"first" on ${coordinate} is ${first}; the maximum page size is ${limits.maxPageSize}.`, 'first');
  }
  if (measure.depth > limits.maxDepth) return new QueryTooDeepError(measure.depth, limits.maxDepth);
  if (measure.cost > limits.maxCost) return new QueryTooComplexError(measure.cost, limits.maxCost);
  return undefined;
}

function fieldOf(parent: GraphQLNamedType, name: string): GraphQLField<unknown, unknown> | undefined {
  return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
}

function pageSize(
  field: GraphQLField<unknown, unknown>,
  node: FieldNode,
  variables: Record<string, unknown>,
): number | undefined {
  const argument = node.arguments?.find((arg) => arg.name.value === 'first');
  if (argument) return numberOf(argument.value, variables);
  const declared = field.args.find((arg) => arg.name === 'first')?.defaultValue;
  return typeof declared === 'number' ? declared : undefined;
}

function numberOf(value: ValueNode, variables: Record<string, unknown>): number | undefined {
  if (value.kind === Kind.INT) return Number.parseInt(value.value, 10);
  if (value.kind === Kind.VARIABLE) {
    const bound = variables[value.name.value];
    return typeof bound === 'number' ? bound : undefined;
  }
  return undefined;
}
