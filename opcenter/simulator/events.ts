/**
 * The events the plant posts to the ingest endpoint, as Opcenter (or its connector) would post
 * them. Ids are deterministic, so a replayed live sequence deduplicates.
 */

interface EventBase {
  /** Unique, deterministic, UUID-like. */
  readonly id: string;
  /** ISO 8601 time the event happened (simulated time). */
  readonly timestamp: string;
}

/** A work order started on a line. */
export interface WorkOrderStartedEvent extends EventBase {
  readonly eventType: 'WorkOrderStarted';
  readonly workOrderId: string;
  readonly lineId: string;
  readonly productId: string;
  readonly plannedQuantity: number;
}

/** One component placed on the board by one placement machine. */
export interface PlacedComponent {
  readonly referenceDesignator: string;
  readonly materialId: string;
  readonly lotId: string;
  readonly reelId: string;
  readonly feederSlot: number;
  readonly nozzleId: string;
}

/** A placement machine finished its part of a board. */
export interface PlacementCompleteEvent extends EventBase {
  readonly eventType: 'PlacementComplete';
  readonly workOrderId: string;
  readonly operationId: string;
  readonly machineId: string;
  readonly serialNumber: string;
  readonly imageReference: string;
  readonly componentList: readonly PlacedComponent[];
}

/** SPI uploaded a board's pad measurements. */
export interface SpiMeasurementsUploadedEvent extends EventBase {
  readonly eventType: 'SpiMeasurementsUploaded';
  readonly workOrderId: string;
  readonly serialNumber: string;
  readonly inspectionId: string;
  readonly machineId: string;
  readonly lineId: string;
  readonly result: string;
  readonly padCount: number;
  readonly failedPadCount: number;
  /**
   * The print's measurements, one entry per pad in each column (as SPI machines upload them).
   * Optional in the contract (a sender may post only the notification); this plant always sends them.
   */
  readonly measurements?: SpiEventMeasurements;
}

/** What the SPI machine measured on one print: the print's context and one column per measurement. */
export interface SpiEventMeasurements {
  readonly stencilId: string;
  readonly printsSinceWipe: number;
  /** 'A' | 'B' | 'C' */
  readonly shift: string;
  readonly pads: {
    readonly padId: readonly string[];
    readonly volumePct: readonly number[];
    readonly areaPct: readonly number[];
    readonly heightUm: readonly number[];
    readonly offsetXUm: readonly number[];
    readonly offsetYUm: readonly number[];
    /** 'Pass' | 'Fail' */
    readonly result: readonly string[];
  };
}

/** AOI inspected a board (machine call). */
export interface AoiInspectionDoneEvent extends EventBase {
  readonly eventType: 'AoiInspectionDone';
  readonly workOrderId: string;
  readonly serialNumber: string;
  readonly inspectionId: string;
  readonly machineId: string;
  readonly lineId: string;
  readonly result: string;
  readonly defectCallCount: number;
}

/** An ICT or FCT run finished. */
export interface TestRunDoneEvent extends EventBase {
  readonly eventType: 'TestRunDone';
  readonly workOrderId: string;
  readonly serialNumber: string;
  readonly testRunId: string;
  readonly testType: string;
  readonly machineId: string;
  readonly fixtureId: string | null;
  readonly result: string;
  readonly failedStepCount: number;
}

/** A unit consumed material from a lot, or another unit. */
export interface MaterialConsumedEvent extends EventBase {
  readonly eventType: 'MaterialConsumed';
  readonly workOrderId: string;
  readonly serialNumber: string;
  readonly materialId: string;
  readonly lotId: string | null;
  readonly reelId?: string;
  readonly consumedSerialNumber?: string;
  readonly quantity: number;
}

/** A work order finished. */
export interface WorkOrderCompletedEvent extends EventBase {
  readonly eventType: 'WorkOrderCompleted';
  readonly workOrderId: string;
  readonly producedQuantity: number;
  readonly scrappedQuantity: number;
}

/** Every event the plant emits. */
export type OpcenterEvent =
  | WorkOrderStartedEvent
  | PlacementCompleteEvent
  | SpiMeasurementsUploadedEvent
  | AoiInspectionDoneEvent
  | TestRunDoneEvent
  | MaterialConsumedEvent
  | WorkOrderCompletedEvent;

/** The event type names. */
export const EVENT_TYPES = [
  'WorkOrderStarted',
  'PlacementComplete',
  'SpiMeasurementsUploaded',
  'AoiInspectionDone',
  'TestRunDone',
  'MaterialConsumed',
  'WorkOrderCompleted',
] as const satisfies readonly OpcenterEvent['eventType'][];

/** One event type name. */
export type OpcenterEventType = (typeof EVENT_TYPES)[number];
