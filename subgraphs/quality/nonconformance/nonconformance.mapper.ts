import { date, list, numericOrNull, text, textOrNull, type OpcenterRow } from '../../shared';
import { Nonconformance } from './nonconformance.type';

/** The fields of a `nonConformance` row that the Nonconformance type needs. */
export const NONCONFORMANCE_FIELDS = [
  'id',
  'title',
  'description',
  'status',
  'severity',
  'defectType',
  'serialNumber',
  'workOrderId',
  'referenceDesignators',
  'likelyCause',
  'source',
  'modelName',
  'modelVersion',
  'confidence',
  'createdBy',
  'createdOn',
] as const;

/** An Opcenter `nonConformance` row as a Nonconformance. */
export function toNonconformance(row: OpcenterRow): Nonconformance {
  return Object.assign(new Nonconformance(), {
    id: text(row.id),
    title: text(row.title),
    description: text(row.description),
    status: text(row.status),
    severity: text(row.severity),
    defectType: textOrNull(row.defectType),
    referenceDesignators: list(row.referenceDesignators),
    likelyCause: textOrNull(row.likelyCause),
    source: text(row.source),
    modelName: textOrNull(row.modelName),
    modelVersion: textOrNull(row.modelVersion),
    confidence: numericOrNull(row.confidence),
    createdBy: text(row.createdBy),
    createdOn: date(row.createdOn),
    serialNumber: textOrNull(row.serialNumber),
    workOrderId: textOrNull(row.workOrderId),
  });
}
