import buildQuery, { type PlainObject } from 'odata-query';
import { OpcenterInvalidQueryError } from './errors';
import { isGuid, toODataFilter, type OpcenterFilter } from './filter-translator';
import type { ConceptMapping, OpcenterMapping } from './mapping';
import { conceptOf, toOpcenterPath } from './name-translator';

/** Sort order in logical names: `'plannedStartTime desc'`, `['status', 'dueDate asc']`. */
export type OpcenterOrderBy = string | readonly string[];

/** Options of one expanded navigation, in the target concept's logical names. */
export interface OpcenterExpandOptions {
  readonly select?: readonly string[];
  readonly filter?: OpcenterFilter;
  readonly orderBy?: OpcenterOrderBy;
  readonly top?: number;
  readonly skip?: number;
  readonly count?: boolean;
  readonly expand?: OpcenterExpand;
}

/** Navigations to expand: `['operations', 'workOrder/line']` or `{ operations: { top: 5 }, line: true }`. */
export type OpcenterExpand = readonly string[] | { readonly [navigation: string]: OpcenterExpandOptions | true };

/** A read query in logical names. */
export interface OpcenterQuery extends OpcenterExpandOptions {
  /** Ask for `@odata.count` (the total across pages). */
  readonly count?: boolean;
}

// odata-query reads an expand object whose keys include one of these as options, not navigations.
const EXPAND_OPTION_NAMES = new Set(['expand', 'levels', 'select', 'skip', 'top', 'count', 'orderby', 'filter']);
const ORDER_ITEM = /^([A-Za-z_][A-Za-z0-9_/]*)(?:\s+(asc|desc))?$/i;

/**
 * Builds the query string (`?$filter=...&$select=...`, or `''`) of a read, translating logical names
 * to Opcenter names with the mapping. Literals go through odata-query (quotes doubled, text
 * percent-encoded); GUID fields get GUID literals; anything malformed throws OpcenterInvalidQueryError.
 */
export function toODataQuery(
  mapping: OpcenterMapping,
  concept: string | ConceptMapping,
  query: OpcenterQuery = {},
): string {
  const resolved = typeof concept === 'string' ? conceptOf(mapping, concept) : concept;
  const options = translateOptions(mapping, resolved, query);
  // A '+' left outside the encoded string literals (a number such as 1e+21) would read as a space.
  return buildQuery(options).replace(/\+/g, '%2B');
}

/** Where an `in` query is sent, to measure its URL. */
export interface InQueryTarget {
  /** The URL before the query string, e.g. `https://host/sit-svc/Application/AppU4DM/odata/WorkOrder`. */
  readonly urlPrefix: string;
  /** Longest URL allowed, measured as sent (percent-encoded). */
  readonly maxUrlLength: number;
}

/**
 * Query strings that together ask for every row whose `field` is one of `values` (deduplicated):
 * `query`'s filter and `field in (...)`, as many values per query as fit in `maxUrlLength`.
 */
export function toODataInQueries(
  mapping: OpcenterMapping,
  concept: string | ConceptMapping,
  field: string,
  values: readonly (string | number)[],
  query: Omit<OpcenterQuery, 'top' | 'skip' | 'count'>,
  target: InQueryTarget,
): string[] {
  const resolved = typeof concept === 'string' ? conceptOf(mapping, concept) : concept;
  const unique = [...new Set(values)];
  const userFilter = query.filter === undefined ? [] : Array.isArray(query.filter) ? query.filter : [query.filter];
  const build = (chunk: readonly (string | number)[]) =>
    toODataQuery(mapping, resolved, { ...query, filter: [...userFilter, { [field]: { in: chunk } }] });
  const measure = (queryString: string) => new URL(target.urlPrefix + queryString).href.length;

  const queries: string[] = [];
  let chunk: (string | number)[] = [];
  let length = 0;
  const flush = () => {
    if (chunk.length === 0) return;
    const queryString = build(chunk);
    if (measure(queryString) > target.maxUrlLength) {
      throw new OpcenterInvalidQueryError('An in-query chunk outgrew maxUrlLength');
    }
    queries.push(queryString);
    chunk = [];
  };
  for (const value of unique) {
    const single = measure(build([value]));
    if (single > target.maxUrlLength) {
      throw new OpcenterInvalidQueryError(
        `One value of '${field}' alone makes a URL of ${single} characters, over maxUrlLength ${target.maxUrlLength}`,
      );
    }
    // Each further value adds its literal and a comma; measuring a pair gives that exactly.
    const added = chunk.length === 0 ? single : measure(build([value, value])) - single;
    if (chunk.length > 0 && length + added > target.maxUrlLength) flush();
    length = chunk.length === 0 ? single : length + added;
    chunk.push(value);
  }
  flush();
  return queries;
}

/** The key segment of `/{EntitySet}({key})`: a GUID unquoted, a string quoted with `'` doubled. */
export function toODataKey(concept: ConceptMapping, key: string | number): string {
  if (concept.guidFields.has(concept.key)) {
    if (typeof key !== 'string' || !isGuid(key)) {
      throw new OpcenterInvalidQueryError(`The key of ${concept.name} must be a GUID`);
    }
    return `(${key})`;
  }
  if (typeof key === 'number') {
    if (!Number.isSafeInteger(key)) throw new OpcenterInvalidQueryError(`Invalid key for ${concept.name}`);
    return `(${key})`;
  }
  return `('${encodeURIComponent(key.replace(/'/g, "''"))}')`;
}

function translateOptions(mapping: OpcenterMapping, concept: ConceptMapping | undefined, options: OpcenterQuery) {
  const result: PlainObject = {};
  if (options.select !== undefined) {
    result.select = options.select.map((path) => toOpcenterPath(mapping, concept, path).path);
  }
  if (options.filter !== undefined) {
    const filter = toODataFilter(mapping, concept, options.filter);
    if (filter !== undefined) result.filter = filter;
  }
  if (options.expand !== undefined) result.expand = translateExpand(mapping, concept, options.expand);
  if (options.orderBy !== undefined) result.orderBy = translateOrderBy(mapping, concept, options.orderBy);
  if (options.top !== undefined) result.top = checkCount('top', options.top);
  if (options.skip !== undefined) result.skip = checkCount('skip', options.skip);
  if (options.count !== undefined) result.count = options.count === true;
  return result;
}

function translateExpand(
  mapping: OpcenterMapping,
  concept: ConceptMapping | undefined,
  expand: OpcenterExpand,
): string[] | PlainObject {
  if (Array.isArray(expand)) {
    return (expand as readonly unknown[]).map((path) => {
      if (typeof path !== 'string') throw new OpcenterInvalidQueryError('expand paths must be strings');
      return toOpcenterPath(mapping, concept, path).path;
    });
  }
  const result: PlainObject = {};
  for (const [name, options] of Object.entries(expand as Record<string, OpcenterExpandOptions | true>)) {
    if (name.includes('/')) throw new OpcenterInvalidQueryError(`Nest '${name}' with an expand option instead`);
    const navigation = toOpcenterPath(mapping, concept, name);
    if (navigation.kind === 'field' || EXPAND_OPTION_NAMES.has(navigation.path.toLowerCase())) {
      throw new OpcenterInvalidQueryError(`'${name}' cannot be expanded`);
    }
    result[navigation.path] = options === true ? {} : translateOptions(mapping, navigation.target, options);
  }
  return result;
}

function translateOrderBy(mapping: OpcenterMapping, concept: ConceptMapping | undefined, orderBy: OpcenterOrderBy) {
  const items = (typeof orderBy === 'string' ? [orderBy] : orderBy).flatMap((item) => item.split(','));
  return items
    .map((item) => {
      const match = ORDER_ITEM.exec(item.trim());
      if (!match?.[1]) throw new OpcenterInvalidQueryError(`Invalid orderBy '${item.trim()}'`);
      const path = toOpcenterPath(mapping, concept, match[1]).path;
      return match[2] ? `${path} ${match[2].toLowerCase()}` : path;
    })
    .join(',');
}

function checkCount(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new OpcenterInvalidQueryError(`${name} must be a non-negative integer`);
  }
  return value;
}
