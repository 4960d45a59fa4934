import type { Alert as StoredAlert } from '../../../insights/alert-stream';
import { Alert } from './alert.type';

/** The GraphQL view of a stored alert: its subjects flattened, its time a Date. */
export function toAlert(stored: StoredAlert): Alert {
  return Object.assign(new Alert(), {
    id: stored.id,
    type: stored.type,
    severity: stored.severity,
    message: stored.message,
    occurredAt: new Date(stored.occurredAt),
    serialNumber: stored.subjects.serialNumber ?? null,
    orderId: stored.subjects.orderId ?? null,
    workCenterId: stored.subjects.workCenterId ?? null,
    lineId: stored.subjects.lineId ?? null,
    details: stored.details ?? null,
  });
}
