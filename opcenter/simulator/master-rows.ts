/**
 * Master-data rows: materials, bills of materials, the approved vendor list, lots and reels,
 * work orders and their operations.
 */
import type {
  ApprovedVendorPartRow,
  BillOfMaterialsItemRow,
  BillOfMaterialsRow,
  MaterialLotRow,
  MaterialRow,
  ReelRow,
  WorkOrderOperationRow,
  WorkOrderRow,
} from '../model/entity-sets';
import { iso } from './calendar';
import type { LotRecord } from './lots';
import type { OrderPlan } from './orders';
import { packageOf } from './packages';
import { PARTS } from './parts';
import { guidOf, hashString } from './prng';
import { BOX_BUILD, type ProductModel } from './products';
import { lotId, lotQuantity, reelId } from './stages';
import { reelNid, syncReels, type PlantState } from './state';

const P_MATERIAL = hashString('material');
const P_BOM = hashString('bom');
const P_AVL = hashString('avl-row');

/** Material rows: products, bare PCBs, components and box hardware. */
export function materialRows(seed: number, products: readonly ProductModel[]): MaterialRow[] {
  const rows: MaterialRow[] = [];
  const add = (nid: string, name: string, type: string, revision: string, pkg: string | null): void => {
    const spec = pkg ? packageOf(pkg) : null;
    rows.push({
      Id: guidOf(seed, P_MATERIAL, rows.length),
      NId: nid,
      Revision: revision,
      Name: name,
      Description: spec ? `${name}, ${spec.name}` : name,
      MaterialType: type,
      PackageType: spec?.name ?? null,
      PinCount: spec ? spec.pads.length : null,
      PitchUm: spec?.pitchUm ?? null,
      MoistureSensitivityLevel: spec?.msl ?? null,
      FloorLifeHours: spec?.floorLifeHours ?? null,
      UnitOfMeasure: 'EA',
    });
  };
  for (const p of products) add(p.spec.nid, p.spec.name, p.spec.materialType, p.spec.revision, null);
  for (const p of products) if (p.pcbNid) add(p.pcbNid, `Bare PCB for ${p.spec.name}`, 'Pcb', p.spec.revision, null);
  for (const part of PARTS) add(part.nid, part.name, 'Component', 'A', part.packageName);
  for (const hw of BOX_BUILD.hardware) add(hw.nid, hw.name, 'Component', 'A', null);
  return rows;
}

/** Bills of materials and their items. */
export function bomRows(seed: number, products: readonly ProductModel[]): { boms: BillOfMaterialsRow[]; items: BillOfMaterialsItemRow[] } {
  const boms: BillOfMaterialsRow[] = [];
  const items: BillOfMaterialsItemRow[] = [];
  for (const p of products) {
    const id = guidOf(seed, P_BOM, p.index);
    const nid = `BOM-${p.spec.nid}-${p.spec.revision}`;
    boms.push({ Id: id, NId: nid, MaterialNId: p.spec.nid, MaterialRevision: p.spec.revision, Status: 'Released' });
    const lines: { part: string; quantity: number; refdes: string }[] =
      p.spec.materialType === 'Pcba'
        ? p.bomLines.map((b) => ({ part: b.part, quantity: b.quantity, refdes: b.refdes.join(',') }))
        : [
            ...BOX_BUILD.boards.map((b, k) => ({ part: b, quantity: 1, refdes: `A${k + 1}` })),
            ...BOX_BUILD.hardware.map((h) => ({ part: h.nid, quantity: h.quantity, refdes: '' })),
          ];
    lines.forEach((line, k) => {
      items.push({
        Id: guidOf(seed, P_BOM, p.index, k + 1),
        BillOfMaterialsId: id,
        BillOfMaterialsNId: nid,
        Sequence: (k + 1) * 10,
        MaterialNId: line.part,
        Quantity: line.quantity,
        ReferenceDesignators: line.refdes,
        PlacementSide: 'Top',
      });
    });
  }
  return { boms, items };
}

/** The approved vendor list. */
export function avlRows(state: PlantState): ApprovedVendorPartRow[] {
  const rows: ApprovedVendorPartRow[] = [];
  for (const supply of state.env.lots.supplies) {
    for (const entry of supply.avl) {
      rows.push({
        Id: guidOf(state.seed, P_AVL, rows.length),
        MaterialNId: supply.nid,
        Manufacturer: entry.manufacturer,
        ManufacturerPartNumber: entry.mpn,
        Supplier: entry.supplier,
        Status: entry.status,
      });
    }
  }
  return rows;
}

/** The row of one lot as it stands. */
export function lotRow(state: PlantState, lot: LotRecord): MaterialLotRow {
  const supply = state.env.lots.supplies[lot.material];
  const quantity = lotQuantity(state, lot.index);
  const exhausted = lot.nextReel >= lot.reels.length && quantity < 0.05 * lot.initialQuantity;
  return {
    Id: lotId(state, lot.index),
    NId: lot.nid,
    MaterialNId: supply?.nid ?? '',
    Manufacturer: lot.manufacturer,
    ManufacturerPartNumber: lot.mpn,
    Supplier: lot.supplier,
    Quantity: quantity,
    InitialQuantity: lot.initialQuantity,
    UnitOfMeasure: 'EA',
    MoistureSensitivityLevel: supply?.msl ?? null,
    DateCode: lot.dateCode,
    ReceivedOn: iso(lot.receivedOn),
    OpenedOn: lot.openedOn === null ? null : iso(lot.openedOn),
    Status: exhausted ? 'Exhausted' : 'Released',
  };
}

/** The reel rows of one lot as they stand (none for PCBs and hardware). */
export function reelRows(state: PlantState, lot: LotRecord): ReelRow[] {
  const supply = state.env.lots.supplies[lot.material];
  if (!supply?.emitsReels) return [];
  syncReels(state);
  return lot.reels.map((r) => ({
    Id: reelId(state, r),
    NId: reelNid(state, r),
    MaterialLotId: lotId(state, lot.index),
    MaterialLotNId: lot.nid,
    MaterialNId: supply.nid,
    InitialQuantity: state.env.lots.reelInitial[r] as number,
    Quantity: state.reelReported[r] as number,
    CarrierType: supply.carrier,
  }));
}

/** The WorkOrder row of an order as planned (Released). */
export function workOrderRow(state: PlantState, plan: OrderPlan): WorkOrderRow {
  const product = state.env.products[plan.product];
  return {
    Id: plan.id,
    NId: plan.nid,
    Name: `${product?.spec.name ?? plan.nid} x${plan.quantity}`,
    Status: 'Released',
    FinalMaterialNId: product?.spec.nid ?? '',
    FinalMaterialRevision: product?.spec.revision ?? '',
    PlannedQuantity: plan.quantity,
    ProducedQuantity: 0,
    ScrappedQuantity: 0,
    TargetYield: plan.targetYield,
    Priority: plan.priority,
    LineNId: plan.lineNid,
    PlannedStartTime: iso(plan.plannedStart),
    PlannedEndTime: iso(plan.plannedEnd),
    ActualStartTime: null,
    ActualEndTime: null,
    DueDate: iso(plan.dueDate),
    Customer: product?.spec.customer ?? '',
    CreatedOn: iso(plan.createdOn),
  };
}

/** The operation rows of an order as planned (NotStarted). */
export function operationRows(plan: OrderPlan): WorkOrderOperationRow[] {
  return plan.operations.map((op) => ({
    Id: op.id,
    NId: op.nid,
    Name: op.name,
    Sequence: op.sequence,
    WorkOrderId: plan.id,
    WorkOrderNId: plan.nid,
    WorkCenterNId: op.workCenter,
    Status: 'NotStarted',
    ProcessedQuantity: 0,
    ActualStartTime: null,
    ActualEndTime: null,
  }));
}
