import type { EdmType } from './edm';

/** One parameter of an Opcenter command. */
export interface CommandParameter {
  readonly type: EdmType;
  readonly required: boolean;
  /** Allowed values, for enumerations carried as strings. */
  readonly oneOf?: readonly string[];
}

/**
 * An Opcenter command (an OData action): `POST /sit-svc/Application/{app}/odata/{name}` with body
 * `{"command": {...parameters}}`, answering `{"Succeeded": bool, "Error": {...}, ...returns}`.
 */
export interface CommandDefinition {
  readonly name: string;
  readonly app: string;
  readonly description: string;
  readonly parameters: Readonly<Record<string, CommandParameter>>;
  readonly returns: Readonly<Record<string, EdmType>>;
}

const req = (type: EdmType, oneOf?: readonly string[]): CommandParameter => ({ type, required: true, oneOf });
const opt = (type: EdmType, oneOf?: readonly string[]): CommandParameter => ({ type, required: false, oneOf });

export const SEVERITIES = ['Minor', 'Major', 'Critical'] as const;
export const NC_STATUSES = ['PendingReview', 'Open', 'Closed', 'Rejected'] as const;
export const SIGNATURE_MEANINGS = ['Approval', 'Review', 'Rejection'] as const;

/** Every command the emulator serves. */
export const COMMANDS: readonly CommandDefinition[] = [
  {
    name: 'CreateNonConformance',
    app: 'Quality',
    description: 'Creates a nonconformance record; AI-drafted ones start in PendingReview.',
    parameters: {
      Title: req('Edm.String'),
      Description: req('Edm.String'),
      Severity: req('Edm.String', SEVERITIES),
      Status: opt('Edm.String', NC_STATUSES),
      DefectType: opt('Edm.String'),
      SerialNumber: opt('Edm.String'),
      WorkOrderNId: opt('Edm.String'),
      ReferenceDesignators: opt('Edm.String'),
      Pads: opt('Edm.String'),
      LikelyCause: opt('Edm.String'),
      Source: opt('Edm.String', ['Manual', 'AI']),
      ModelName: opt('Edm.String'),
      ModelVersion: opt('Edm.String'),
      Confidence: opt('Edm.Double'),
    },
    returns: { Id: 'Edm.Guid', NId: 'Edm.String' },
  },
  {
    name: 'SetNonConformanceStatus',
    app: 'Quality',
    description: 'Moves a nonconformance through review (PendingReview, Open, Closed, Rejected).',
    parameters: {
      NId: req('Edm.String'),
      Status: req('Edm.String', NC_STATUSES),
      Comment: opt('Edm.String'),
    },
    returns: { Id: 'Edm.Guid' },
  },
  {
    name: 'AddAuditTrailEntry',
    app: 'AuditTrail',
    description: 'Appends an audit trail entry; the actor is the authenticated user.',
    parameters: {
      Action: req('Edm.String'),
      SubjectType: req('Edm.String'),
      SubjectNId: req('Edm.String'),
      Details: opt('Edm.String'),
      ModelName: opt('Edm.String'),
      ModelVersion: opt('Edm.String'),
      Confidence: opt('Edm.Double'),
      InputDigest: opt('Edm.String'),
      LatencyMs: opt('Edm.Double'),
      CorrelationId: opt('Edm.String'),
    },
    returns: { Id: 'Edm.Guid' },
  },
  {
    name: 'HoldMaterialTrackingUnit',
    app: 'AppU4DM',
    description: 'Puts a unit (by serial number) on hold so no operation can process it.',
    parameters: {
      SerialNumber: req('Edm.String'),
      Reason: req('Edm.String'),
    },
    returns: { Id: 'Edm.Guid' },
  },
  {
    name: 'ReleaseMaterialTrackingUnit',
    app: 'AppU4DM',
    description: 'Releases a held unit; needs an Approval signature on the unit recorded before it.',
    parameters: {
      SerialNumber: req('Edm.String'),
      Comment: opt('Edm.String'),
    },
    returns: { Id: 'Edm.Guid' },
  },
  {
    name: 'AddElectronicSignature',
    app: 'AuditTrail',
    description: 'Signs a decision on a subject; the signer re-enters their password.',
    parameters: {
      SubjectType: req('Edm.String'),
      SubjectNId: req('Edm.String'),
      Meaning: req('Edm.String', SIGNATURE_MEANINGS),
      Reason: req('Edm.String'),
      Password: req('Edm.String'),
    },
    returns: { Id: 'Edm.Guid' },
  },
];

/** The command of an app by name, or undefined. */
export function findCommand(app: string, name: string): CommandDefinition | undefined {
  return COMMANDS.find((command) => command.app === app && command.name === name);
}
