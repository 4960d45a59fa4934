/**
 * The products: three PCBAs and one box build, their bills of materials with reference
 * designators, and each PCBA flattened into component and pad tables that the board simulation
 * walks with plain indexes.
 */
import { packageOf, type PackageClass } from './packages';
import { partOf, type PartSpec } from './parts';

/** One BOM line as designed: a part placed `count` times. */
interface BomLineSpec {
  readonly part: string;
  readonly count: number;
}

/** One functional test step of a product. */
export interface FctStepSpec {
  readonly name: string;
  readonly unit: string;
  readonly nominal: number | null;
  readonly low: number | null;
  readonly high: number | null;
  /** Firmware-related steps fail when the station runs the wrong firmware. */
  readonly firmware?: boolean;
}

/** A product as designed. */
export interface ProductSpec {
  readonly nid: string;
  readonly revision: string;
  readonly name: string;
  readonly materialType: 'Pcba' | 'FinishedGood';
  /** Serial number prefix. */
  readonly serialPrefix: string;
  readonly customer: string;
  /** Seconds per board at the line's bottleneck (placement). */
  readonly taktSeconds: number;
  readonly panelSize: number;
  /** Stencil thickness range for this product, micrometres. */
  readonly stencilUm: readonly [number, number];
  readonly firmware: string;
  readonly lines: readonly BomLineSpec[];
  readonly fctSteps: readonly FctStepSpec[];
  /** Relative share of orders. */
  readonly orderWeight: number;
}

const rail = (name: string, volts: number, tol = 0.05): FctStepSpec => ({
  name,
  unit: 'V',
  nominal: volts,
  low: +(volts * (1 - tol)).toFixed(3),
  high: +(volts * (1 + tol)).toFixed(3),
});
const check = (name: string, firmware = false): FctStepSpec => ({ name, unit: 'bool', nominal: 1, low: 1, high: 1, firmware });
const measure = (name: string, unit: string, nominal: number, low: number, high: number): FctStepSpec => ({ name, unit, nominal, low, high });

/** Every product the plant builds. */
export const PRODUCTS: readonly ProductSpec[] = [
  {
    nid: 'GW-MB-100',
    revision: 'C',
    name: 'IoT gateway main board',
    materialType: 'Pcba',
    serialPrefix: 'GWM',
    customer: 'Nordwind Automation',
    taktSeconds: 42,
    panelSize: 2,
    stencilUm: [110, 120],
    firmware: 'gw-fw 3.8.2',
    orderWeight: 4,
    lines: [
      { part: 'U-SOC-A53', count: 1 },
      { part: 'U-DDR4-8G', count: 1 },
      { part: 'U-PMIC-40', count: 1 },
      { part: 'U-ETH-PHY', count: 1 },
      { part: 'U-FLASH-128M', count: 1 },
      { part: 'U-EEPROM-2K', count: 1 },
      { part: 'U-LDO-3V3', count: 4 },
      { part: 'Q-NMOS-30V', count: 4 },
      { part: 'Y-XTAL-25M', count: 2 },
      { part: 'J-USB-C', count: 1 },
      { part: 'J-HDR-2X10', count: 1 },
      { part: 'J-PWR-4', count: 1 },
      { part: 'D-LED-GRN', count: 3 },
      { part: 'D-TVS-5V', count: 4 },
      { part: 'L-PWR-2U2', count: 2 },
      { part: 'FB-600R', count: 6 },
      { part: 'C-0201-100N', count: 58 },
      { part: 'C-0201-1U', count: 22 },
      { part: 'C-0201-10N', count: 16 },
      { part: 'R-0201-10K', count: 18 },
      { part: 'R-0201-1K', count: 12 },
      { part: 'R-0402-10K', count: 16 },
      { part: 'R-0402-4K7', count: 8 },
      { part: 'R-0402-33R', count: 12 },
      { part: 'R-0402-1K', count: 8 },
      { part: 'R-0402-100K', count: 6 },
      { part: 'R-0402-49R9', count: 8 },
      { part: 'C-0402-100N', count: 28 },
      { part: 'C-0402-1U', count: 14 },
      { part: 'C-0402-10N', count: 10 },
      { part: 'C-0603-10U', count: 10 },
      { part: 'C-0603-4U7', count: 6 },
      { part: 'R-0603-0R', count: 4 },
      { part: 'C-0805-22U', count: 6 },
    ],
    fctSteps: [
      rail('Rail 5V0', 5),
      rail('Rail 3V3', 3.3),
      rail('Rail 1V8', 1.8),
      rail('Rail 0V9 core', 0.9, 0.03),
      check('Boot to bootloader', true),
      check('Firmware CRC', true),
      check('DDR memory test'),
      check('SPI flash read'),
      check('Ethernet link 1000BASE-T'),
      check('USB enumerate'),
      measure('Idle current', 'A', 0.42, 0.3, 0.55),
    ],
  },
  {
    nid: 'MD-PWR-200',
    revision: 'B',
    name: 'Motor drive power board',
    materialType: 'Pcba',
    serialPrefix: 'MDP',
    customer: 'Nordwind Automation',
    taktSeconds: 30,
    panelSize: 2,
    stencilUm: [120, 130],
    firmware: 'md-fw 1.12.0',
    orderWeight: 3,
    lines: [
      { part: 'U-MCU-M4', count: 1 },
      { part: 'U-GATE-DRV', count: 3 },
      { part: 'U-CSA', count: 1 },
      { part: 'Q-PWR-60V', count: 6 },
      { part: 'Q-PWR-DPAK', count: 4 },
      { part: 'U-LDO-3V3', count: 2 },
      { part: 'J-PWR-4', count: 2 },
      { part: 'J-HDR-2X10', count: 1 },
      { part: 'L-PWR-10U', count: 2 },
      { part: 'C-ECAP-470U', count: 4 },
      { part: 'D-LED-GRN', count: 3 },
      { part: 'D-TVS-5V', count: 6 },
      { part: 'R-1206-R010', count: 3 },
      { part: 'R-0805-10K', count: 20 },
      { part: 'R-0805-100R', count: 8 },
      { part: 'C-0805-1U', count: 20 },
      { part: 'C-0805-100N', count: 12 },
      { part: 'C-1206-10U', count: 16 },
      { part: 'C-0603-100N', count: 30 },
      { part: 'R-0603-10K', count: 24 },
      { part: 'R-0603-1K', count: 16 },
      { part: 'R-0402-10K', count: 20 },
      { part: 'C-0402-100N', count: 20 },
      { part: 'C-0402-1N', count: 22 },
    ],
    fctSteps: [
      rail('Rail 24V bus', 24, 0.1),
      rail('Rail 12V gate', 12),
      rail('Rail 3V3', 3.3),
      check('MCU boot', true),
      check('Firmware CRC', true),
      measure('Gate drive phase A', 'V', 12, 11, 13),
      measure('Gate drive phase B', 'V', 12, 11, 13),
      measure('Gate drive phase C', 'V', 12, 11, 13),
      measure('Phase current sense offset', 'mV', 0, -15, 15),
      measure('Idle current', 'A', 0.12, 0.08, 0.18),
    ],
  },
  {
    nid: 'SN-ENV-300',
    revision: 'A',
    name: 'Environmental sensor board',
    materialType: 'Pcba',
    serialPrefix: 'SNE',
    customer: 'Helio Buildings',
    taktSeconds: 26,
    panelSize: 4,
    stencilUm: [100, 110],
    firmware: 'sn-fw 2.4.1',
    orderWeight: 2,
    lines: [
      { part: 'U-SENS-MCU', count: 1 },
      { part: 'U-AFE-2CH', count: 2 },
      { part: 'U-IMU-6AX', count: 1 },
      { part: 'U-MCU-BLE', count: 1 },
      { part: 'U-LDO-3V3', count: 3 },
      { part: 'Y-XTAL-25M', count: 2 },
      { part: 'J-HDR-2X10', count: 1 },
      { part: 'D-LED-GRN', count: 2 },
      { part: 'C-0201-100N', count: 70 },
      { part: 'C-0201-1U', count: 20 },
      { part: 'C-0201-10P', count: 12 },
      { part: 'R-0201-10K', count: 40 },
      { part: 'R-0201-1K', count: 20 },
      { part: 'R-0402-10K', count: 12 },
      { part: 'C-0402-1U', count: 10 },
      { part: 'C-0402-100N', count: 20 },
      { part: 'C-0603-10U', count: 4 },
      { part: 'FB-600R', count: 2 },
    ],
    fctSteps: [
      rail('Rail 3V3', 3.3),
      rail('Rail 1V8 analog', 1.8, 0.03),
      check('Boot', true),
      check('Firmware CRC', true),
      check('IMU self test'),
      measure('AFE channel 1 offset', 'mV', 0, -2, 2),
      measure('AFE channel 2 offset', 'mV', 0, -2, 2),
      measure('BLE RSSI at 1 m', 'dBm', -45, -60, -30),
      measure('Sleep current', 'uA', 8, 3, 15),
    ],
  },
  {
    nid: 'GW-BOX-100',
    revision: 'A',
    name: 'Edge motor controller (box build)',
    materialType: 'FinishedGood',
    serialPrefix: 'EMC',
    customer: 'Nordwind Automation',
    taktSeconds: 240,
    panelSize: 1,
    stencilUm: [0, 0],
    firmware: 'gw-fw 3.8.2',
    orderWeight: 0,
    lines: [],
    fctSteps: [
      check('Power on self test'),
      check('Boot', true),
      check('Firmware CRC', true),
      check('Main to drive board link'),
      measure('Motor spin test speed', 'rpm', 3000, 2900, 3100),
      check('Ethernet link 1000BASE-T'),
    ],
  },
];

/** The box build's consumed material: the two boards, the enclosure and its screws. */
export const BOX_BUILD = {
  product: 'GW-BOX-100',
  boards: ['GW-MB-100', 'MD-PWR-200'],
  hardware: [
    { nid: 'ENC-EMC-100', name: 'Enclosure, aluminium, machined', quantity: 1, perCarrier: 40 },
    { nid: 'SCR-M3X6-TX', name: 'Screw M3x6 Torx, stainless', quantity: 8, perCarrier: 2000 },
  ],
} as const;

/** One placed component of a PCBA. */
export interface ComponentModel {
  readonly refdes: string;
  readonly part: PartSpec;
  readonly bomLine: number;
  readonly packageName: string;
  readonly kind: PackageClass;
  readonly padStart: number;
  readonly padCount: number;
  readonly aoiVisible: boolean;
  readonly moistureSensitive: boolean;
  /** Hours out of dry pack before reflow is at risk (J-STD-033), for moisture-sensitive parts. */
  readonly floorLifeHours: number | null;
  /** Index into the product's FCT steps that a defect on this component makes fail. */
  readonly fctStep: number;
}

/** One BOM line of a PCBA with its reference designators (the bare PCB is line 0). */
export interface BomLineModel {
  readonly part: string;
  readonly refdes: readonly string[];
  readonly components: readonly number[];
  readonly quantity: number;
}

/** A PCBA flattened into tables. */
export interface ProductModel {
  readonly index: number;
  readonly spec: ProductSpec;
  readonly pcbNid: string | null;
  readonly bomLines: readonly BomLineModel[];
  readonly components: readonly ComponentModel[];
  readonly padCount: number;
  readonly padComponent: Int32Array;
  readonly padSizeX: Float64Array;
  readonly padSizeY: Float64Array;
  readonly padPitch: Float64Array;
  readonly padAxis: Uint8Array;
  readonly padApertureScale: Float64Array;
  readonly padShape: readonly string[];
  readonly padPin: readonly string[];
  readonly padNId: readonly string[];
}

const PREFIX: Record<string, string> = { R: 'R', C: 'C', L: 'L', FB: 'FB', D: 'D', Q: 'Q', U: 'U', Y: 'Y', J: 'J' };

function fctStepFor(spec: ProductSpec, part: PartSpec, ordinal: number): number {
  const find = (needle: string): number => {
    const i = spec.fctSteps.findIndex((s) => s.name.includes(needle));
    return i >= 0 ? i : 0;
  };
  if (part.nid.includes('DDR')) return find('DDR');
  if (part.nid.includes('SOC') || part.nid.includes('MCU')) return find('oot');
  if (part.nid.includes('FLASH')) return find('flash');
  if (part.nid.includes('ETH')) return find('Ethernet');
  if (part.nid.includes('USB')) return find('USB');
  if (part.nid.includes('GATE') || part.nid.includes('Q-PWR')) return find('Gate drive');
  if (part.nid.includes('CSA')) return find('current sense');
  if (part.nid.includes('IMU')) return find('IMU');
  if (part.nid.includes('AFE')) return find('AFE');
  const rails = spec.fctSteps.map((s, i) => (s.unit === 'V' || s.name.includes('current') ? i : -1)).filter((i) => i >= 0);
  return rails[ordinal % rails.length] ?? 0;
}

/** Flattens a PCBA spec into component and pad tables. */
export function buildProductModel(spec: ProductSpec, index: number): ProductModel {
  const counters = new Map<string, number>();
  const components: ComponentModel[] = [];
  const pcbNid = spec.materialType === 'Pcba' ? `PCB-${spec.nid}` : null;
  const bomLines: BomLineModel[] = pcbNid ? [{ part: pcbNid, refdes: [], components: [], quantity: 1 }] : [];
  const pads: { comp: number; x: number; y: number; pitch: number; axis: 0 | 1; ap: number; shape: string; pin: string; nid: string }[] = [];
  for (const line of spec.lines) {
    const part = partOf(line.part);
    const pkg = packageOf(part.packageName);
    const prefix = PREFIX[part.kind] ?? 'X';
    const refdes: string[] = [];
    const compIdx: number[] = [];
    for (let k = 0; k < line.count; k++) {
      const n = (counters.get(prefix) ?? 0) + 1;
      counters.set(prefix, n);
      const ref = `${prefix}${n}`;
      refdes.push(ref);
      compIdx.push(components.length);
      const padStart = pads.length;
      for (const p of pkg.pads) {
        pads.push({ comp: components.length, x: p.sizeXUm, y: p.sizeYUm, pitch: p.pitchUm, axis: p.pitchAxis, ap: p.apertureScale, shape: p.shape, pin: p.pin, nid: `${ref}-${p.pin}` });
      }
      components.push({
        refdes: ref,
        part,
        bomLine: bomLines.length,
        packageName: pkg.name,
        kind: pkg.kind,
        padStart,
        padCount: pkg.pads.length,
        aoiVisible: pkg.aoiVisible,
        moistureSensitive: pkg.msl !== '1',
        floorLifeHours: pkg.floorLifeHours,
        fctStep: fctStepFor(spec, part, components.length),
      });
    }
    bomLines.push({ part: line.part, refdes, components: compIdx, quantity: line.count });
  }
  return {
    index,
    spec,
    pcbNid,
    bomLines,
    components,
    padCount: pads.length,
    padComponent: Int32Array.from(pads, (p) => p.comp),
    padSizeX: Float64Array.from(pads, (p) => p.x),
    padSizeY: Float64Array.from(pads, (p) => p.y),
    padPitch: Float64Array.from(pads, (p) => p.pitch),
    padAxis: Uint8Array.from(pads, (p) => p.axis),
    padApertureScale: Float64Array.from(pads, (p) => p.ap),
    padShape: pads.map((p) => p.shape),
    padPin: pads.map((p) => p.pin),
    padNId: pads.map((p) => p.nid),
  };
}

/** The product spec of a part number; throws for an unknown one. */
export function productSpecOf(nid: string): ProductSpec {
  const spec = PRODUCTS.find((p) => p.nid === nid);
  if (!spec) throw new Error(`unknown product ${nid}`);
  return spec;
}
