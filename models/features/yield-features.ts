/**
 * The features of `yield-predictor`: one row per production order at a point of its run, from what
 * Opcenter holds about the order so far (its SPI, AOI and test results, the lots feeding its latest
 * board). Training computes them from the simulator's rows up to a checkpoint time; serving from
 * Opcenter now. Both call `computeYieldFeatures`.
 */
import type { Row } from '../../opcenter/client';
import { FeatureInputError } from './feature-input.error';

/** A lot feeding the order's latest board. */
export interface LotInUse {
  readonly lotId: string;
  readonly supplier: string;
  /** J-STD-020 level ('2a' and '5a' as 2.5 and 5.5); null for parts that are not moisture sensitive. */
  readonly moistureSensitivityLevel: number | null;
  /** When the dry pack was opened (epoch ms), or null. */
  readonly openedOn: number | null;
}

/** What the features of one order at one time need. */
export interface YieldOrderInput {
  readonly orderId: string;
  readonly productId: string;
  readonly plannedQuantity: number;
  /** The order's yield target (0..1). */
  readonly targetYield: number;
  /** The time the snapshot describes (epoch ms). */
  readonly asOf: number;
  readonly boardsStarted: number;
  /** SPI inspections, AOI inspections and test runs so far, each in time order. */
  readonly spi: readonly { readonly result: string; readonly failedPadCount: number; readonly padCount: number }[];
  readonly aoi: readonly { readonly result: string; readonly confirmedDefectCount: number; readonly serialNumber: string }[];
  readonly tests: readonly { readonly serialNumber: string; readonly testType: string; readonly attempt: number; readonly result: string }[];
  readonly lotsInUse: readonly LotInUse[];
  /**
   * For each ICT fixture and each FCT station the order has used so far, its latest first-attempt
   * runs on any order (up to EQUIPMENT_WINDOW, newest last): true = passed. A wearing fixture or a
   * station with the wrong firmware shows here before the order's own numbers move.
   */
  readonly ictFixtureRuns: readonly (readonly boolean[])[];
  readonly fctStationRuns: readonly (readonly boolean[])[];
}

/** First-attempt runs per fixture or station that the equipment features look back over. */
export const EQUIPMENT_WINDOW = 100;

/** Feature names, in column order. */
export const YIELD_FEATURE_NAMES = [
  'product_gw_mb_100',
  'product_md_pwr_200',
  'product_sn_env_300',
  'product_gw_box_100',
  'product_other',
  'is_box_build',
  'planned_quantity',
  'progress',
  'boards_started',
  'spi_boards',
  'spi_fail_share',
  'spi_failed_pads_per_1000',
  'aoi_boards',
  'aoi_call_share',
  'aoi_confirmed_share',
  'ict_first_runs',
  'ict_first_pass_rate',
  'fct_first_runs',
  'fct_first_pass_rate',
  'finished_boards',
  'observed_first_pass_yield',
  'target_yield',
  'shift_a',
  'shift_b',
  'shift_c',
  'lots_in_use',
  'suppliers_in_use',
  'msl_max_hours_open',
  'msl_lots_past_floor_life',
  'recent_spi_fail_share',
  'recent_aoi_confirmed_share',
  'recent_ict_first_pass_rate',
  'recent_fct_first_pass_rate',
  'recent_first_pass_yield',
  'ict_fixture_recent_fail_share',
  'fct_station_recent_fail_share',
] as const;

/** Number of feature columns. */
export const YIELD_FEATURE_COUNT = YIELD_FEATURE_NAMES.length;

/** Bumped whenever a feature's definition changes. */
export const YIELD_FEATURES_VERSION = 1;

const PRODUCT_COLUMN: Readonly<Record<string, number>> = { 'GW-MB-100': 0, 'MD-PWR-200': 1, 'SN-ENV-300': 2, 'GW-BOX-100': 3 };
const BOX_BUILDS = new Set(['GW-BOX-100']);
/** J-STD-033 floor life of MSL 3 parts at ≤ 30 °C / 60 % RH, hours. */
const MSL3_FLOOR_LIFE_H = 168;
const HOUR = 3_600_000;
/** Boards in the "recent" window: episodes (drift, clogging, a worn fixture) show in the latest boards first. */
const RECENT = 30;

function shareOf<T>(items: readonly T[], test: (item: T) => boolean, empty: number): number {
  const window = items.slice(-RECENT);
  return window.length > 0 ? window.filter(test).length / window.length : empty;
}

/** Shift of a UTC time: A 06–14, B 14–22, C 22–06. */
export function shiftAt(epochMs: number): 'A' | 'B' | 'C' {
  const hour = new Date(epochMs).getUTCHours();
  return hour >= 6 && hour < 14 ? 'A' : hour >= 14 && hour < 22 ? 'B' : 'C';
}

/** Computes the feature row of one order snapshot (`YIELD_FEATURE_COUNT` values). */
export function computeYieldFeatures(order: YieldOrderInput): Float32Array {
  const f = new Float32Array(YIELD_FEATURE_COUNT);
  f[PRODUCT_COLUMN[order.productId] ?? 4] = 1;
  const boxBuild = BOX_BUILDS.has(order.productId);
  f[5] = boxBuild ? 1 : 0;
  f[6] = order.plannedQuantity;
  f[7] = Math.min(1, order.boardsStarted / Math.max(1, order.plannedQuantity));
  f[8] = order.boardsStarted;

  let spiFail = 0;
  let failedPads = 0;
  let pads = 0;
  for (const s of order.spi) {
    if (s.result === 'Fail') spiFail++;
    failedPads += s.failedPadCount;
    pads += s.padCount;
  }
  f[9] = order.spi.length;
  f[10] = order.spi.length > 0 ? spiFail / order.spi.length : 0;
  f[11] = pads > 0 ? (1000 * failedPads) / pads : 0;

  const aoiConfirmed = new Set<string>();
  let aoiCalls = 0;
  for (const a of order.aoi) {
    if (a.result === 'Fail') aoiCalls++;
    if (a.confirmedDefectCount > 0) aoiConfirmed.add(a.serialNumber);
  }
  f[12] = order.aoi.length;
  f[13] = order.aoi.length > 0 ? aoiCalls / order.aoi.length : 0;
  f[14] = order.aoi.length > 0 ? aoiConfirmed.size / order.aoi.length : 0;

  const firstIct = new Map<string, boolean>();
  const firstFct = new Map<string, boolean>();
  for (const t of order.tests) {
    if (t.attempt !== 1) continue;
    (t.testType === 'ICT' ? firstIct : firstFct).set(t.serialNumber, t.result === 'Pass');
  }
  const passRate = (m: Map<string, boolean>): number => (m.size > 0 ? [...m.values()].filter(Boolean).length / m.size : 1);
  f[15] = firstIct.size;
  f[16] = passRate(firstIct);
  f[17] = firstFct.size;
  f[18] = passRate(firstFct);

  // A board's first pass is known once its first FCT run is in: no confirmed AOI call, first ICT and FCT passed.
  let finished = 0;
  let passed = 0;
  const finishedPassed: boolean[] = [];
  for (const [serial, fctPass] of firstFct) {
    finished++;
    const pass = fctPass && !aoiConfirmed.has(serial) && (boxBuild || firstIct.get(serial) !== false);
    finishedPassed.push(pass);
    if (pass) passed++;
  }
  f[19] = finished;
  f[20] = finished > 0 ? passed / finished : 1;
  f[21] = order.targetYield;
  const shift = shiftAt(order.asOf);
  f[shift === 'A' ? 22 : shift === 'B' ? 23 : 24] = 1;

  f[25] = order.lotsInUse.length;
  f[26] = new Set(order.lotsInUse.map((l) => l.supplier)).size;
  let maxOpen = 0;
  let pastFloorLife = 0;
  for (const lot of order.lotsInUse) {
    if ((lot.moistureSensitivityLevel ?? 1) < 3 || lot.openedOn === null) continue;
    const hours = Math.max(0, (order.asOf - lot.openedOn) / HOUR);
    maxOpen = Math.max(maxOpen, hours);
    if (hours > MSL3_FLOOR_LIFE_H) pastFloorLife++;
  }
  f[27] = maxOpen;
  f[28] = pastFloorLife;

  f[29] = shareOf(order.spi, (x) => x.result === 'Fail', 0);
  f[30] = shareOf(order.aoi, (x) => x.confirmedDefectCount > 0, 0);
  f[31] = shareOf([...firstIct.values()], (pass) => pass, 1);
  f[32] = shareOf([...firstFct.values()], (pass) => pass, 1);
  f[33] = shareOf(finishedPassed, (pass) => pass, 1);
  const worstFailShare = (equipment: readonly (readonly boolean[])[]): number =>
    Math.max(0, ...equipment.map((runs) => {
      const window = runs.slice(-EQUIPMENT_WINDOW);
      return window.length > 0 ? window.filter((pass) => !pass).length / window.length : 0;
    }));
  f[34] = worstFailShare(order.ictFixtureRuns);
  f[35] = worstFailShare(order.fctStationRuns);
  return f;
}

function need<T>(subject: string, field: string, value: unknown, ok: (v: unknown) => v is T, expected: string): T {
  if (!ok(value)) throw new FeatureInputError(subject, field, `must be ${expected}, got ${JSON.stringify(value) ?? 'undefined'}`);
  return value;
}
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isTime = (v: unknown): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v));

/** J-STD-020 levels are written '1', '2', '2a', '3', '4', '5', '5a', '6'; 'a' sits half a level above. */
function mslOf(subject: string, field: string, value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (isNumber(value)) return value;
  const match = typeof value === 'string' ? /^([1-6])(a?)$/i.exec(value.trim()) : null;
  if (match === null) throw new FeatureInputError(subject, field, `must be a J-STD-020 level ('1'..'6', '2a', '5a') or null, got ${JSON.stringify(value)}`);
  return Number(match[1]) + (match[2] ? 0.5 : 0);
}

function passesOf(subject: string, field: string, runs: readonly Row[]): boolean[] {
  return [...runs]
    .sort((a, b) => String(a.startedOn).localeCompare(String(b.startedOn)))
    .map((r, i) => need(subject, `${field}[${i}].result`, r.result, isText, "'Pass' or 'Fail'") === 'Pass');
}

/** Opcenter rows (logical names) of one order as far as they go at `asOf`. */
export interface YieldOrderRows {
  readonly workOrder: Row;
  readonly boardsStarted: number;
  readonly spiInspections: readonly Row[];
  readonly aoiInspections: readonly Row[];
  readonly testRuns: readonly Row[];
  readonly lotsInUse: readonly Row[];
  /** Latest first-attempt `testRun` rows on each ICT fixture / FCT station the order used, any order. */
  readonly ictFixtureRuns: readonly (readonly Row[])[];
  readonly fctStationRuns: readonly (readonly Row[])[];
  readonly asOf: number;
}

/**
 * Builds the input of `computeYieldFeatures` from Opcenter rows in logical names, checking every
 * field it uses.
 * @throws FeatureInputError naming the first field that is missing or malformed
 */
export function toYieldOrderInput(rows: YieldOrderRows): YieldOrderInput {
  const byTime = (field: string) => (list: readonly Row[]): Row[] =>
    [...list].sort((a, b) => String(a[field]).localeCompare(String(b[field])) || String(a.id).localeCompare(String(b.id)));
  rows = {
    ...rows,
    spiInspections: byTime('inspectedOn')(rows.spiInspections),
    aoiInspections: byTime('inspectedOn')(rows.aoiInspections),
    testRuns: byTime('startedOn')(rows.testRuns),
  };
  const orderId = need('workOrder', 'id', rows.workOrder.id, isText, 'a non-empty string');
  const subject = `order ${orderId}`;
  return {
    orderId,
    productId: need(subject, 'workOrder.finalMaterialId', rows.workOrder.finalMaterialId, isText, 'a non-empty string'),
    plannedQuantity: need(subject, 'workOrder.plannedQuantity', rows.workOrder.plannedQuantity, isNumber, 'a number'),
    targetYield: need(subject, 'workOrder.targetYield', rows.workOrder.targetYield, isNumber, 'a number'),
    asOf: rows.asOf,
    boardsStarted: rows.boardsStarted,
    spi: rows.spiInspections.map((r, i) => ({
      result: need(subject, `spiInspection[${i}].result`, r.result, isText, "'Pass' or 'Fail'"),
      failedPadCount: need(subject, `spiInspection[${i}].failedPadCount`, r.failedPadCount, isNumber, 'a number'),
      padCount: need(subject, `spiInspection[${i}].padCount`, r.padCount, isNumber, 'a number'),
    })),
    aoi: rows.aoiInspections.map((r, i) => ({
      result: need(subject, `aoiInspection[${i}].result`, r.result, isText, "'Pass' or 'Fail'"),
      confirmedDefectCount: need(subject, `aoiInspection[${i}].confirmedDefectCount`, r.confirmedDefectCount, isNumber, 'a number'),
      serialNumber: need(subject, `aoiInspection[${i}].serialNumber`, r.serialNumber, isText, 'a serial number'),
    })),
    tests: rows.testRuns.map((r, i) => ({
      serialNumber: need(subject, `testRun[${i}].serialNumber`, r.serialNumber, isText, 'a serial number'),
      testType: need(subject, `testRun[${i}].testType`, r.testType, isText, "'ICT' or 'FCT'"),
      attempt: need(subject, `testRun[${i}].attempt`, r.attempt, isNumber, 'a number'),
      result: need(subject, `testRun[${i}].result`, r.result, isText, "'Pass' or 'Fail'"),
    })),
    lotsInUse: rows.lotsInUse.map((r, i) => ({
      lotId: need(subject, `materialLot[${i}].id`, r.id, isText, 'a lot id'),
      supplier: need(subject, `materialLot[${i}].supplier`, r.supplier, isText, 'a supplier name'),
      moistureSensitivityLevel: mslOf(subject, `materialLot[${i}].moistureSensitivityLevel`, r.moistureSensitivityLevel),
      openedOn: r.openedOn === null ? null : Date.parse(need(subject, `materialLot[${i}].openedOn`, r.openedOn, isTime, 'an ISO time or null')),
    })),
    ictFixtureRuns: rows.ictFixtureRuns.map((runs, k) => passesOf(subject, `ictFixtureRuns[${k}]`, runs)),
    fctStationRuns: rows.fctStationRuns.map((runs, k) => passesOf(subject, `fctStationRuns[${k}]`, runs)),
  };
}
