const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LO = LITTLE_ENDIAN ? 0 : 1;
const HI = 1 - LO;
const INSERTION_SORT_MAX = 32;

/** Row order of a score column, highest score first, with the sorted scores beside it. */
export interface DescendingOrder {
  /** Row indices, highest score first; rows with equal scores keep their input order. */
  order: Uint32Array;
  /** The scores in that order (`sorted[i] === scores[order[i]]`, with -0 read as 0). */
  sorted: Float64Array;
}

/**
 * Sorts row indices by score, highest first, with no per-row objects and no comparator on the hot
 * path. Each row becomes one 64-bit integer, the score's bits reordered to sort descending with the
 * row index in the lowest bits (as many as the row count needs), so one native
 * `BigUint64Array.prototype.sort()` gives the permutation. Scores that differ only in those lowest
 * bits (float64 values agreeing in their first 27 or more mantissa bits, never float32 values below
 * 2^29 rows) are then put in exact order run by run. Stable: tied rows keep their input order.
 * A few seconds for 2x10^7 rows, and about 20 bytes of working memory per row.
 * Throws a RangeError on NaN, which has no place in an order.
 */
export function descendingOrder(scores: ArrayLike<number>, name = 'scores'): DescendingOrder {
  const n = scores.length;
  if (n > 0xffffffff) throw new RangeError(`${name} has ${n} rows; at most 2^32 - 1 are supported`);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    if (Number.isNaN(s)) throw new RangeError(`${name}[${i}] is NaN`);
    values[i] = s + 0;
  }

  const indexBits = n < 2 ? 1 : 32 - Math.clz32(n - 1);
  const indexMask = 2 ** indexBits - 1;
  const bits = new Uint32Array(values.buffer);
  const packed = new BigUint64Array(n);
  const words = new Uint32Array(packed.buffer);
  const sharedLowBits = n === 0 ? 0 : bits[LO]! & indexMask;
  let lowBitsDiffer = 0;
  for (let i = 0; i < n; i++) {
    const hi = bits[2 * i + HI]!;
    const lo = bits[2 * i + LO]!;
    // Negative doubles already order descending as raw bits; non-negative ones need all bits but the sign flipped.
    const negative = hi >>> 31 === 1;
    const keyLo = negative ? lo : ~lo;
    words[2 * i + HI] = negative ? hi : (hi ^ 0x7fffffff) >>> 0;
    words[2 * i + LO] = (keyLo & ~indexMask) | i;
    lowBitsDiffer |= (lo ^ sharedLowBits) & indexMask;
  }
  packed.sort();

  const order = new Uint32Array(n);
  const sorted = new Float64Array(packed.buffer);
  if (lowBitsDiffer === 0) {
    // The bits given up to the index are the same in every score (as for all float32 scores), so
    // runs of equal keys are ties, already by index, and the scores can be read back off the keys.
    for (let i = 0; i < n; i++) {
      const keyHi = words[2 * i + HI]!;
      const keyLo = words[2 * i + LO]!;
      order[i] = (keyLo & indexMask) >>> 0;
      const negative = keyHi >>> 31 === 1;
      words[2 * i + HI] = negative ? keyHi : (keyHi ^ 0x7fffffff) >>> 0;
      words[2 * i + LO] = ((negative ? keyLo : ~keyLo) & ~indexMask) | sharedLowBits;
    }
    return { order, sorted };
  }

  for (let i = 0; i < n; i++) order[i] = (words[2 * i + LO]! & indexMask) >>> 0;
  let runStart = 0;
  for (let i = 1; i <= n; i++) {
    const sameKey =
      i < n &&
      words[2 * i + HI] === words[2 * i - 2 + HI] &&
      ((words[2 * i + LO]! ^ words[2 * i - 2 + LO]!) & ~indexMask) === 0;
    if (sameKey) continue;
    if (i - runStart > 1) orderRun(order, bits, indexMask, runStart, i);
    runStart = i;
  }
  for (let i = 0; i < n; i++) sorted[i] = values[order[i]!]!;
  return { order, sorted };
}

/**
 * Puts `order[start..end)`, rows whose keys agree in all but the bits that held the row index, in
 * exact order: by those remaining low bits of the descending key, then by row index.
 */
function orderRun(order: Uint32Array, bits: Uint32Array, indexMask: number, start: number, end: number): void {
  const length = end - start;
  // The run is already by row index, so it is done when those low bits never decrease (always so for ties).
  let ordered = true;
  for (let i = start + 1; i < end && ordered; i++) ordered = lowKey(bits, order[i - 1]!, indexMask) <= lowKey(bits, order[i]!, indexMask);
  if (ordered) return;
  if (length <= INSERTION_SORT_MAX) {
    for (let i = start + 1; i < end; i++) {
      const row = order[i]!;
      const key = lowKey(bits, row, indexMask);
      let j = i - 1;
      for (; j >= start; j--) {
        const other = lowKey(bits, order[j]!, indexMask);
        if (other < key || (other === key && order[j]! < row)) break;
        order[j + 1] = order[j]!;
      }
      order[j + 1] = row;
    }
    return;
  }
  const packed = new BigUint64Array(length);
  const words = new Uint32Array(packed.buffer);
  for (let i = 0; i < length; i++) {
    const row = order[start + i]!;
    words[2 * i + HI] = lowKey(bits, row, indexMask);
    words[2 * i + LO] = row;
  }
  packed.sort();
  for (let i = 0; i < length; i++) order[start + i] = words[2 * i + LO]!;
}

/** The bits of a row's descending key that the packed sort gave up to the row index. */
function lowKey(bits: Uint32Array, row: number, indexMask: number): number {
  const lo = bits[2 * row + LO]!;
  return ((bits[2 * row + HI]! >>> 31 === 1 ? lo : ~lo) & indexMask) >>> 0;
}
