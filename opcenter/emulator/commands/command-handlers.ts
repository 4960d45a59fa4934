import { randomUUID } from 'node:crypto';
import type { EntityStore, Row } from '../store/entity-store';
import { CommandError } from './command-error';

/** What a command handler may use. */
export interface CommandContext {
  store: EntityStore;
  /** The authenticated user issuing the command. */
  user: string;
  /** Re-checks a user's password (electronic signatures). */
  checkPassword: (username: string, password: string) => boolean;
  now: () => Date;
}

type Handler = (ctx: CommandContext, params: Record<string, unknown>) => Record<string, unknown>;

const NC_TRANSITIONS: Record<string, readonly string[]> = {
  PendingReview: ['Open', 'Rejected'],
  Open: ['Closed'],
  Closed: [],
  Rejected: [],
};

/** When each unit was last put on hold, so a release can demand a signature given after it. */
const heldSince = new WeakMap<Row, string>();

/** The emulator's command implementations, by command name. */
export const COMMAND_HANDLERS: Readonly<Record<string, Handler>> = {
  CreateNonConformance(ctx, p) {
    const serial = p.SerialNumber as string | undefined;
    let workOrder = p.WorkOrderNId as string | undefined;
    if (serial !== undefined) {
      const unit = requireUnit(ctx, serial);
      workOrder ??= unit.WorkOrderNId as string;
    }
    if (workOrder !== undefined && (ctx.store.stored('WorkOrder').lookup('NId', workOrder) ?? []).length === 0) {
      throw new CommandError('NotFound', `No work order with NId '${workOrder}'.`);
    }
    const ncs = ctx.store.stored('NonConformance');
    const source = (p.Source as string | undefined) ?? 'Manual';
    const row: Row = {
      Id: randomUUID(),
      NId: `NC-${String(ncs.size() + 1).padStart(6, '0')}`,
      Title: p.Title,
      Description: p.Description,
      Status: p.Status ?? (source === 'AI' ? 'PendingReview' : 'Open'),
      Severity: p.Severity,
      DefectType: p.DefectType ?? null,
      SerialNumber: serial ?? null,
      WorkOrderNId: workOrder ?? null,
      ReferenceDesignators: p.ReferenceDesignators ?? null,
      Pads: p.Pads ?? null,
      LikelyCause: p.LikelyCause ?? null,
      Source: source,
      ModelName: p.ModelName ?? null,
      ModelVersion: p.ModelVersion ?? null,
      Confidence: p.Confidence ?? null,
      CreatedBy: ctx.user,
      CreatedOn: ctx.now().toISOString(),
    };
    ncs.insert(row);
    return { Id: row.Id, NId: row.NId };
  },

  SetNonConformanceStatus(ctx, p) {
    const ncs = ctx.store.stored('NonConformance');
    const nc = ncs.lookup('NId', p.NId)?.[0];
    if (!nc) throw new CommandError('NotFound', `No nonconformance with NId '${String(p.NId)}'.`);
    const from = nc.Status as string;
    const to = p.Status as string;
    if (!(NC_TRANSITIONS[from] ?? []).includes(to)) {
      throw new CommandError('InvalidTransition', `A nonconformance in ${from} cannot move to ${to}.`);
    }
    ncs.update(nc.Id, { Status: to });
    return { Id: nc.Id };
  },

  AddAuditTrailEntry(ctx, p) {
    const row: Row = {
      Id: randomUUID(),
      Timestamp: ctx.now().toISOString(),
      Actor: ctx.user,
      ActorType: ctx.user.endsWith('-service') ? 'Service' : 'User',
      Action: p.Action,
      SubjectType: p.SubjectType,
      SubjectNId: p.SubjectNId,
      Details: p.Details ?? null,
      ModelName: p.ModelName ?? null,
      ModelVersion: p.ModelVersion ?? null,
      Confidence: p.Confidence ?? null,
      InputDigest: p.InputDigest ?? null,
      LatencyMs: p.LatencyMs ?? null,
      CorrelationId: p.CorrelationId ?? null,
    };
    ctx.store.stored('AuditTrailEntry').insert(row);
    return { Id: row.Id };
  },

  HoldMaterialTrackingUnit(ctx, p) {
    const unit = requireUnit(ctx, p.SerialNumber as string);
    if (unit.IsOnHold === true) {
      throw new CommandError('AlreadyOnHold', `Unit '${String(unit.NId)}' is already on hold: ${String(unit.HoldReason)}.`);
    }
    ctx.store.stored('MaterialTrackingUnit').update(unit.Id, { IsOnHold: true, HoldReason: p.Reason });
    heldSince.set(unit, ctx.now().toISOString());
    return { Id: unit.Id };
  },

  ReleaseMaterialTrackingUnit(ctx, p) {
    const unit = requireUnit(ctx, p.SerialNumber as string);
    if (unit.IsOnHold !== true) throw new CommandError('NotOnHold', `Unit '${String(unit.NId)}' is not on hold.`);
    const since = heldSince.get(unit) ?? '';
    const signatures = ctx.store.stored('ElectronicSignature').lookup('SubjectNId', unit.NId) ?? [];
    const approved = signatures.some(
      (s) => s.SubjectType === 'MaterialTrackingUnit' && s.Meaning === 'Approval' && (s.SignedOn as string) >= since,
    );
    if (!approved) {
      throw new CommandError(
        'SignatureRequired',
        `Releasing unit '${String(unit.NId)}' needs an Approval electronic signature on it, given after the hold.`,
      );
    }
    ctx.store.stored('MaterialTrackingUnit').update(unit.Id, { IsOnHold: false, HoldReason: null });
    return { Id: unit.Id };
  },

  AddElectronicSignature(ctx, p) {
    if (!ctx.checkPassword(ctx.user, p.Password as string)) {
      throw new CommandError('InvalidSignature', `The password given does not match user '${ctx.user}'.`);
    }
    if (p.SubjectType === 'MaterialTrackingUnit') requireUnit(ctx, p.SubjectNId as string);
    if (p.SubjectType === 'NonConformance' && (ctx.store.stored('NonConformance').lookup('NId', p.SubjectNId) ?? []).length === 0) {
      throw new CommandError('NotFound', `No nonconformance with NId '${String(p.SubjectNId)}'.`);
    }
    const row: Row = {
      Id: randomUUID(),
      SubjectType: p.SubjectType,
      SubjectNId: p.SubjectNId,
      Signer: ctx.user,
      Meaning: p.Meaning,
      Reason: p.Reason,
      SignedOn: ctx.now().toISOString(),
    };
    ctx.store.stored('ElectronicSignature').insert(row);
    return { Id: row.Id };
  },
};

function requireUnit(ctx: CommandContext, serial: string): Row {
  const unit = ctx.store.stored('MaterialTrackingUnit').lookup('NId', serial)?.[0];
  if (!unit) throw new CommandError('NotFound', `No material tracking unit with serial number '${serial}'.`);
  return unit;
}
