import type { PlainObject } from 'odata-query';
import { OpcenterInvalidQueryError } from './errors';
import type { ConceptMapping, OpcenterMapping } from './mapping';
import { toOpcenterPath, type OpcenterPath } from './name-translator';

/** A GUID literal, for fields the mapping does not mark as `guidFields`. */
export interface GuidLiteral {
  readonly type: 'guid';
  readonly value: string;
}

/**
 * A literal in a filter. Strings on a field listed in the concept's `guidFields` travel as GUID
 * literals (and must look like one); pass `Date` objects for Edm.DateTimeOffset properties.
 */
export type FilterLiteral = string | number | boolean | Date | null | GuidLiteral;

/** Operators on one property (odata-query's syntax). */
export interface FilterOperators {
  readonly eq?: FilterLiteral;
  readonly ne?: FilterLiteral;
  readonly gt?: FilterLiteral;
  readonly ge?: FilterLiteral;
  readonly lt?: FilterLiteral;
  readonly le?: FilterLiteral;
  readonly in?: readonly FilterLiteral[];
  readonly startswith?: string;
  readonly endswith?: string;
  readonly contains?: string;
  /** On a collection navigation: some related row matches. */
  readonly any?: OpcenterFilter;
  /** On a collection navigation: every related row matches. */
  readonly all?: OpcenterFilter;
}

/**
 * A filter in logical names, in odata-query's object syntax: `{ status: 'Active' }`,
 * `{ plannedQuantity: { gt: 10 } }`, `{ or: [...] }`, `{ not: {...} }`, `{ 'tolower(name)': 'x' }`,
 * `{ workOrder: { status: 'Active' } }` (single-valued navigation), `{ operations: { any: {...} } }`.
 * Raw filter strings are not accepted: every value travels as an escaped literal.
 */
export type OpcenterFilter = FilterObject | readonly FilterObject[];

/** One level of a filter object. */
export interface FilterObject {
  readonly [key: string]: FilterLiteral | FilterOperators | FilterObject | readonly FilterObject[] | undefined;
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const COMPARISONS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const STRING_FUNCTIONS = new Set(['startswith', 'endswith', 'contains']);
const LAMBDAS = new Set(['any', 'all']);
const OPERATORS = new Set([...COMPARISONS, ...STRING_FUNCTIONS, ...LAMBDAS, 'in']);
const KEY_FUNCTIONS = new Set([
  'tolower',
  'toupper',
  'trim',
  'length',
  'year',
  'month',
  'day',
  'hour',
  'minute',
  'second',
  'date',
  'round',
  'floor',
  'ceiling',
]);
const FUNCTION_KEY = /^([a-z]+)\(([^()]*)\)$/;

/** Whether a string is a GUID in 8-4-4-4-12 form. */
export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/**
 * Translates a logical filter into an odata-query filter over Opcenter names, checking every literal
 * on the way; `undefined` when the filter has no conditions.
 */
export function toODataFilter(
  mapping: OpcenterMapping,
  concept: ConceptMapping | undefined,
  filter: OpcenterFilter | undefined,
): PlainObject | undefined {
  if (filter === undefined) return undefined;
  const conditions = translateFilter(mapping, concept, filter, '');
  return conditions.length === 0 ? undefined : combine(conditions);
}

function translateFilter(
  mapping: OpcenterMapping,
  concept: ConceptMapping | undefined,
  filter: unknown,
  prefix: string,
): PlainObject[] {
  if (Array.isArray(filter)) return filter.flatMap((item) => translateFilter(mapping, concept, item, prefix));
  if (!isPlainObject(filter)) throw new OpcenterInvalidQueryError('A filter must be an object or an array of objects');
  const conditions: PlainObject[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    if (key === 'and' || key === 'or') {
      const items = (Array.isArray(value) ? value : [value]).map((item) =>
        combine(translateFilter(mapping, concept, item, prefix)),
      );
      if (items.length > 0) conditions.push({ [key]: items });
    } else if (key === 'not') {
      conditions.push({ not: combine(translateFilter(mapping, concept, value, prefix)) });
    } else {
      conditions.push(...translateCondition(mapping, concept, key, value, prefix));
    }
  }
  return conditions;
}

function translateCondition(
  mapping: OpcenterMapping,
  concept: ConceptMapping | undefined,
  key: string,
  value: unknown,
  prefix: string,
): PlainObject[] {
  const target = resolveKey(mapping, concept, key, prefix);
  if (isPlainObject(value) && !isGuidLiteral(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined);
    const operators = keys.filter((k) => OPERATORS.has(k));
    if (operators.length > 0 && operators.length < keys.length) {
      throw new OpcenterInvalidQueryError(`Filter on '${key}' mixes operators and properties`);
    }
    if (operators.length === 0) {
      if (target.kind === 'field') throw new OpcenterInvalidQueryError(`'${key}' is a field, not a navigation`);
      return translateFilter(mapping, target.target, value, target.path);
    }
    return [{ [target.path]: translateOperators(mapping, target, key, value) }];
  }
  return [{ [target.path]: toLiteral(target, key, value) }];
}

function translateOperators(mapping: OpcenterMapping, target: OpcenterPath, key: string, value: PlainObject) {
  const result: PlainObject = {};
  for (const [operator, operand] of Object.entries(value)) {
    if (operand === undefined) continue;
    if (COMPARISONS.has(operator)) {
      result[operator] = toLiteral(target, key, operand);
    } else if (operator === 'in') {
      if (!Array.isArray(operand) || operand.length === 0) {
        throw new OpcenterInvalidQueryError(`'in' on '${key}' needs a non-empty array`);
      }
      result.in = operand.map((item) => toLiteral(target, key, item));
    } else if (STRING_FUNCTIONS.has(operator)) {
      if (typeof operand !== 'string') throw new OpcenterInvalidQueryError(`'${operator}' on '${key}' needs a string`);
      result[operator] = operand;
    } else {
      // odata-query names the lambda variable after the property, so a path would make an invalid name.
      if (target.path.includes('/') || FUNCTION_KEY.test(target.path)) {
        throw new OpcenterInvalidQueryError(`'${operator}' needs a navigation of the filtered concept, not '${key}'`);
      }
      result[operator] = combine(translateFilter(mapping, target.target, operand, ''));
    }
  }
  return result;
}

function resolveKey(
  mapping: OpcenterMapping,
  concept: ConceptMapping | undefined,
  key: string,
  prefix: string,
): OpcenterPath {
  const call = FUNCTION_KEY.exec(key);
  if (call) {
    const [, name = '', argument = ''] = call;
    if (!KEY_FUNCTIONS.has(name)) throw new OpcenterInvalidQueryError(`Unsupported function '${name}' in filter`);
    const inner = toOpcenterPath(mapping, concept, argument.trim());
    return { path: `${name}(${withPrefix(prefix, inner.path)})`, kind: 'field', guid: false };
  }
  const resolved = toOpcenterPath(mapping, concept, key);
  return { ...resolved, path: withPrefix(prefix, resolved.path) };
}

function withPrefix(prefix: string, path: string): string {
  return prefix === '' ? path : `${prefix}/${path}`;
}

function toLiteral(target: OpcenterPath, key: string, value: unknown): unknown {
  if (isGuidLiteral(value)) return guidLiteral(key, value.value);
  if (typeof value === 'string') return target.guid ? guidLiteral(key, value) : value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new OpcenterInvalidQueryError(`'${key}' needs a finite number`);
    return value;
  }
  if (typeof value === 'boolean' || value === null) return value;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new OpcenterInvalidQueryError(`'${key}' got an invalid date`);
    return value;
  }
  throw new OpcenterInvalidQueryError(`Unsupported value for '${key}' in filter`);
}

function guidLiteral(key: string, value: unknown): GuidLiteral {
  if (typeof value !== 'string' || !isGuid(value)) {
    throw new OpcenterInvalidQueryError(`'${key}' needs a GUID (8-4-4-4-12 hex digits)`);
  }
  return { type: 'guid', value };
}

/** One object when the conditions' keys differ (the plain `a and b` form), else an explicit `and`. */
function combine(conditions: PlainObject[]): PlainObject {
  if (conditions.length === 1 && conditions[0] !== undefined) return conditions[0];
  const keys = conditions.flatMap((condition) => Object.keys(condition));
  if (new Set(keys).size === keys.length) return Object.assign({}, ...conditions) as PlainObject;
  return { and: conditions };
}

function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function isGuidLiteral(value: unknown): value is GuidLiteral {
  return isPlainObject(value) && value.type === 'guid' && Object.keys(value).length === 2 && 'value' in value;
}
