import type { ConceptMapping, OpcenterMapping } from './mapping';

/** One entity as the client returns it: logical property names, JSON values. */
export type Row = Record<string, unknown>;

/**
 * Renames an Opcenter row's properties to the concept's logical names. Unmapped properties (and
 * `@odata.*` annotations) pass unchanged; expanded navigations are renamed and, when the mapping
 * knows their target concept, translated with it, to any depth.
 */
export function toLogicalRow(mapping: OpcenterMapping, concept: ConceptMapping, row: Row): Row {
  const result: Row = {};
  // for-in over a parsed JSON row: no entries array per row, which reads of thousands of pads notice.
  for (const property in row) {
    const value = row[property];
    const field = concept.properties.get(property);
    if (field !== undefined) {
      result[field] = value;
      continue;
    }
    const nav = concept.navigationsByProperty.get(property);
    if (nav === undefined) {
      result[property] = value;
      continue;
    }
    const target = nav.concept === undefined ? undefined : mapping.concepts.get(nav.concept);
    result[nav.name] = target === undefined ? value : translateExpanded(mapping, target, value);
  }
  return result;
}

function translateExpanded(mapping: OpcenterMapping, target: ConceptMapping, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => translateExpanded(mapping, target, item));
  if (isRow(value)) return toLogicalRow(mapping, target, value);
  return value;
}

function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
