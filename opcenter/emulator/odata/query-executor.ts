import type { EdmEntitySet } from '../../model/edm';
import type { EntitySource, EntityStore, Row } from '../store/entity-store';
import { compileFilter } from './filter-evaluator';
import { navigationRows } from './navigation';
import { ODataError } from './odata-error';
import { planCandidates } from './query-planner';
import type { QueryOptions } from './query-types';
import { compileOrder } from './row-order';
import { compileShaper } from './row-shaper';
import { encodeSkipToken } from './skip-token';

/** Server-side limits of one collection read. */
export interface QueryLimits {
  /** Most rows in one page; more rows are offered through a `$skiptoken` (at least 1). */
  readonly maxPageSize: number;
}

/** One page of a collection. */
export interface CollectionResult {
  value: Row[];
  /** Rows matching `$filter`, ignoring `$top`, `$skip` and paging; present when `$count=true`. */
  count?: number;
  /** Pass back as `$skiptoken` for the next page; absent on the last page. */
  nextSkipToken?: string;
}

const UNPAGED: QueryLimits = { maxPageSize: Infinity };

/**
 * Reads `/Set?options`: plans candidates from indexes, filters, counts, orders, pages (the page is
 * the smaller of what remains of `$top` and `limits.maxPageSize`) and shapes each row.
 */
export function executeCollection(store: EntityStore, set: EdmEntitySet, options: QueryOptions, limits: QueryLimits): CollectionResult {
  const source = requireSource(store, set);
  return page(store, set, planCandidates(store, source, options.filter), options, limits);
}

/** Reads `/Set(key)`: applies `$select` and `$expand` to one row, returning a fresh object. */
export function executeEntity(store: EntityStore, set: EdmEntitySet, row: Row, options: QueryOptions): Row {
  return compileShaper(store, set, options)(row);
}

/**
 * Reads `/Set(key)/Nav` with `options` parsed against the navigation's target set: a page (as
 * `executeCollection`) for a collection navigation, the shaped row or undefined for a single one.
 */
export function executeNavigation(
  store: EntityStore,
  set: EdmEntitySet,
  row: Row,
  navName: string,
  options: QueryOptions,
  limits: QueryLimits = UNPAGED,
): CollectionResult | Row | undefined {
  const navigation = Object.hasOwn(set.navigations, navName) ? set.navigations[navName] : undefined;
  if (!navigation) throw new ODataError(404, 'NotFound', `Could not find a navigation property named '${navName}' on type '${set.name}'.`);
  const source = store.source(navigation.target);
  if (!source) throw new ODataError(404, 'NotFound', `The entity set '${navigation.target}' is not served.`);
  const rows = navigationRows(source, navigation, row);
  if (navigation.collection) return page(store, source.set, rows, options, limits);
  const target = rows[0];
  return target === undefined ? undefined : compileShaper(store, source.set, options)(target);
}

function requireSource(store: EntityStore, set: EdmEntitySet): EntitySource {
  const source = store.source(set.name);
  if (!source) throw new ODataError(404, 'NotFound', `The entity set '${set.name}' is not served.`);
  return source;
}

function page(store: EntityStore, set: EdmEntitySet, candidates: readonly Row[], options: QueryOptions, limits: QueryLimits): CollectionResult {
  if (!(limits.maxPageSize >= 1)) throw new RangeError(`maxPageSize must be at least 1, got ${limits.maxPageSize}`);
  const predicate = options.filter ? compileFilter(options.filter, store) : undefined;
  const offset = options.skipToken ? options.skipToken.offset : (options.skip ?? 0);
  const remaining = options.skipToken ? options.skipToken.remaining : options.top;
  const size = Math.min(remaining ?? Infinity, limits.maxPageSize);
  let rows: readonly Row[];
  let more: boolean;
  let count: number | undefined;
  if (options.orderBy || options.count) {
    const matches = predicate ? candidates.filter(predicate) : candidates;
    if (options.count) count = matches.length;
    const ordered = options.orderBy ? compileOrder(options.orderBy, store)(matches, offset + size + 1) : matches;
    rows = ordered.slice(offset, offset + size);
    more = ordered.length > offset + size;
  } else {
    ({ rows, more } = firstMatches(candidates, predicate, offset, size));
  }
  const shape = compileShaper(store, set, options);
  const result: CollectionResult = { value: rows.map(shape) };
  if (count !== undefined) result.count = count;
  if (more && (remaining === undefined || remaining > size)) {
    result.nextSkipToken = encodeSkipToken({ offset: offset + size, remaining: remaining === undefined ? undefined : remaining - size });
  }
  return result;
}

function firstMatches(candidates: readonly Row[], predicate: ((row: Row) => boolean) | undefined, offset: number, size: number): { rows: Row[]; more: boolean } {
  if (!predicate) {
    const end = offset + size;
    return { rows: candidates.slice(offset, end), more: candidates.length > end };
  }
  const rows: Row[] = [];
  let skipped = 0;
  for (const row of candidates) {
    if (!predicate(row)) continue;
    if (skipped < offset) {
      skipped++;
      continue;
    }
    if (rows.length === size) return { rows, more: true };
    rows.push(row);
  }
  return { rows, more: false };
}
