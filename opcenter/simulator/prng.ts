/**
 * Seeded randomness. Every random choice in the plant is drawn from a stream keyed by
 * (seed, entity, index), so any board can be regenerated on its own, in any order, with the same
 * result as when the history was built.
 */

// Math's functions called through the global object are not inlined in some sandboxes (jest's vm
// context runs them ~100x slower); local bindings are.
const { exp, floor, imul, log, sqrt } = Math;

/** Finalises a 32-bit value (murmur3's fmix32): small input changes flip about half the bits. */
export function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Combines two 32-bit keys into one hash. */
export function hash2(a: number, b: number): number {
  return mix32(imul(mix32(a) ^ 0x9e3779b9, 0x01000193) + (b | 0));
}

/** Combines three 32-bit keys into one hash. */
export function hash3(a: number, b: number, c: number): number {
  return hash2(hash2(a, b), c);
}

/** Combines four 32-bit keys into one hash. */
export function hash4(a: number, b: number, c: number, d: number): number {
  return hash2(hash2(hash2(a, b), c), d);
}

/** A 32-bit hash of a string (FNV-1a, finalised), for naming random streams. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = imul(h, 0x01000193);
  }
  return mix32(h);
}

/** A uniform number in [0, 1) from a hash. */
export function unitOf(hash: number): number {
  return (hash >>> 0) / 4294967296;
}

const NORMAL_TABLE_BITS = 12;
const NORMAL_TABLE = buildNormalTable(1 << NORMAL_TABLE_BITS);

/** Standard normal quantiles at the midpoints of 2^bits equal-probability bins (Acklam's approximation). */
function buildNormalTable(size: number): Float64Array {
  const table = new Float64Array(size);
  for (let i = 0; i < size; i++) table[i] = inverseNormal((i + 0.5) / size);
  return table;
}

/** The standard normal quantile function, to about 1e-9 (P. J. Acklam). */
export function inverseNormal(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const low = 0.02425;
  if (p < low) {
    const q = sqrt(-2 * log(p));
    return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  if (p > 1 - low) {
    const q = sqrt(-2 * log(1 - p));
    return -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
}

/** A small, fast pseudo-random stream (sfc32), seeded from one 32-bit hash. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed | 0;
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** The next 32-bit unsigned integer. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform in [low, high). */
  range(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Integer in [low, high], both included. */
  int(low: number, high: number): number {
    return low + floor(this.next() * (high - low + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A standard normal draw (tabulated quantiles, tails cut near ±3.5 sigma). */
  normal(): number {
    return NORMAL_TABLE[this.uint32() >>> (32 - NORMAL_TABLE_BITS)] as number;
  }

  /** A normal draw with this mean and standard deviation. */
  gauss(mean: number, sd: number): number {
    return mean + sd * this.normal();
  }

  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T {
    const item = items[floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** One index, with probability proportional to its weight. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let u = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i] as number;
      if (u < 0) return i;
    }
    return weights.length - 1;
  }
}

/** A stream for one (seed, purpose, index...) key. */
export function rngFor(seed: number, purpose: number, index = 0, sub = 0): Rng {
  return new Rng(hash4(seed, purpose, index, sub));
}

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
const GUID_BUFFER = Buffer.alloc(36);

function writeHex(value: number, at: number, digits: number): void {
  for (let i = digits - 1; i >= 0; i--) {
    GUID_BUFFER[at + i] = HEX_DIGITS[value & 15] as number;
    value >>>= 4;
  }
}

/**
 * A deterministic GUID (lowercase 8-4-4-4-12 hex, version-4 layout) for one key. Distinct keys give
 * distinct GUIDs within a seed (index, purpose < 65,536 and sub < 2^26 are each encoded by a
 * bijection, not hashed), so millions of rows never collide; the last group is decoration.
 */
export function guidOf(seed: number, purpose: number, index: number, sub = 0): string {
  const a = mix32((index ^ hash2(seed, purpose)) >>> 0);
  const p = (purpose ^ hash2(seed, 0x2545f491)) & 0xffff;
  const s = (imul(sub, 0x2c1b3c6d) + hash3(seed, purpose, 0x51ed270b)) & 0x3ffffff;
  const tail = hash4(seed, purpose, index, sub);
  // Written into one buffer so that the string is flat: millions of ids stay compact in memory.
  writeHex(a, 0, 8);
  GUID_BUFFER[8] = 45;
  writeHex(p, 9, 4);
  GUID_BUFFER[13] = 45;
  writeHex(0x4000 | (s & 0x0fff), 14, 4);
  GUID_BUFFER[18] = 45;
  writeHex(0x8000 | (s >>> 12), 19, 4);
  GUID_BUFFER[23] = 45;
  writeHex(tail >>> 16, 24, 4);
  writeHex(hash2(tail, 0x6a09e667), 28, 8);
  return GUID_BUFFER.toString('latin1', 0, 36);
}

/** Logistic function. */
export function sigmoid(x: number): number {
  return 1 / (1 + exp(-x));
}
