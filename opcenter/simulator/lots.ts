/**
 * Material supply: lots received from distributors, split into reels, trays and tubes, issued to
 * the lines in time order. A line keeps its reel of each part until it runs out, then takes the
 * next reel of the oldest open lot; a lot is opened (its dry pack broken) when its first reel is
 * issued.
 */
import { dateCode, DAY, HOUR } from './calendar';
import { packageOf } from './packages';
import { MANUFACTURERS, PARTS, SUPPLIERS } from './parts';
import { hash2, hashString, Rng, rngFor, unitOf } from './prng';
import { BOX_BUILD, PRODUCTS } from './products';

const { exp, max, min, round } = Math;

/** One approved manufacturer part of a material. */
export interface AvlEntry {
  readonly manufacturer: string;
  readonly mpn: string;
  readonly supplier: string;
  readonly status: 'Approved' | 'Disqualified';
}

/** How a material is supplied. */
export interface MaterialSupply {
  readonly index: number;
  readonly nid: string;
  readonly carrier: 'Reel' | 'Tray' | 'Tube';
  /** Parts per carrier as stocked (scaled down at small scale so lots turn over). */
  readonly perCarrier: number;
  /** Components come on reels that the emulator serves; PCBs and box hardware do not. */
  readonly emitsReels: boolean;
  readonly msl: string | null;
  readonly avl: readonly AvlEntry[];
}

/** A special property a lot is created with (the mechanisms that live in material). */
export interface LotDesignation {
  readonly material: string;
  readonly ordinal: number;
  readonly kind: 'OutOfTolerance' | 'FloorLifeExceeded';
}

/** One received lot. */
export interface LotRecord {
  readonly index: number;
  readonly nid: string;
  readonly material: number;
  readonly ordinal: number;
  readonly manufacturer: string;
  readonly mpn: string;
  readonly supplier: string;
  readonly initialQuantity: number;
  readonly receivedOn: number;
  readonly dateCode: string;
  openedOn: number | null;
  readonly reels: number[];
  nextReel: number;
  /** Relative value error of the parts that are off (0 for a good lot). */
  readonly valueBias: number;
  /** Share of the lot's parts that carry `valueBias`. */
  readonly offFraction: number;
  /** Multiplies the baseline solder-defect hazard of parts from this lot (plating, oxidation). */
  readonly solderability: number;
  readonly designation: LotDesignation['kind'] | null;
}

const PURPOSE_LOT = hashString('lot');
const PURPOSE_AVL = hashString('avl');

function mpnFor(manufacturer: string, nid: string, k: number): string {
  const h = hash2(hashString(manufacturer), hashString(nid)).toString(36).toUpperCase().slice(0, 5);
  return `${manufacturer.replace(/[^A-Za-z]/g, '').slice(0, 3).toUpperCase()}-${nid.split('-').slice(1).join('')}-${h}${k}`;
}

/** Builds the material supply list: components, bare PCBs and box hardware, with their AVL. */
export function createSupplies(seed: number, usage: ReadonlyMap<string, number>, scaleDown: boolean): MaterialSupply[] {
  const supplies: MaterialSupply[] = [];
  const add = (nid: string, kind: keyof typeof MANUFACTURERS | 'PCB' | 'HW', carrier: MaterialSupply['carrier'], standard: number, emitsReels: boolean, msl: string | null): void => {
    const rng = rngFor(seed, PURPOSE_AVL, hashString(nid));
    const makers = kind === 'PCB' ? ['Unimicron', 'TTM Technologies', 'AT&S'] : kind === 'HW' ? ['Foxconn Precision', 'Wurth Elektronik'] : MANUFACTURERS[kind];
    const count = rng.int(1, min(3, makers.length));
    const start = rng.int(0, makers.length - 1);
    const avl: AvlEntry[] = [];
    for (let k = 0; k < count; k++) {
      const manufacturer = makers[(start + k) % makers.length] as string;
      avl.push({
        manufacturer,
        mpn: mpnFor(manufacturer, nid, k),
        supplier: kind === 'PCB' || kind === 'HW' ? manufacturer : rng.pick(SUPPLIERS),
        status: k > 0 && rng.chance(0.15) ? 'Disqualified' : 'Approved',
      });
    }
    const used = usage.get(nid) ?? 0;
    const perCarrier = scaleDown ? max(min(standard, 20), min(standard, round(used / 7 / 10) * 10)) : standard;
    supplies.push({ index: supplies.length, nid, carrier, perCarrier, emitsReels, msl, avl });
  };
  for (const part of PARTS) {
    const pkg = packageOf(part.packageName);
    add(part.nid, part.kind, pkg.carrier, pkg.perCarrier, true, pkg.msl);
  }
  for (const product of PRODUCTS) if (product.materialType === 'Pcba') add(`PCB-${product.nid}`, 'PCB', 'Tray', 50, false, null);
  for (const hw of BOX_BUILD.hardware) add(hw.nid, 'HW', 'Tray', hw.perCarrier, false, null);
  return supplies;
}

/** All lots and reels, with the issue logic. */
export class LotBook {
  readonly lots: LotRecord[] = [];
  /** Per material, its lots in receiving order. */
  private readonly byMaterial: number[][];
  private readonly supplyIndex: Map<string, number>;
  reelLot: Int32Array<ArrayBuffer> = new Int32Array(1024);
  reelInitial: Int32Array<ArrayBuffer> = new Int32Array(1024);
  reelRemaining: Int32Array<ArrayBuffer> = new Int32Array(1024);
  reelCount = 0;

  constructor(
    private readonly seed: number,
    readonly supplies: readonly MaterialSupply[],
    private readonly designations: readonly LotDesignation[],
  ) {
    this.byMaterial = supplies.map(() => []);
    this.supplyIndex = new Map(supplies.map((s) => [s.nid, s.index]));
  }

  /** The supply index of a material number; throws for an unknown one. */
  materialIndex(nid: string): number {
    const i = this.supplyIndex.get(nid);
    if (i === undefined) throw new Error(`no supply for ${nid}`);
    return i;
  }

  /** Lots of one material, oldest first. */
  lotsOf(material: number): readonly number[] {
    return this.byMaterial[material] ?? [];
  }

  /** Issues the next reel of a material at time `t`, receiving a new lot when stock runs out. */
  issueReel(material: number, t: number): number {
    const lots = this.byMaterial[material] as number[];
    let lot = lots.find((l) => {
      const rec = this.lots[l] as LotRecord;
      return rec.nextReel < rec.reels.length;
    });
    if (lot === undefined) lot = this.receiveLot(material, t);
    const rec = this.lots[lot] as LotRecord;
    if (rec.openedOn === null) rec.openedOn = this.openingTime(rec, t);
    const reel = rec.reels[rec.nextReel] as number;
    rec.nextReel++;
    return reel;
  }

  /** Receives (creates) the next lot of a material, needed at time `t`. */
  receiveLot(material: number, t: number): number {
    const supply = this.supplies[material] as MaterialSupply;
    const lots = this.byMaterial[material] as number[];
    const ordinal = lots.length;
    const rng = rngFor(this.seed, PURPOSE_LOT, material, ordinal);
    const designation = this.designations.find((d) => d.material === supply.nid && d.ordinal === ordinal)?.kind ?? null;
    const approved = supply.avl.filter((a) => a.status === 'Approved');
    const source = rng.pick(approved.length > 0 ? approved : supply.avl);
    const reelCount = designation === 'OutOfTolerance' ? 1 : supply.carrier === 'Tray' && supply.emitsReels ? rng.int(2, 4) : rng.int(1, 3);
    const receivedOn = t - (designation === 'FloorLifeExceeded' ? rng.range(22, 35) * DAY : rng.range(1, 20) * DAY);
    const index = this.lots.length;
    const rec: LotRecord = {
      index,
      nid: `ML${String(index + 1).padStart(6, '0')}`,
      material,
      ordinal,
      manufacturer: source.manufacturer,
      mpn: source.mpn,
      supplier: source.supplier,
      initialQuantity: reelCount * supply.perCarrier,
      receivedOn,
      dateCode: dateCode(receivedOn - rng.range(3, 40) * 7 * DAY),
      openedOn: null,
      reels: [],
      nextReel: 0,
      valueBias: designation === 'OutOfTolerance' ? rng.range(0.08, 0.15) : 0,
      offFraction: designation === 'OutOfTolerance' ? 0.015 : 0,
      solderability: exp(0.35 * rng.normal()),
      designation,
    };
    for (let k = 0; k < reelCount; k++) rec.reels.push(this.addReel(index, supply.perCarrier));
    this.lots.push(rec);
    lots.push(index);
    return index;
  }

  private openingTime(rec: LotRecord, t: number): number {
    const u = unitOf(hash2(this.seed, rec.index * 7 + 3));
    if (rec.designation === 'FloorLifeExceeded') return t - (10 + 10 * u) * DAY;
    return max(rec.receivedOn, t - (0.1 + 3 * u) * HOUR);
  }

  private addReel(lot: number, quantity: number): number {
    if (this.reelCount === this.reelLot.length) {
      const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.reelLot = grow(this.reelLot);
      this.reelInitial = grow(this.reelInitial);
      this.reelRemaining = grow(this.reelRemaining);
    }
    const i = this.reelCount++;
    this.reelLot[i] = lot;
    this.reelInitial[i] = quantity;
    this.reelRemaining[i] = quantity;
    return i;
  }

  /** The NId of a reel. */
  reelNId(reel: number): string {
    return `RL${String(reel + 1).padStart(7, '0')}`;
  }

  /** The lot record of a reel. */
  lotOfReel(reel: number): LotRecord {
    return this.lots[this.reelLot[reel] as number] as LotRecord;
  }
}

/** The line-side reel of each (line, material), replaced when it cannot feed the next board. */
export class LineSideStock {
  private readonly current = new Map<number, number>();

  constructor(private readonly book: LotBook) {}

  /** Takes `quantity` parts for one board on a line at time `t`; returns the reel used. */
  take(line: number, material: number, quantity: number, t: number): number {
    const key = line * 4096 + material;
    let reel = this.current.get(key);
    if (reel === undefined || (this.book.reelRemaining[reel] as number) < quantity) {
      reel = this.book.issueReel(material, t);
      this.current.set(key, reel);
    }
    this.book.reelRemaining[reel] = (this.book.reelRemaining[reel] as number) - quantity;
    return reel;
  }
}

/** Whether a random stream says a lot part is one of the off-value parts. */
export function isOffValuePart(lot: LotRecord, rng: Rng): boolean {
  return lot.offFraction > 0 && rng.next() < lot.offFraction;
}
