import type { EdmEntitySet } from '../../model/edm';
import type { EntityStore, Row } from '../store/entity-store';
import { compileFilter } from './filter-evaluator';
import { navigationRows } from './navigation';
import type { ExpandItem, QueryOptions } from './query-types';
import { compileOrder } from './row-order';

/** Turns a stored row into a fresh output object: `$select` projection plus `$expand`ed navigations. */
export type RowShaper = (row: Row) => Row;

type Expansion = (row: Row, out: Row) => void;

/**
 * Compiles `$select` and `$expand` of one level once per query. Without `$select` every declared
 * property is output (absent ones as null). A single-valued expansion is an object or null; a
 * collection is an array after its nested `$filter`, `$orderby`, `$skip` and `$top`, preceded by
 * `Nav@odata.count` when the nested `$count=true`.
 */
export function compileShaper(store: EntityStore, set: EdmEntitySet, options: QueryOptions): RowShaper {
  const fields = options.select ?? Object.keys(set.properties);
  const expansions = (options.expand ?? []).map((item) => compileExpansion(store, set, item));
  return (row) => {
    const out: Row = {};
    for (const field of fields) {
      const value = row[field];
      out[field] = value === undefined ? null : value;
    }
    for (const expand of expansions) expand(row, out);
    return out;
  };
}

function compileExpansion(store: EntityStore, set: EdmEntitySet, item: ExpandItem): Expansion {
  const name = item.navigation;
  const navigation = set.navigations[name];
  if (!navigation) throw new Error(`${set.name} has no navigation ${name}`);
  const source = store.source(navigation.target);
  const options = item.options;
  const predicate = options.filter ? compileFilter(options.filter, store) : undefined;
  const shape = compileShaper(store, item.target, options);
  if (!navigation.collection) {
    return (row, out) => {
      const target = navigationRows(source, navigation, row)[0];
      out[name] = target !== undefined && (!predicate || predicate(target)) ? shape(target) : null;
    };
  }
  const order = options.orderBy ? compileOrder(options.orderBy, store) : undefined;
  const skip = options.skip ?? 0;
  const end = skip + (options.top ?? Infinity);
  const countKey = `${name}@odata.count`;
  return (row, out) => {
    let rows = navigationRows(source, navigation, row);
    if (predicate) rows = rows.filter(predicate);
    if (options.count) out[countKey] = rows.length;
    const ordered = order ? order(rows, end) : rows;
    out[name] = ordered.slice(skip, end).map(shape);
  };
}
