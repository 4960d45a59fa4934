/**
 * Component packages and their land patterns: pad sizes, shapes and the pitch to the nearest pad,
 * in micrometres, close to IPC-7351 nominal lands.
 */

/** How a package behaves in the process (paste printing, AOI visibility, moisture, nozzles). */
export type PackageClass = 'Chip' | 'Sot' | 'Soic' | 'Qfn' | 'Bga' | 'Power' | 'Connector' | 'Crystal';

/** One land of a package. */
export interface PadSpec {
  readonly pin: string;
  readonly sizeXUm: number;
  readonly sizeYUm: number;
  readonly shape: 'Rectangle' | 'Round' | 'Oblong';
  /** Centre distance to the nearest other land. */
  readonly pitchUm: number;
  /** Axis along which the nearest neighbour lies (0: X, 1: Y): paste that spreads along it can bridge. */
  readonly pitchAxis: 0 | 1;
  /** Stencil aperture size as a fraction of the land (aperture reduction). */
  readonly apertureScale: number;
}

/** A package: its lands, its moisture sensitivity and how it is supplied. */
export interface PackageSpec {
  readonly name: string;
  readonly kind: PackageClass;
  readonly pads: readonly PadSpec[];
  /** Lead pitch for Material.PitchUm (null for two-terminal chips). */
  readonly pitchUm: number | null;
  /** J-STD-020 moisture sensitivity level. */
  readonly msl: '1' | '3';
  readonly floorLifeHours: number | null;
  /** AOI sees the solder joints (not under a BGA). */
  readonly aoiVisible: boolean;
  readonly carrier: 'Reel' | 'Tray' | 'Tube';
  /** Parts per reel, tray or tube, as shipped. */
  readonly perCarrier: number;
  /** Nozzle class on the placement head (N01 smallest). */
  readonly nozzle: string;
}

function chip(name: string, padX: number, padY: number, centre: number, perCarrier: number, nozzle: string): PackageSpec {
  const pad = (pin: string): PadSpec => ({ pin, sizeXUm: padX, sizeYUm: padY, shape: 'Rectangle', pitchUm: centre, pitchAxis: 0, apertureScale: 0.9 });
  return { name, kind: 'Chip', pads: [pad('1'), pad('2')], pitchUm: null, msl: '1', floorLifeHours: null, aoiVisible: true, carrier: 'Reel', perCarrier, nozzle };
}

function leaded(name: string, kind: PackageClass, pins: number, pitch: number, padX: number, padY: number, extra: readonly PadSpec[], base: Partial<PackageSpec>): PackageSpec {
  const pads: PadSpec[] = [];
  for (let i = 1; i <= pins; i++) {
    // Leads sit side by side across their narrow dimension: that is the axis a bridge forms along.
    pads.push({ pin: String(i), sizeXUm: padX, sizeYUm: padY, shape: 'Rectangle', pitchUm: pitch, pitchAxis: padX < padY ? 0 : 1, apertureScale: 0.95 });
  }
  return {
    name,
    kind,
    pads: [...pads, ...extra],
    pitchUm: pitch,
    msl: '1',
    floorLifeHours: null,
    aoiVisible: true,
    carrier: 'Reel',
    perCarrier: 3000,
    nozzle: 'N04',
    ...base,
  };
}

/** A quad flat no-lead package: lands on four sides plus an exposed thermal pad (windowpane aperture). */
function qfn(name: string, pins: number, pitch: number, padL: number, padW: number, ep: number, perCarrier: number): PackageSpec {
  const pads: PadSpec[] = [];
  for (let i = 1; i <= pins; i++) {
    const side = Math.floor(((i - 1) * 4) / pins);
    const vertical = side % 2 === 0;
    pads.push({
      pin: String(i),
      sizeXUm: vertical ? padL : padW,
      sizeYUm: vertical ? padW : padL,
      shape: 'Rectangle',
      pitchUm: pitch,
      pitchAxis: vertical ? 1 : 0,
      apertureScale: 0.95,
    });
  }
  pads.push({ pin: 'EP', sizeXUm: ep, sizeYUm: ep, shape: 'Rectangle', pitchUm: ep / 2 + padL, pitchAxis: 0, apertureScale: 0.75 });
  return { name, kind: 'Qfn', pads, pitchUm: pitch, msl: '3', floorLifeHours: 168, aoiVisible: true, carrier: 'Reel', perCarrier, nozzle: 'N04' };
}

const BGA_ROWS = 'ABCDEFGHJKLMNPRTUVWY';

/** A ball grid array: round lands on a full grid (rows lettered without I, O, Q, S, X, Z). */
function bga(name: string, rows: number, cols: number, pitch: number, diameter: number, perCarrier: number): PackageSpec {
  const pads: PadSpec[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 1; c <= cols; c++) {
      const row = r < BGA_ROWS.length ? BGA_ROWS[r] : `A${BGA_ROWS[r - BGA_ROWS.length]}`;
      pads.push({ pin: `${row}${c}`, sizeXUm: diameter, sizeYUm: diameter, shape: 'Round', pitchUm: pitch, pitchAxis: ((r + c) % 2) as 0 | 1, apertureScale: 1 });
    }
  }
  return { name, kind: 'Bga', pads, pitchUm: pitch, msl: '3', floorLifeHours: 168, aoiVisible: false, carrier: 'Tray', perCarrier, nozzle: 'N05' };
}

const pad = (pin: string, x: number, y: number, pitch: number, shape: PadSpec['shape'] = 'Rectangle'): PadSpec => ({
  pin,
  sizeXUm: x,
  sizeYUm: y,
  shape,
  pitchUm: pitch,
  pitchAxis: 0,
  apertureScale: 0.9,
});

/** Every package the plant's products use, by name. */
export const PACKAGES: Readonly<Record<string, PackageSpec>> = Object.fromEntries(
  [
    chip('0201', 300, 280, 520, 15000, 'N01'),
    chip('0402', 600, 500, 1000, 10000, 'N02'),
    chip('0603', 900, 800, 1600, 5000, 'N03'),
    chip('0805', 1300, 1200, 2000, 4000, 'N03'),
    chip('1206', 1600, 1800, 3000, 3000, 'N03'),
    chip('SOD-123', 1200, 1000, 3300, 3000, 'N03'),
    leaded('SOT-23', 'Sot', 3, 950, 1000, 600, [], { nozzle: 'N03' }),
    leaded('SOIC-8', 'Soic', 8, 1270, 1550, 600, [], { carrier: 'Reel', perCarrier: 2500 }),
    leaded('TSSOP-20', 'Soic', 20, 650, 1500, 400, [], { perCarrier: 2500 }),
    qfn('QFN-24', 24, 400, 700, 220, 2600, 5000),
    qfn('QFN-32', 32, 500, 800, 280, 3400, 5000),
    qfn('QFN-40', 40, 400, 700, 220, 3500, 4000),
    qfn('QFN-48', 48, 500, 800, 280, 5100, 2500),
    qfn('QFN-48-0.4', 48, 400, 700, 220, 4400, 2500),
    leaded('PQFN-5x6', 'Power', 4, 1270, 700, 1000, [pad('EP', 4000, 4500, 2600)], { msl: '3', floorLifeHours: 168, perCarrier: 3000, nozzle: 'N05' }),
    leaded('DPAK', 'Power', 2, 2290, 1000, 1600, [pad('TAB', 5800, 6200, 4500)], { perCarrier: 2500, nozzle: 'N05' }),
    bga('BGA-256', 16, 16, 800, 350, 90),
    bga('BGA-96', 6, 16, 800, 350, 200),
    bga('WLCSP-36', 6, 6, 400, 200, 5000),
    leaded('LGA-14', 'Qfn', 14, 500, 575, 350, [], { msl: '3', floorLifeHours: 168, perCarrier: 5000 }),
    leaded('XTAL-3225', 'Crystal', 4, 2200, 1400, 1150, [], { perCarrier: 3000, nozzle: 'N04' }),
    leaded('USB-C', 'Connector', 24, 500, 300, 1150, [pad('S1', 1000, 1600, 3000), pad('S2', 1000, 1600, 3000)], { carrier: 'Reel', perCarrier: 1000, nozzle: 'N06' }),
    leaded('HDR-2x10', 'Connector', 20, 1270, 2400, 760, [], { carrier: 'Tube', perCarrier: 200, nozzle: 'N06' }),
    leaded('PWR-4', 'Connector', 4, 3500, 2000, 3000, [], { carrier: 'Tray', perCarrier: 100, nozzle: 'N06' }),
    leaded('IND-4040', 'Power', 2, 3000, 1400, 3700, [], { perCarrier: 2500, nozzle: 'N05' }),
    leaded('IND-7070', 'Power', 2, 5500, 2400, 3000, [], { perCarrier: 1000, nozzle: 'N06' }),
    leaded('ECAP-8x10', 'Power', 2, 3500, 1600, 4000, [], { perCarrier: 500, nozzle: 'N06' }),
  ].map((p) => [p.name, p]),
);

/** The package spec of a name; throws for an unknown package. */
export function packageOf(name: string): PackageSpec {
  const spec = PACKAGES[name];
  if (!spec) throw new Error(`unknown package ${name}`);
  return spec;
}
