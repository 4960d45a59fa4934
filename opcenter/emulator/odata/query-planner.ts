import type { EdmEntitySet } from '../../model/edm';
import type { EntitySource, EntityStore, Row } from '../store/entity-store';
import type { FilterNode, NavigationStep, PropertyNode } from './filter-ast';
import { keyOf } from './navigation';
import { ODataError } from './odata-error';

/**
 * Picks the rows a `$filter` must be evaluated on: for each top-level `and` conjunct of the form
 * `Prop eq literal` or `Prop in (...)` on an indexed property (or the key), or through single-valued
 * navigations to one (`WorkOrder/NId eq 'X'`), candidates come from index lookups, and the smallest
 * candidate set wins. The candidates are a superset of the matches: the caller still applies the
 * whole filter. Without a usable conjunct it scans, and throws a 400 PartitionRequired for sets
 * that are generated on demand.
 */
export function planCandidates(store: EntityStore, source: EntitySource, filter: FilterNode | undefined): readonly Row[] {
  const conjuncts = filter === undefined ? [] : filter.kind === 'and' ? filter.operands : [filter];
  for (const allowScan of [false, true]) {
    let best: readonly Row[] | undefined;
    for (const conjunct of conjuncts) {
      const rows = candidatesOf(store, source, conjunct, allowScan && source.scannable);
      if (rows !== undefined && (best === undefined || rows.length < best.length)) best = rows;
      if (best?.length === 0) return best;
    }
    if (best !== undefined) return best;
  }
  if (source.scannable) return source.scan();
  throw partitionRequired(store, source.set);
}

function candidatesOf(store: EntityStore, source: EntitySource, node: FilterNode, allowScan: boolean): readonly Row[] | undefined {
  if (node.kind === 'comparison' && node.operator === 'eq') {
    if (node.left.kind === 'property' && node.right.kind === 'literal') return viaProperty(store, source, node.left, [node.right.value], allowScan);
    if (node.right.kind === 'property' && node.left.kind === 'literal') return viaProperty(store, source, node.right, [node.left.value], allowScan);
  }
  if (node.kind === 'in' && node.operand.kind === 'property') {
    return viaProperty(store, source, node.operand, node.values.map((literal) => literal.value), allowScan);
  }
  return undefined;
}

function viaProperty(store: EntityStore, source: EntitySource, property: PropertyNode, values: readonly unknown[], allowScan: boolean): readonly Row[] | undefined {
  if (property.variable !== null || property.type === 'Edm.DateTimeOffset' || values.includes(null)) return undefined;
  return viaPath(store, source, property.navigations, property.name, values, allowScan);
}

function viaPath(
  store: EntityStore,
  source: EntitySource,
  steps: readonly NavigationStep[],
  field: string,
  values: readonly unknown[],
  allowScan: boolean,
): readonly Row[] | undefined {
  const [step, ...rest] = steps;
  if (step === undefined) return lookupAll(source, field, values);
  const { localField, targetField, target } = step.navigation;
  const targetSource = store.source(target);
  if (!targetSource) return undefined;
  const targets = viaPath(store, targetSource, rest, field, values, allowScan && targetSource.scannable);
  if (targets === undefined) return undefined;
  const keys: unknown[] = [];
  for (const row of targets) {
    const key = row[targetField];
    if (key !== null && key !== undefined) keys.push(key);
  }
  const local = lookupAll(source, localField, keys);
  if (local !== undefined || !allowScan) return local;
  const wanted = new Set(keys.map(keyOf));
  return source.scan().filter((row) => wanted.has(keyOf(row[localField])));
}

function lookupAll(source: EntitySource, field: string, values: readonly unknown[]): readonly Row[] | undefined {
  const unique = [...new Set(values.map(keyOf))];
  if (unique.length === 1) return source.lookup(field, unique[0]);
  const rows: Row[] = [];
  for (const value of unique) {
    const found = source.lookup(field, value);
    if (found === undefined) return undefined;
    for (const row of found) rows.push(row);
  }
  return rows;
}

/** The 400 PartitionRequired for a generated set queried without narrowing it. */
export function partitionRequired(store: EntityStore, set: EdmEntitySet): ODataError {
  const [first, ...others] = set.partitionedBy ?? [];
  if (first === undefined) return ODataError.badRequest('PartitionRequired', `${set.name} is generated on demand and cannot be listed.`);
  const parentLink = Object.values(set.navigations).find((nav) => !nav.collection && nav.localField === first);
  const parent = parentLink ? store.source(parentLink.target)?.set : undefined;
  const childNav = parent ? Object.entries(parent.navigations).find(([, nav]) => nav.collection && nav.target === set.name)?.[0] : undefined;
  const alternatives = others.map((field) => `${field} eq ${placeholder(set, field)}`).join(' or ');
  const message =
    `${set.name} is generated per ${parent?.name ?? 'parent'}: add $filter=${first} eq ${placeholder(set, first)}` +
    (alternatives ? ` (or ${alternatives})` : '') +
    (parent && childNav ? `, or read it through ${parent.name}(<id>)/${childNav}` : '') +
    '.';
  return ODataError.badRequest('PartitionRequired', message, set.name);
}

function placeholder(set: EdmEntitySet, field: string): string {
  const property = set.properties[field];
  const type = typeof property === 'string' ? property : property?.type;
  return type === 'Edm.Guid' ? '<guid>' : type === 'Edm.String' ? "'...'" : '<value>';
}
