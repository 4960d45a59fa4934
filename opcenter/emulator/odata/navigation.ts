import type { EdmNavigation } from '../../model/edm';
import type { EntitySource, Row } from '../store/entity-store';

const NONE: readonly Row[] = Object.freeze([]);

/**
 * The rows of `source` that a navigation from `row` reaches (all of them; a single-valued
 * navigation takes the first). Uses the target's index, or scans when the target field has none.
 */
export function navigationRows(source: EntitySource | undefined, navigation: EdmNavigation, row: Row): readonly Row[] {
  const value = row[navigation.localField];
  if (source === undefined || value === null || value === undefined) return NONE;
  const rows = source.lookup(navigation.targetField, value);
  if (rows) return rows;
  if (!source.scannable) return NONE;
  const wanted = keyOf(value);
  return source.scan().filter((candidate) => keyOf(candidate[navigation.targetField]) === wanted);
}

/** GUIDs compare case-insensitively, as the store's indexes do. */
export function keyOf(value: unknown): unknown {
  return typeof value === 'string' && value.length === 36 && value[8] === '-' ? value.toLowerCase() : value;
}
