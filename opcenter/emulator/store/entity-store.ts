import type { EdmEntitySet } from '../../model/edm';

/** One record as served: property name to primitive value (dates as ISO 8601 strings). */
export type Row = Record<string, unknown>;

/** Produces the rows of a generated (partitioned) set whose `field` equals `value`. */
export type RowGenerator = (field: string, value: unknown) => readonly Row[];

/**
 * The rows of one entity set, as the query engine sees them. Stored sets can be scanned; generated
 * sets (per-pad SPI data, test steps, ...) can only be looked up by one of their partition fields.
 */
export interface EntitySource {
  readonly set: EdmEntitySet;
  /** Whether `scan()` is allowed (false for generated sets). */
  readonly scannable: boolean;
  /** Number of stored rows (0 for generated sets). */
  size(): number;
  /** Every stored row, in insertion order. Throws for generated sets. */
  scan(): readonly Row[];
  /** Rows whose `field` equals `value`, from an index; `undefined` when `field` has no index. */
  lookup(field: string, value: unknown): readonly Row[] | undefined;
  /** The row with this key, or undefined. */
  get(key: unknown): Row | undefined;
}

const EMPTY: readonly Row[] = Object.freeze([]);

/** An in-memory entity set with equality indexes on the key and the set's `indexed` properties. */
export class StoredEntitySource implements EntitySource {
  readonly scannable = true;
  private readonly rows: Row[] = [];
  private readonly byKey = new Map<unknown, Row>();
  private readonly indexes = new Map<string, Map<unknown, Row[]>>();

  constructor(readonly set: EdmEntitySet) {
    for (const field of set.indexed) this.indexes.set(field, new Map());
  }

  size(): number {
    return this.rows.length;
  }

  scan(): readonly Row[] {
    return this.rows;
  }

  get(key: unknown): Row | undefined {
    return this.byKey.get(normalizeKey(key));
  }

  lookup(field: string, value: unknown): readonly Row[] | undefined {
    if (field === this.set.key) {
      const row = this.get(value);
      return row ? [row] : EMPTY;
    }
    const index = this.indexes.get(field);
    // Nulls are not indexed (most rows of some sets hold null there): a null lookup scans.
    if (!index || value === null || value === undefined) return undefined;
    return index.get(normalizeKey(value)) ?? EMPTY;
  }

  /** Trims the indexes' spare capacity after a bulk load (a few hundred MiB at the large scale). */
  compact(): void {
    for (const index of this.indexes.values()) {
      for (const [value, bucket] of index) if (bucket.length > 1) index.set(value, bucket.slice());
    }
  }

  /** Adds a row; throws when its key is already taken. */
  insert(row: Row): void {
    const key = normalizeKey(row[this.set.key]);
    if (this.byKey.has(key)) throw new Error(`${this.set.name}: duplicate key ${String(key)}`);
    this.rows.push(row);
    this.byKey.set(key, row);
    for (const [field, index] of this.indexes) addToIndex(index, normalizeKey(row[field]), row);
  }

  /** Changes some properties of a stored row in place, keeping the indexes right. */
  update(key: unknown, patch: Row): Row | undefined {
    const row = this.get(key);
    if (!row) return undefined;
    for (const [field, value] of Object.entries(patch)) {
      if (field === this.set.key) continue;
      const index = this.indexes.get(field);
      if (index && row[field] !== value) {
        removeFromIndex(index, normalizeKey(row[field]), row);
        addToIndex(index, normalizeKey(value), row);
      }
      row[field] = value;
    }
    return row;
  }
}

/** A set whose rows are generated on demand by partition field (never stored). */
export class GeneratedEntitySource implements EntitySource {
  readonly scannable = false;

  constructor(
    readonly set: EdmEntitySet,
    private readonly generate: RowGenerator,
    private readonly keyOf: (key: unknown) => Row | undefined,
  ) {}

  size(): number {
    return 0;
  }

  scan(): readonly Row[] {
    throw new Error(`${this.set.name} is generated on demand and cannot be scanned`);
  }

  get(key: unknown): Row | undefined {
    return this.keyOf(key);
  }

  lookup(field: string, value: unknown): readonly Row[] | undefined {
    if (field === this.set.key) {
      const row = this.get(value);
      return row ? [row] : EMPTY;
    }
    if (!this.set.partitionedBy?.includes(field)) return undefined;
    return this.generate(field, value);
  }
}

/** All entity sets of one emulator, by name. */
export class EntityStore {
  private readonly sources = new Map<string, EntitySource>();

  add(source: EntitySource): void {
    this.sources.set(source.set.name, source);
  }

  source(name: string): EntitySource | undefined {
    return this.sources.get(name);
  }

  /** The stored source of a set, for inserts and updates; throws for unknown or generated sets. */
  stored(name: string): StoredEntitySource {
    const source = this.sources.get(name);
    if (!(source instanceof StoredEntitySource)) throw new Error(`${name} is not a stored entity set`);
    return source;
  }

  names(): string[] {
    return [...this.sources.keys()];
  }
}

/** GUID keys compare case-insensitively, as OData says. */
function normalizeKey(value: unknown): unknown {
  return typeof value === 'string' && value.length === 36 && value[8] === '-' ? value.toLowerCase() : value;
}

function addToIndex(index: Map<unknown, Row[]>, value: unknown, row: Row): void {
  if (value === null || value === undefined) return;
  const bucket = index.get(value);
  if (bucket) bucket.push(row);
  else index.set(value, [row]);
}

function removeFromIndex(index: Map<unknown, Row[]>, value: unknown, row: Row): void {
  if (value === null || value === undefined) return;
  const bucket = index.get(value);
  if (!bucket) return;
  const at = bucket.indexOf(row);
  if (at >= 0) bucket.splice(at, 1);
  if (bucket.length === 0) index.delete(value);
}
