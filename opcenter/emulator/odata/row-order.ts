import type { EntityStore, Row } from '../store/entity-store';
import { typeOfNode } from './filter-ast';
import { compileValue, normalizerOf } from './filter-evaluator';
import { familyOf } from './filter-types';
import type { OrderByItem } from './query-types';

/** Orders rows by a compiled `$orderby`, returning at most the first `limit` (may be Infinity). */
export type RowOrder = (rows: readonly Row[], limit: number) => Row[];

/**
 * Compiles `$orderby` once per query. Sorting is stable (ties keep the input order), nulls sort
 * first ascending, dates compare as instants; keys are computed once per row, and when only a
 * small prefix is needed a bounded heap selects it instead of sorting everything.
 */
export function compileOrder(items: readonly OrderByItem[], store: EntityStore): RowOrder {
  const keys = items.map((item) => {
    const type = typeOfNode(item.expression);
    return {
      value: compileValue(item.expression, store),
      normalize: type === null ? undefined : normalizerOf(familyOf(type)),
      direction: item.descending ? -1 : 1,
    };
  });
  return (rows, limit) => {
    const n = rows.length;
    const k = Math.min(limit, n);
    if (k <= 0) return [];
    const columns = keys.map(({ value, normalize, direction }) => {
      const column = new Array<unknown>(n);
      for (let i = 0; i < n; i++) {
        const raw = value(rows[i] as Row);
        const key = raw === null || normalize === undefined ? raw : normalize(raw);
        column[i] = typeof key === 'number' && Number.isNaN(key) ? null : key;
      }
      return { column, direction };
    });
    const compare = (a: number, b: number): number => {
      for (const { column, direction } of columns) {
        const x = column[a];
        const y = column[b];
        if (x === y) continue;
        if (x === null) return -direction;
        if (y === null) return direction;
        if ((x as number) < (y as number)) return -direction;
        if ((x as number) > (y as number)) return direction;
      }
      return a - b;
    };
    const order = k * 4 < n ? smallest(n, k, compare) : Array.from({ length: n }, (_, i) => i).sort(compare);
    const out = new Array<Row>(k);
    for (let i = 0; i < k; i++) out[i] = rows[order[i] as number] as Row;
    return out;
  };
}

function smallest(n: number, k: number, compare: (a: number, b: number) => number): number[] {
  const heap: number[] = [];
  for (let i = 0; i < n; i++) {
    if (heap.length < k) {
      heap.push(i);
      siftUp(heap, heap.length - 1, compare);
    } else if (compare(i, heap[0] as number) < 0) {
      heap[0] = i;
      siftDown(heap, compare);
    }
  }
  return heap.sort(compare);
}

function siftUp(heap: number[], at: number, compare: (a: number, b: number) => number): void {
  const item = heap[at] as number;
  while (at > 0) {
    const parent = (at - 1) >> 1;
    if (compare(item, heap[parent] as number) <= 0) break;
    heap[at] = heap[parent] as number;
    at = parent;
  }
  heap[at] = item;
}

function siftDown(heap: number[], compare: (a: number, b: number) => number): void {
  const n = heap.length;
  const item = heap[0] as number;
  let at = 0;
  for (;;) {
    let child = 2 * at + 1;
    if (child >= n) break;
    if (child + 1 < n && compare(heap[child + 1] as number, heap[child] as number) > 0) child++;
    if (compare(heap[child] as number, item) <= 0) break;
    heap[at] = heap[child] as number;
    at = child;
  }
  heap[at] = item;
}
