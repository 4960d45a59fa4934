import { randomUUID } from 'node:crypto';
import type { OpcenterEvent } from '../../insights/events';
import type { Row } from '../../opcenter/client';

/** The `SpiMeasurementsUploaded` event of an SPI inspection row (Opcenter names), as the plant posts it (without measurements unless `overrides` adds them). */
export function spiEventOf(inspection: Row, overrides: Partial<Record<string, unknown>> = {}): OpcenterEvent {
  return {
    id: randomUUID(),
    eventType: 'SpiMeasurementsUploaded',
    timestamp: String(inspection.InspectedOn),
    workOrderId: String(inspection.WorkOrderNId),
    serialNumber: String(inspection.SerialNumber),
    inspectionId: String(inspection.Id),
    machineId: String(inspection.EquipmentNId),
    lineId: String(inspection.LineNId),
    result: String(inspection.Result),
    padCount: Number(inspection.PadCount),
    failedPadCount: Number(inspection.FailedPadCount),
    ...overrides,
  } as OpcenterEvent;
}
