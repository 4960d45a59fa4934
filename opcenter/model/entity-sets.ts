import { defineEntitySet, nullable, type EdmEntitySet, type RowOf } from './edm';

const S = 'Edm.String';
const G = 'Edm.Guid';
const I = 'Edm.Int32';
const D = 'Edm.Double';
const B = 'Edm.Boolean';
const T = 'Edm.DateTimeOffset';

const one = (target: string, localField: string, targetField = 'Id') =>
  ({ target, collection: false, localField, targetField }) as const;
const many = (target: string, targetField: string, localField = 'Id') =>
  ({ target, collection: true, localField, targetField }) as const;

// ---------------------------------------------------------------- AppU4DM (execution)

export const Equipment = defineEntitySet({
  name: 'Equipment',
  app: 'AppU4DM',
  key: 'Id',
  description: 'Plant hierarchy: SMT lines, their work centers and the machines in each work center.',
  properties: {
    Id: G,
    NId: S,
    Name: S,
    Description: S,
    Level: S, // 'Line' | 'WorkCenter' | 'Machine'
    EquipmentType: S, // 'SmtLine', 'TestCell', 'BoxBuildCell', 'PrintWorkCenter', 'ScreenPrinter', 'SPI', ...
    ParentId: nullable(G),
    ParentNId: nullable(S),
    LineNId: nullable(S),
    Vendor: nullable(S),
    Model: nullable(S),
    Status: S, // 'Available' | 'Down' | 'Maintenance'
  },
  navigations: {
    Parent: one('Equipment', 'ParentId'),
    Children: many('Equipment', 'ParentId'),
  },
  indexed: ['NId', 'ParentId', 'LineNId', 'Level'],
});

export const WorkOrder = defineEntitySet({
  name: 'WorkOrder',
  app: 'AppU4DM',
  key: 'Id',
  description: 'Production orders: one product revision, a planned quantity, run on one SMT line.',
  properties: {
    Id: G,
    NId: S,
    Name: S,
    Status: S, // 'Released' | 'Active' | 'Completed' | 'Aborted'
    FinalMaterialNId: S,
    FinalMaterialRevision: S,
    PlannedQuantity: I,
    ProducedQuantity: I,
    ScrappedQuantity: I,
    TargetYield: D,
    Priority: I,
    LineNId: S,
    PlannedStartTime: T,
    PlannedEndTime: T,
    ActualStartTime: nullable(T),
    ActualEndTime: nullable(T),
    DueDate: T,
    Customer: S,
    CreatedOn: T,
  },
  navigations: {
    Operations: many('WorkOrderOperation', 'WorkOrderId'),
    MaterialTrackingUnits: many('MaterialTrackingUnit', 'WorkOrderId'),
    FinalMaterial: one('Material', 'FinalMaterialNId', 'NId'),
    Line: one('Equipment', 'LineNId', 'NId'),
  },
  indexed: ['NId', 'Status', 'LineNId', 'FinalMaterialNId'],
});

export const WorkOrderOperation = defineEntitySet({
  name: 'WorkOrderOperation',
  app: 'AppU4DM',
  key: 'Id',
  description: 'The routing steps of a work order (print and SPI, placement, reflow, AOI, ICT, FCT, box build).',
  properties: {
    Id: G,
    NId: S,
    Name: S,
    Sequence: I,
    WorkOrderId: G,
    WorkOrderNId: S,
    WorkCenterNId: S,
    Status: S, // 'NotStarted' | 'Active' | 'Completed'
    ProcessedQuantity: I,
    ActualStartTime: nullable(T),
    ActualEndTime: nullable(T),
  },
  navigations: {
    WorkOrder: one('WorkOrder', 'WorkOrderId'),
    WorkCenter: one('Equipment', 'WorkCenterNId', 'NId'),
  },
  indexed: ['NId', 'WorkOrderId', 'WorkOrderNId', 'WorkCenterNId'],
});

export const MaterialTrackingUnit = defineEntitySet({
  name: 'MaterialTrackingUnit',
  app: 'AppU4DM',
  key: 'Id',
  description: 'Serialized units: PCBAs (boards) and box builds that consume them. NId is the serial number.',
  properties: {
    Id: G,
    NId: S,
    MaterialNId: S,
    MaterialRevision: S,
    UnitType: S, // 'Board' | 'BoxBuild'
    WorkOrderId: G,
    WorkOrderNId: S,
    LineNId: S,
    PanelNId: nullable(S),
    Quantity: I,
    Status: S, // 'InProcess' | 'Completed' | 'Scrapped' | 'Consumed'
    IsOnHold: B,
    HoldReason: nullable(S),
    CreatedOn: T,
    CompletedOn: nullable(T),
  },
  navigations: {
    WorkOrder: one('WorkOrder', 'WorkOrderId'),
    Material: one('Material', 'MaterialNId', 'NId'),
    SpiInspections: many('SpiInspection', 'MaterialTrackingUnitId'),
    AoiInspections: many('AoiInspection', 'MaterialTrackingUnitId'),
    TestRuns: many('TestRun', 'MaterialTrackingUnitId'),
    Consumptions: many('MaterialConsumption', 'MaterialTrackingUnitId'),
    Placements: many('PlacementRecord', 'MaterialTrackingUnitId'),
  },
  indexed: ['NId', 'WorkOrderId', 'WorkOrderNId', 'Status', 'UnitType', 'LineNId', 'MaterialNId'],
});

export const Stencil = defineEntitySet({
  name: 'Stencil',
  app: 'AppU4DM',
  key: 'Id',
  description: 'Print stencils (tooling): one per product side, with thickness and wipe interval.',
  properties: {
    Id: G,
    NId: S,
    MaterialNId: S,
    ThicknessUm: D,
    ApertureCount: I,
    WipeIntervalPrints: I,
    PrintCount: I,
    LineNId: S,
    Status: S, // 'InUse' | 'Stored'
  },
  navigations: {
    Material: one('Material', 'MaterialNId', 'NId'),
  },
  indexed: ['NId', 'MaterialNId', 'LineNId'],
});

// ---------------------------------------------------------------- Material

export const Material = defineEntitySet({
  name: 'Material',
  app: 'Material',
  key: 'Id',
  description: 'Part master: finished goods, PCBAs, bare PCBs and components (NId is the part number).',
  properties: {
    Id: G,
    NId: S,
    Revision: S,
    Name: S,
    Description: S,
    MaterialType: S, // 'FinishedGood' | 'Pcba' | 'Pcb' | 'Component'
    PackageType: nullable(S), // '0201', '0402', 'QFN-48', 'BGA-256', ...
    PinCount: nullable(I),
    PitchUm: nullable(D),
    MoistureSensitivityLevel: nullable(S), // J-STD-020 level: '1', '2', '2a', '3', ...
    FloorLifeHours: nullable(D),
    UnitOfMeasure: S,
  },
  navigations: {
    Lots: many('MaterialLot', 'MaterialNId', 'NId'),
    ApprovedVendorParts: many('ApprovedVendorPart', 'MaterialNId', 'NId'),
  },
  indexed: ['NId', 'MaterialType', 'PackageType'],
});

export const MaterialLot = defineEntitySet({
  name: 'MaterialLot',
  app: 'Material',
  key: 'Id',
  description: 'Received lots of a component from one supplier, with date code and moisture data.',
  properties: {
    Id: G,
    NId: S,
    MaterialNId: S,
    Manufacturer: S,
    ManufacturerPartNumber: S,
    Supplier: S,
    Quantity: D,
    InitialQuantity: D,
    UnitOfMeasure: S,
    MoistureSensitivityLevel: nullable(S),
    DateCode: S, // YYWW
    ReceivedOn: T,
    OpenedOn: nullable(T), // dry pack opened: floor life starts
    Status: S, // 'Released' | 'Quarantined' | 'Exhausted'
  },
  navigations: {
    Material: one('Material', 'MaterialNId', 'NId'),
    Reels: many('Reel', 'MaterialLotId'),
    Consumptions: many('MaterialConsumption', 'MaterialLotNId', 'NId'),
  },
  indexed: ['NId', 'MaterialNId', 'Supplier', 'Status'],
});

export const Reel = defineEntitySet({
  name: 'Reel',
  app: 'Material',
  key: 'Id',
  description: 'Reels, trays and tubes of one material lot, loaded on feeders.',
  properties: {
    Id: G,
    NId: S,
    MaterialLotId: G,
    MaterialLotNId: S,
    MaterialNId: S,
    InitialQuantity: I,
    Quantity: I,
    CarrierType: S, // 'Reel' | 'Tray' | 'Tube'
  },
  navigations: {
    MaterialLot: one('MaterialLot', 'MaterialLotId'),
  },
  indexed: ['NId', 'MaterialLotId', 'MaterialLotNId', 'MaterialNId'],
});

export const BillOfMaterials = defineEntitySet({
  name: 'BillOfMaterials',
  app: 'Material',
  key: 'Id',
  description: 'Bill of materials of one product revision.',
  properties: {
    Id: G,
    NId: S,
    MaterialNId: S,
    MaterialRevision: S,
    Status: S,
  },
  navigations: {
    Items: many('BillOfMaterialsItem', 'BillOfMaterialsId'),
    Material: one('Material', 'MaterialNId', 'NId'),
  },
  indexed: ['NId', 'MaterialNId'],
});

export const BillOfMaterialsItem = defineEntitySet({
  name: 'BillOfMaterialsItem',
  app: 'Material',
  key: 'Id',
  description: 'One BOM line: a component and the reference designators it is placed at.',
  properties: {
    Id: G,
    BillOfMaterialsId: G,
    BillOfMaterialsNId: S,
    Sequence: I,
    MaterialNId: S,
    Quantity: D,
    ReferenceDesignators: S, // comma separated, e.g. 'C1,C2,C7'
    PlacementSide: S, // 'Top' | 'Bottom'
  },
  navigations: {
    BillOfMaterials: one('BillOfMaterials', 'BillOfMaterialsId'),
    Material: one('Material', 'MaterialNId', 'NId'),
  },
  indexed: ['BillOfMaterialsId', 'BillOfMaterialsNId', 'MaterialNId'],
});

export const ApprovedVendorPart = defineEntitySet({
  name: 'ApprovedVendorPart',
  app: 'Material',
  key: 'Id',
  description: 'Approved vendor list (AVL): which manufacturer parts and suppliers may be used for a part number.',
  properties: {
    Id: G,
    MaterialNId: S,
    Manufacturer: S,
    ManufacturerPartNumber: S,
    Supplier: S,
    Status: S, // 'Approved' | 'Disqualified'
  },
  navigations: {
    Material: one('Material', 'MaterialNId', 'NId'),
  },
  indexed: ['MaterialNId', 'Supplier'],
});

// ---------------------------------------------------------------- Quality

export const SpiInspection = defineEntitySet({
  name: 'SpiInspection',
  app: 'Quality',
  key: 'Id',
  description: 'Solder paste inspection of one board after printing, with print context.',
  properties: {
    Id: G,
    NId: S,
    MaterialTrackingUnitId: G,
    SerialNumber: S,
    WorkOrderNId: S,
    LineNId: S,
    EquipmentNId: S,
    PrinterNId: S,
    StencilNId: S,
    PrintsSinceWipe: I,
    SqueegeeDirection: S, // 'Front' | 'Rear'
    InspectedOn: T,
    Shift: S, // 'A' | 'B' | 'C'
    Result: S, // 'Pass' | 'Fail'
    PadCount: I,
    FailedPadCount: I,
  },
  navigations: {
    MaterialTrackingUnit: one('MaterialTrackingUnit', 'MaterialTrackingUnitId'),
    Pads: many('SpiPadMeasurement', 'SpiInspectionId'),
  },
  indexed: ['NId', 'MaterialTrackingUnitId', 'SerialNumber', 'WorkOrderNId', 'LineNId', 'Result'],
});

export const SpiPadMeasurement = defineEntitySet({
  name: 'SpiPadMeasurement',
  app: 'Quality',
  key: 'Id',
  description: 'Per-pad paste measurements of one SPI inspection (generated on demand from the seed).',
  properties: {
    Id: S,
    SpiInspectionId: G,
    SerialNumber: S,
    PadNId: S, // '<ReferenceDesignator>-<pin>'
    ReferenceDesignator: S,
    PinNumber: S,
    PackageType: S,
    PadShape: S, // 'Rectangle' | 'Round' | 'Oblong'
    PadSizeXUm: D,
    PadSizeYUm: D,
    PitchUm: D,
    ApertureAreaRatio: D,
    VolumePct: D,
    AreaPct: D,
    HeightUm: D,
    OffsetXUm: D,
    OffsetYUm: D,
    Result: S, // 'Pass' | 'Fail'
  },
  navigations: {
    SpiInspection: one('SpiInspection', 'SpiInspectionId'),
  },
  indexed: ['SpiInspectionId', 'SerialNumber'],
  partitionedBy: ['SpiInspectionId', 'SerialNumber'],
});

export const AoiInspection = defineEntitySet({
  name: 'AoiInspection',
  app: 'Quality',
  key: 'Id',
  description: 'Automated optical inspection of one board after reflow.',
  properties: {
    Id: G,
    NId: S,
    MaterialTrackingUnitId: G,
    SerialNumber: S,
    WorkOrderNId: S,
    LineNId: S,
    EquipmentNId: S,
    InspectedOn: T,
    Result: S, // 'Pass' | 'Fail' (machine call before review)
    ComponentCount: I,
    DefectCallCount: I,
    ConfirmedDefectCount: I,
  },
  navigations: {
    MaterialTrackingUnit: one('MaterialTrackingUnit', 'MaterialTrackingUnitId'),
    Components: many('AoiComponentResult', 'AoiInspectionId'),
  },
  indexed: ['NId', 'MaterialTrackingUnitId', 'SerialNumber', 'WorkOrderNId', 'LineNId', 'Result'],
});

export const AoiComponentResult = defineEntitySet({
  name: 'AoiComponentResult',
  app: 'Quality',
  key: 'Id',
  description: 'Per-component AOI result with the repair operator review (generated on demand).',
  properties: {
    Id: S,
    AoiInspectionId: G,
    SerialNumber: S,
    ReferenceDesignator: S,
    MaterialNId: S,
    PackageType: S,
    Result: S, // 'Pass' | 'Fail'
    DefectCode: nullable(S), // 'Bridging' | 'InsufficientSolder' | 'Open' | 'Missing' | 'Misaligned' | 'Tombstone' | 'Polarity'
    ReviewVerdict: nullable(S), // 'Confirmed' | 'FalseCall' (set only for Fail)
  },
  navigations: {
    AoiInspection: one('AoiInspection', 'AoiInspectionId'),
  },
  indexed: ['AoiInspectionId', 'SerialNumber'],
  partitionedBy: ['AoiInspectionId', 'SerialNumber'],
});

export const NonConformance = defineEntitySet({
  name: 'NonConformance',
  app: 'Quality',
  key: 'Id',
  description: 'Nonconformance records (NCRs), manual or drafted by the AI layer for review.',
  properties: {
    Id: G,
    NId: S,
    Title: S,
    Description: S,
    Status: S, // 'PendingReview' | 'Open' | 'Closed' | 'Rejected'
    Severity: S, // 'Minor' | 'Major' | 'Critical'
    DefectType: nullable(S),
    SerialNumber: nullable(S),
    WorkOrderNId: nullable(S),
    ReferenceDesignators: nullable(S),
    Pads: nullable(S),
    LikelyCause: nullable(S),
    Source: S, // 'Manual' | 'AI'
    ModelName: nullable(S),
    ModelVersion: nullable(S),
    Confidence: nullable(D),
    CreatedBy: S,
    CreatedOn: T,
  },
  navigations: {},
  indexed: ['NId', 'SerialNumber', 'WorkOrderNId', 'Status', 'Source'],
});

// ---------------------------------------------------------------- Test

export const TestRun = defineEntitySet({
  name: 'TestRun',
  app: 'Test',
  key: 'Id',
  description: 'In-circuit (ICT) and functional (FCT) test runs of one board, retests included.',
  properties: {
    Id: G,
    NId: S,
    MaterialTrackingUnitId: G,
    SerialNumber: S,
    WorkOrderNId: S,
    TestType: S, // 'ICT' | 'FCT'
    EquipmentNId: S,
    FixtureNId: nullable(S),
    ProgramVersion: S,
    FirmwareVersion: nullable(S),
    Attempt: I,
    StartedOn: T,
    DurationSeconds: D,
    Result: S, // 'Pass' | 'Fail'
    StepCount: I,
    FailedStepCount: I,
  },
  navigations: {
    MaterialTrackingUnit: one('MaterialTrackingUnit', 'MaterialTrackingUnitId'),
    Steps: many('TestStep', 'TestRunId'),
  },
  indexed: ['NId', 'MaterialTrackingUnitId', 'SerialNumber', 'WorkOrderNId', 'TestType', 'Result', 'EquipmentNId', 'FixtureNId'],
});

export const TestStep = defineEntitySet({
  name: 'TestStep',
  app: 'Test',
  key: 'Id',
  description: 'Measured steps of a test run with their limits (generated on demand).',
  properties: {
    Id: S,
    TestRunId: G,
    SerialNumber: S,
    Sequence: I,
    Name: S,
    ReferenceDesignator: nullable(S),
    MeasuredValue: nullable(D),
    LowLimit: nullable(D),
    HighLimit: nullable(D),
    Unit: S,
    Result: S, // 'Pass' | 'Fail'
  },
  navigations: {
    TestRun: one('TestRun', 'TestRunId'),
  },
  indexed: ['TestRunId', 'SerialNumber'],
  partitionedBy: ['TestRunId', 'SerialNumber'],
});

export const TestFixture = defineEntitySet({
  name: 'TestFixture',
  app: 'Test',
  key: 'Id',
  description: 'ICT bed-of-nails fixtures, one or more per product.',
  properties: {
    Id: G,
    NId: S,
    MaterialNId: S,
    ProbeCount: I,
    CycleCount: I,
    StationNId: S,
  },
  navigations: {},
  indexed: ['NId', 'MaterialNId'],
});

// ---------------------------------------------------------------- Genealogy

export const MaterialConsumption = defineEntitySet({
  name: 'MaterialConsumption',
  app: 'Genealogy',
  key: 'Id',
  description:
    'Genealogy edges: a unit consumed material from a lot (components) or another unit (a board into a box build).',
  properties: {
    Id: G,
    MaterialTrackingUnitId: G,
    SerialNumber: S,
    WorkOrderNId: S,
    OperationNId: S,
    MaterialNId: S,
    MaterialLotNId: nullable(S),
    ReelNId: nullable(S),
    ConsumedSerialNumber: nullable(S),
    ReferenceDesignators: nullable(S),
    Quantity: D,
    EquipmentNId: S,
    ConsumedOn: T,
  },
  navigations: {
    MaterialTrackingUnit: one('MaterialTrackingUnit', 'MaterialTrackingUnitId'),
    MaterialLot: one('MaterialLot', 'MaterialLotNId', 'NId'),
    ConsumedMaterialTrackingUnit: one('MaterialTrackingUnit', 'ConsumedSerialNumber', 'NId'),
  },
  indexed: ['MaterialTrackingUnitId', 'SerialNumber', 'WorkOrderNId', 'MaterialLotNId', 'ReelNId', 'ConsumedSerialNumber', 'MaterialNId'],
});

export const PlacementRecord = defineEntitySet({
  name: 'PlacementRecord',
  app: 'Genealogy',
  key: 'Id',
  description: 'Where each reference designator of a board was placed from (generated on demand).',
  properties: {
    Id: S,
    MaterialTrackingUnitId: G,
    SerialNumber: S,
    ReferenceDesignator: S,
    MaterialNId: S,
    MaterialLotNId: S,
    ReelNId: S,
    EquipmentNId: S,
    FeederSlot: I,
    NozzleNId: S,
    PickAttempts: I,
    PlacedOn: T,
  },
  navigations: {
    MaterialTrackingUnit: one('MaterialTrackingUnit', 'MaterialTrackingUnitId'),
    MaterialLot: one('MaterialLot', 'MaterialLotNId', 'NId'),
  },
  indexed: ['MaterialTrackingUnitId', 'SerialNumber'],
  partitionedBy: ['MaterialTrackingUnitId', 'SerialNumber'],
});

// ---------------------------------------------------------------- AuditTrail

export const AuditTrailEntry = defineEntitySet({
  name: 'AuditTrailEntry',
  app: 'AuditTrail',
  key: 'Id',
  description: 'Audit trail: who (user or AI service) did what to which subject, with model and confidence.',
  properties: {
    Id: G,
    Timestamp: T,
    Actor: S,
    ActorType: S, // 'User' | 'Service'
    Action: S,
    SubjectType: S,
    SubjectNId: S,
    Details: nullable(S),
    ModelName: nullable(S),
    ModelVersion: nullable(S),
    Confidence: nullable(D),
    InputDigest: nullable(S),
    LatencyMs: nullable(D),
    CorrelationId: nullable(S),
  },
  navigations: {},
  indexed: ['SubjectNId', 'Action', 'Actor', 'CorrelationId'],
});

export const ElectronicSignature = defineEntitySet({
  name: 'ElectronicSignature',
  app: 'AuditTrail',
  key: 'Id',
  description: 'Electronic signatures (21 CFR Part 11 style) on decisions such as releasing a held unit.',
  properties: {
    Id: G,
    SubjectType: S,
    SubjectNId: S,
    Signer: S,
    Meaning: S, // 'Approval' | 'Review' | 'Rejection'
    Reason: S,
    SignedOn: T,
  },
  navigations: {},
  indexed: ['SubjectNId', 'Signer'],
});

/** Every entity set the emulator serves, in `$metadata` order. */
export const ENTITY_SETS = [
  Equipment,
  WorkOrder,
  WorkOrderOperation,
  MaterialTrackingUnit,
  Stencil,
  Material,
  MaterialLot,
  Reel,
  BillOfMaterials,
  BillOfMaterialsItem,
  ApprovedVendorPart,
  SpiInspection,
  SpiPadMeasurement,
  AoiInspection,
  AoiComponentResult,
  NonConformance,
  TestRun,
  TestStep,
  TestFixture,
  MaterialConsumption,
  PlacementRecord,
  AuditTrailEntry,
  ElectronicSignature,
] as const satisfies readonly EdmEntitySet[];

export type EntitySetName = (typeof ENTITY_SETS)[number]['name'];

export type EquipmentRow = RowOf<typeof Equipment>;
export type WorkOrderRow = RowOf<typeof WorkOrder>;
export type WorkOrderOperationRow = RowOf<typeof WorkOrderOperation>;
export type MaterialTrackingUnitRow = RowOf<typeof MaterialTrackingUnit>;
export type StencilRow = RowOf<typeof Stencil>;
export type MaterialRow = RowOf<typeof Material>;
export type MaterialLotRow = RowOf<typeof MaterialLot>;
export type ReelRow = RowOf<typeof Reel>;
export type BillOfMaterialsRow = RowOf<typeof BillOfMaterials>;
export type BillOfMaterialsItemRow = RowOf<typeof BillOfMaterialsItem>;
export type ApprovedVendorPartRow = RowOf<typeof ApprovedVendorPart>;
export type SpiInspectionRow = RowOf<typeof SpiInspection>;
export type SpiPadMeasurementRow = RowOf<typeof SpiPadMeasurement>;
export type AoiInspectionRow = RowOf<typeof AoiInspection>;
export type AoiComponentResultRow = RowOf<typeof AoiComponentResult>;
export type NonConformanceRow = RowOf<typeof NonConformance>;
export type TestRunRow = RowOf<typeof TestRun>;
export type TestStepRow = RowOf<typeof TestStep>;
export type TestFixtureRow = RowOf<typeof TestFixture>;
export type MaterialConsumptionRow = RowOf<typeof MaterialConsumption>;
export type PlacementRecordRow = RowOf<typeof PlacementRecord>;
export type AuditTrailEntryRow = RowOf<typeof AuditTrailEntry>;
export type ElectronicSignatureRow = RowOf<typeof ElectronicSignature>;

/** The entity set of a name, or undefined. */
export function findEntitySet(name: string): EdmEntitySet | undefined {
  return ENTITY_SETS.find((set) => set.name === name);
}
