/**
 * Ground truth: every real defect of a board with the mechanism that caused it and where it was
 * caught. It is never served through OData; it exists to evaluate the AI layer.
 */
import type { Mechanism } from './mechanisms';

/** The kinds of defect (and test-process failures) the plant produces. */
export type DefectType =
  | 'Bridging'
  | 'InsufficientSolder'
  | 'Open'
  | 'Missing'
  | 'Misaligned'
  | 'Tombstone'
  | 'Polarity'
  | 'Parametric'
  | 'HeadInPillow'
  | 'FirmwareFailure'
  | 'FixtureContact'
  | 'NoFaultFound';

/** Where a defect was caught and acted on ('Escape': it left the plant in the board). */
export type DetectedBy = 'AOI' | 'ICT' | 'FCT' | 'Escape';

/** One true defect of a board. */
export interface TrueDefect {
  readonly referenceDesignator: string;
  /** The pad where a solder-joint defect started ('<RefDes>-<pin>', as SpiPadMeasurement.PadNId). */
  readonly padNId?: string;
  readonly defectType: DefectType;
  readonly mechanism: Mechanism;
  /** The SPI machine failed the pad this defect started at. */
  readonly visibleToSpi: boolean;
  readonly detectedBy: DetectedBy;
}

/** The ground truth of one board or box build. */
export interface BoardTruth {
  readonly serialNumber: string;
  readonly workOrderNId: string;
  readonly lineNId: string;
  readonly defects: readonly TrueDefect[];
  /**
   * The board passed AOI (no confirmed call), its first ICT run and its first FCT run: what a
   * first-pass-yield model predicts. Test-process failures (fixture contact, wrong firmware)
   * count as fails here, as they do on the shop floor.
   */
  readonly firstPassYield: boolean;
}

/** A defect while the board moves through the line (internal, mutable `detectedBy`). */
export interface BoardDefect {
  readonly component: number;
  readonly pad: number;
  readonly type: DefectType;
  readonly mechanism: Mechanism;
  readonly visibleToSpi: boolean;
  readonly deviation?: number;
  detectedBy: DetectedBy;
}
