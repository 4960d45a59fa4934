import type { EntityStore, Row } from '../store/entity-store';
import type {
  ComparisonNode,
  ComparisonOperator,
  FilterNode,
  FunctionNode,
  InNode,
  LambdaNode,
  NavigationStep,
  PropertyNode,
} from './filter-ast';
import { typeOfNode } from './filter-ast';
import { familyOf, type ValueFamily } from './filter-types';
import { navigationRows } from './navigation';

/** A compiled `$filter`: true when the row matches. */
export type RowPredicate = (row: Row) => boolean;

/** A compiled value expression (a `$orderby` key): the value for one row, null when absent. */
export type RowValue = (row: Row) => unknown;

type Evaluator = (row: Row, vars: Row[]) => unknown;
type Normalizer = (value: unknown) => unknown;

interface CompileContext {
  readonly store: EntityStore;
  readonly slots: ReadonlyMap<string, number>;
}

const TESTS: Record<ComparisonOperator, (a: unknown, b: unknown) => boolean> = {
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  gt: (a, b) => (a as number) > (b as number),
  ge: (a, b) => (a as number) >= (b as number),
  lt: (a, b) => (a as number) < (b as number),
  le: (a, b) => (a as number) <= (b as number),
};

const toTime: Normalizer = (value) => (typeof value === 'string' ? Date.parse(value) : value instanceof Date ? value.getTime() : value);
const toLowerGuid: Normalizer = (value) => (typeof value === 'string' ? value.toLowerCase() : value);

/** The normalization that makes values of a family comparable with `===` and `<`. */
export function normalizerOf(family: ValueFamily): Normalizer | undefined {
  if (family === 'date') return toTime;
  if (family === 'guid') return toLowerGuid;
  return undefined;
}

/**
 * Compiles a `$filter` AST into a predicate, once per query. Navigations are followed through the
 * store's sources. OData null semantics: `null eq null` is true, other comparisons with null false
 * (`ne` true); `and`, `or` and `not` are three-valued and a null result does not match.
 */
export function compileFilter(node: FilterNode, store: EntityStore): RowPredicate {
  const evaluate = compileNode(node, { store, slots: new Map() });
  const vars: Row[] = [];
  return (row) => evaluate(row, vars) === true;
}

/** Compiles a value expression (for `$orderby`). */
export function compileValue(node: FilterNode, store: EntityStore): RowValue {
  const evaluate = compileNode(node, { store, slots: new Map() });
  const vars: Row[] = [];
  return (row) => evaluate(row, vars);
}

/** Evaluates a `$filter` AST against one row (compiles it first: prefer `compileFilter` in loops). */
export function evaluateFilter(node: FilterNode, row: Row, store: EntityStore): boolean {
  return compileFilter(node, store)(row);
}

function compileNode(node: FilterNode, ctx: CompileContext): Evaluator {
  switch (node.kind) {
    case 'literal': {
      const value = node.value;
      return () => value;
    }
    case 'property':
      return compileProperty(node, ctx);
    case 'comparison':
      return compileComparison(node, ctx);
    case 'and':
    case 'or':
      return compileLogical(node.kind, node.operands.map((operand) => compileNode(operand, ctx)));
    case 'not': {
      const operand = compileNode(node.operand, ctx);
      return (row, vars) => {
        const value = operand(row, vars);
        return value === null ? null : !value;
      };
    }
    case 'in':
      return compileIn(node, ctx);
    case 'function':
      return compileFunction(node, ctx);
    case 'lambda':
      return compileLambda(node, ctx);
  }
}

function compileBase(variable: string | null, navigations: readonly NavigationStep[], ctx: CompileContext): Evaluator {
  const slot = variable === null ? -1 : (ctx.slots.get(variable) ?? -1);
  const steps = navigations.map((step) => ({ navigation: step.navigation, source: ctx.store.source(step.navigation.target) }));
  return (row, vars) => {
    let current: Row | undefined = slot < 0 ? row : vars[slot];
    for (const step of steps) {
      if (current === undefined) return null;
      current = navigationRows(step.source, step.navigation, current)[0];
    }
    return current ?? null;
  };
}

function compileProperty(node: PropertyNode, ctx: CompileContext): Evaluator {
  const name = node.name;
  if (node.variable === null && node.navigations.length === 0) {
    return (row) => {
      const value = row[name];
      return value === undefined ? null : value;
    };
  }
  const base = compileBase(node.variable, node.navigations, ctx);
  return (row, vars) => {
    const target = base(row, vars) as Row | null;
    const value = target === null ? undefined : target[name];
    return value === undefined ? null : value;
  };
}

function compileComparison(node: ComparisonNode, ctx: CompileContext): Evaluator {
  const { operator, left, right } = node;
  const type = typeOfNode(left) ?? typeOfNode(right);
  const normalize = type === null ? undefined : normalizerOf(familyOf(type));
  const test = TESTS[operator];
  const whenNull = operator === 'ne';
  if (right.kind === 'literal' && right.value !== null) {
    return compileAgainstConstant(compileNode(left, ctx), normalize ? normalize(right.value) : right.value, normalize, test, whenNull);
  }
  if (left.kind === 'literal' && left.value !== null) {
    const flipped = (a: unknown, b: unknown) => test(b, a);
    return compileAgainstConstant(compileNode(right, ctx), normalize ? normalize(left.value) : left.value, normalize, flipped, whenNull);
  }
  const l = compileNode(left, ctx);
  const r = compileNode(right, ctx);
  return (row, vars) => {
    const a = l(row, vars);
    const b = r(row, vars);
    if (a === null || b === null) return operator === 'eq' ? a === b : operator === 'ne' ? a !== b : false;
    return normalize ? test(normalize(a), normalize(b)) : test(a, b);
  };
}

function compileAgainstConstant(
  operand: Evaluator,
  constant: unknown,
  normalize: Normalizer | undefined,
  test: (a: unknown, b: unknown) => boolean,
  whenNull: boolean,
): Evaluator {
  if (normalize) {
    return (row, vars) => {
      const value = operand(row, vars);
      return value === null ? whenNull : test(normalize(value), constant);
    };
  }
  return (row, vars) => {
    const value = operand(row, vars);
    return value === null ? whenNull : test(value, constant);
  };
}

function compileLogical(kind: 'and' | 'or', operands: readonly Evaluator[]): Evaluator {
  const decisive = kind === 'or';
  return (row, vars) => {
    let sawNull = false;
    for (const operand of operands) {
      const value = operand(row, vars);
      if (value === decisive) return decisive;
      if (value === null) sawNull = true;
    }
    return sawNull ? null : !decisive;
  };
}

function compileIn(node: InNode, ctx: CompileContext): Evaluator {
  const type = typeOfNode(node.operand) ?? node.values.find((value) => value.type !== null)?.type ?? null;
  const normalize = type === null ? undefined : normalizerOf(familyOf(type));
  const wanted = new Set<unknown>();
  let hasNull = false;
  for (const { value } of node.values) {
    if (value === null) hasNull = true;
    else wanted.add(normalize ? normalize(value) : value);
  }
  const operand = compileNode(node.operand, ctx);
  return (row, vars) => {
    const value = operand(row, vars);
    if (value === null) return hasNull;
    return wanted.has(normalize ? normalize(value) : value);
  };
}

const STRING_FUNCTIONS = {
  contains: (s: string, t: string) => s.includes(t),
  startswith: (s: string, t: string) => s.startsWith(t),
  endswith: (s: string, t: string) => s.endsWith(t),
  indexof: (s: string, t: string) => s.indexOf(t),
  length: (s: string) => s.length,
  tolower: (s: string) => s.toLowerCase(),
  toupper: (s: string) => s.toUpperCase(),
  trim: (s: string) => s.trim(),
};

const DATE_PARTS = {
  year: (d: Date) => d.getUTCFullYear(),
  month: (d: Date) => d.getUTCMonth() + 1,
  day: (d: Date) => d.getUTCDate(),
  hour: (d: Date) => d.getUTCHours(),
};

function compileFunction(node: FunctionNode, ctx: CompileContext): Evaluator {
  const args = node.args.map((arg) => compileNode(arg, ctx));
  const first = args[0] as Evaluator;
  const name = node.name;
  if (name === 'year' || name === 'month' || name === 'day' || name === 'hour') {
    const part = DATE_PARTS[name];
    return (row, vars) => {
      const value = first(row, vars);
      if (value === null) return null;
      const time = toTime(value) as number;
      return Number.isNaN(time) ? null : part(new Date(time));
    };
  }
  const apply = STRING_FUNCTIONS[name] as (s: string, t: string) => unknown;
  const second = args[1];
  if (!second) {
    return (row, vars) => {
      const value = first(row, vars);
      return value === null ? null : apply(String(value), '');
    };
  }
  return (row, vars) => {
    const a = first(row, vars);
    const b = second(row, vars);
    return a === null || b === null ? null : apply(String(a), String(b));
  };
}

function compileLambda(node: LambdaNode, ctx: CompileContext): Evaluator {
  const base = compileBase(node.variable, node.navigations, ctx);
  const navigation = node.collection.navigation;
  const source = ctx.store.source(navigation.target);
  const slot = ctx.slots.size;
  const predicate =
    node.predicate && node.parameter !== null
      ? compileNode(node.predicate, { store: ctx.store, slots: new Map(ctx.slots).set(node.parameter, slot) })
      : undefined;
  const all = node.quantifier === 'all';
  return (row, vars) => {
    const from = base(row, vars) as Row | null;
    if (from === null) return all;
    const items = navigationRows(source, navigation, from);
    if (!predicate) return items.length > 0;
    for (const item of items) {
      vars[slot] = item;
      const matched = predicate(row, vars) === true;
      if (matched !== all) return matched;
    }
    return all;
  };
}
