/**
 * The process faults of the plant as functions of time. Each one is drawn per (machine, time
 * window) from the seed, so its state at any instant, past or live, is known without replaying
 * history. Besides the random ones, one episode of each kind is forced at a time when its line
 * is busy, so even a small plant shows every mechanism.
 */
import { HOUR } from './calendar';
import { hashString, rngFor } from './prng';

const { cos, floor, max, sin } = Math;

/** Why a defect happened (ground truth). */
export type Mechanism =
  | 'StencilClogging'
  | 'ExcessPaste'
  | 'PrinterDrift'
  | 'LotOutOfTolerance'
  | 'FixtureWear'
  | 'FirmwareMismatch'
  | 'FeederNozzle'
  | 'MoistureFloorLife'
  | 'Random';

/** A feeder or nozzle problem on one placement machine. */
export interface FeederEpisode {
  readonly machine: number;
  /** Feeder slot in trouble, or 0 when a nozzle is worn. */
  readonly slot: number;
  /** Worn nozzle class, or null when a feeder is in trouble. */
  readonly nozzle: string | null;
  readonly pMissing: number;
  readonly pMisaligned: number;
}

const P_EXCESS = hashString('excess-paste');
const P_DRIFT = hashString('printer-drift');
const P_FEEDER = hashString('feeder');
const P_FIRMWARE = hashString('firmware');

const EXCESS_WINDOW = 12 * HOUR;
const DRIFT_WINDOW = 8 * HOUR;
const FEEDER_WINDOW = 8 * HOUR;
const FIRMWARE_WINDOW = 24 * HOUR;

/** When the forced episode of each mechanism happens (chosen while a line is busy), epoch ms. */
export interface ForcedEpisodes {
  readonly excess: { readonly line: number; readonly at: number };
  readonly drift: { readonly line: number; readonly at: number };
  readonly feeder: { readonly line: number; readonly at: number };
  readonly firmware: { readonly station: number; readonly at: number; readonly product: number };
}

/** Episode schedules of one plant. */
export class MechanismSchedule {
  constructor(
    private readonly seed: number,
    private readonly forced: ForcedEpisodes,
    private readonly placersPerLine: readonly number[],
    private readonly pcbaCount: number,
  ) {}

  private isForced(which: { line?: number; station?: number; at: number }, unit: number, window: number, size: number): boolean {
    return (which.line ?? which.station) === unit && floor((which.at - HOUR) / size) === window;
  }

  /**
   * Excess paste on fine-pitch apertures (0 = none, 0.5 = +50 % volume): a worn squeegee blade or
   * a stencil that no longer gaskets against the board lets paste flood past the aperture walls.
   * It worsens through the episode until the blade is changed.
   */
  excessPaste(line: number, t: number): number {
    const w = floor(t / EXCESS_WINDOW);
    for (const window of [w, w - 1]) {
      const rng = rngFor(this.seed, P_EXCESS, line, window);
      const forced = this.isForced(this.forced.excess, line, window, EXCESS_WINDOW);
      if (!(rng.chance(0.1) || forced)) continue;
      const start = forced ? this.forced.excess.at - HOUR : window * EXCESS_WINDOW + rng.range(0, EXCESS_WINDOW - 2 * HOUR);
      const duration = rng.range(2, 6) * HOUR;
      const amplitude = rng.range(0.2, 0.4);
      if (t >= start && t < start + duration) return amplitude * (0.4 + (0.6 * (t - start)) / duration);
    }
    return 0;
  }

  /**
   * Printer X/Y offset in micrometres at `t`: the board-to-stencil alignment drifts (thermal growth,
   * vision fiducial wear) from each calibration until the next one resets it.
   */
  printerOffset(line: number, t: number): { x: number; y: number } {
    const calibrationOf = (w: number): number => {
      const offset = rngFor(this.seed, P_DRIFT, line, w).range(0.5, 7.5) * HOUR;
      const f = this.forced.drift;
      if (f.line !== line) return w * DRIFT_WINDOW + offset;
      // The forced drift runs from 4 h before its time until at least 2 h after it.
      if (floor((f.at - 4 * HOUR) / DRIFT_WINDOW) === w) return f.at - 4 * HOUR;
      if (floor((f.at - 4 * HOUR) / DRIFT_WINDOW) === w - 1) return max(w * DRIFT_WINDOW + offset, f.at + 2 * HOUR);
      return w * DRIFT_WINDOW + offset;
    };
    let w = floor(t / DRIFT_WINDOW);
    let calibration = calibrationOf(w);
    if (t < calibration) {
      w -= 1;
      calibration = calibrationOf(w);
    }
    const rng = rngFor(this.seed, P_DRIFT, line, w);
    rng.next();
    const forced = this.forced.drift.line === line && floor((this.forced.drift.at - 4 * HOUR) / DRIFT_WINDOW) === w;
    let rateX = rng.gauss(0, 1.2);
    let rateY = rng.gauss(0, 1.2);
    if (rng.chance(0.1) || forced) {
      const angle = rng.range(0, 2 * Math.PI);
      const rate = rng.range(4, 7);
      rateX = rate * cos(angle);
      rateY = rate * sin(angle);
    }
    const hours = (t - calibration) / HOUR;
    return { x: rng.gauss(0, 3) + rateX * hours, y: rng.gauss(0, 3) + rateY * hours };
  }

  /** The feeder or nozzle trouble on a line at `t`, if any. */
  feederTrouble(line: number, t: number): FeederEpisode | null {
    const w = floor(t / FEEDER_WINDOW);
    const rng = rngFor(this.seed, P_FEEDER, line, w);
    const forced = this.isForced(this.forced.feeder, line, w, FEEDER_WINDOW);
    if (!(rng.chance(0.08) || forced)) return null;
    const start = forced ? this.forced.feeder.at - HOUR : w * FEEDER_WINDOW + rng.range(0, FEEDER_WINDOW - 3 * HOUR);
    const duration = (forced ? 2 : rng.range(0.75, 2.5)) * HOUR;
    if (t < start || t >= start + duration) return null;
    const machine = forced ? 0 : rng.int(0, (this.placersPerLine[line] ?? 2) - 1);
    if (forced) return { machine, slot: 1, nozzle: null, pMissing: 0.003, pMisaligned: 0.002 };
    if (rng.chance(0.3)) {
      return { machine, slot: 0, nozzle: rng.pick(['N01', 'N02', 'N03']), pMissing: 0.0002, pMisaligned: rng.range(0.001, 0.003) };
    }
    return { machine, slot: rng.int(1, 6), nozzle: null, pMissing: rng.range(0.002, 0.008), pMisaligned: rng.range(0.001, 0.005) };
  }

  /**
   * The product whose FCT firmware image is wrong on an FCT station at `t` (an older image left
   * on the station after a program update), or -1.
   */
  firmwareMismatch(station: number, t: number): number {
    const w = floor(t / FIRMWARE_WINDOW);
    const rng = rngFor(this.seed, P_FIRMWARE, station, w);
    const forced = this.isForced(this.forced.firmware, station, w, FIRMWARE_WINDOW);
    if (!(rng.chance(0.06) || forced)) return -1;
    const start = forced ? this.forced.firmware.at - HOUR : w * FIRMWARE_WINDOW + rng.range(0, FIRMWARE_WINDOW - 6 * HOUR);
    const duration = (forced ? 1.5 : rng.range(1, 3)) * HOUR;
    const product = forced ? this.forced.firmware.product : rng.int(0, this.pcbaCount - 1);
    return t >= start && t < start + duration ? product : -1;
  }
}

/** The firmware image an FCT station loads by mistake: the previous minor release. */
export function staleFirmware(version: string): string {
  return version.replace(/(\d+)\.(\d+)\.(\d+)$/, (_m, a: string, b: string) => `${a}.${max(0, Number(b) - 1)}.9`);
}
