import { z } from 'zod';
import { InvalidEventError } from './errors';

/**
 * The events Opcenter (or the simulator) posts to ingest, as `opcenter/README.md` documents them.
 * Ids and names are bounded, non-empty strings; times are ISO 8601 with a zone; counts are
 * non-negative integers. Unknown fields are dropped, so a newer sender's events still parse.
 */

/** The event type names, in the order `opcenter/README.md` lists them. */
export const EVENT_TYPES = [
  'WorkOrderStarted',
  'PlacementComplete',
  'SpiMeasurementsUploaded',
  'AoiInspectionDone',
  'TestRunDone',
  'MaterialConsumed',
  'WorkOrderCompleted',
] as const;

/** One event type name. */
export type OpcenterEventType = (typeof EVENT_TYPES)[number];

/** Longest id or name (event, order, serial, lot, machine ids; result and test type) in characters. */
const MAX_ID_LENGTH = 200;
/** Longest `imageReference` (a URL) in characters. */
const MAX_REFERENCE_LENGTH = 2048;
/** Most components one `PlacementComplete` lists (one machine's share of one board). */
const MAX_COMPONENTS = 10_000;

const ID = `a non-empty string of at most ${MAX_ID_LENGTH} characters`;
const COUNT = 'a non-negative integer';

/** A zod error option that says what was expected and what arrived instead. */
function expecting(expected: string): { error: (issue: { input?: unknown }) => string } {
  return {
    error: (issue) => `expected ${expected}, ${issue.input === undefined ? 'but the field is missing' : `received ${describe(issue.input)}`}`,
  };
}

function describe(input: unknown): string {
  if (input === null) return 'null';
  if (typeof input === 'string') return input.length <= 40 ? JSON.stringify(input) : `a string of ${input.length} characters`;
  if (Array.isArray(input)) return `an array of ${input.length} items`;
  if (typeof input === 'object') return 'an object';
  return `${typeof input} ${String(input)}`;
}

const text = (max: number, expected = `a non-empty string of at most ${max} characters`) =>
  z.string(expecting(expected)).min(1, expecting(expected)).max(max, expecting(expected));
const id = () => text(MAX_ID_LENGTH);
const nullableId = () => text(MAX_ID_LENGTH, `${ID}, or null`).nullable();
const count = () => z.int(expecting(COUNT)).min(0, expecting(COUNT));
const quantity = () => z.number(expecting('a finite non-negative number')).min(0, expecting('a finite non-negative number'));
const TIMESTAMP = 'an ISO 8601 date-time with a zone, e.g. 2026-11-20T06:00:00Z or 2026-11-20T07:00:00+01:00';
const timestamp = () => z.iso.datetime({ offset: true, ...expecting(TIMESTAMP) });

/** Most pads one `SpiMeasurementsUploaded` may carry (about 1 MiB of JSON at the default body limit). */
const MAX_EVENT_PADS = 20_000;
const FINITE = 'a finite number';

/** The measurements of an SPI event: the print's context and one column per measurement, all of one length. */
function spiEventMeasurements() {
  const column = <T extends z.ZodType>(item: T) => z.array(item, expecting(`an array of at most ${MAX_EVENT_PADS} items`)).max(MAX_EVENT_PADS, expecting(`at most ${MAX_EVENT_PADS} pads`));
  const finite = () => z.number(expecting(FINITE));
  return z
    .object({
      stencilId: id(),
      printsSinceWipe: count(),
      shift: z.enum(['A', 'B', 'C'], expecting("'A', 'B' or 'C'")),
      pads: z.object({
        padId: column(id()).min(1, expecting('at least one pad')),
        volumePct: column(finite()),
        areaPct: column(finite()),
        heightUm: column(finite()),
        offsetXUm: column(finite()),
        offsetYUm: column(finite()),
        result: column(z.enum(['Pass', 'Fail'], expecting("'Pass' or 'Fail'"))),
      }),
    })
    .superRefine((m, ctx) => {
      const pads = m.pads.padId.length;
      for (const name of ['volumePct', 'areaPct', 'heightUm', 'offsetXUm', 'offsetYUm', 'result'] as const) {
        if (m.pads[name].length !== pads) {
          ctx.addIssue({ code: 'custom', path: ['pads', name], message: `expected ${pads} values, one per pad of pads.padId, received ${m.pads[name].length}` });
        }
      }
    });
}

const base = {
  /** Unique per event; a replay carries the same id. */
  id: id(),
  /** When the event happened. */
  timestamp: timestamp(),
};

const workOrderStarted = z.object({
  ...base,
  eventType: z.literal('WorkOrderStarted'),
  workOrderId: id(),
  lineId: id(),
  productId: id(),
  plannedQuantity: count(),
});

const placedComponent = z.object(
  {
    referenceDesignator: id(),
    materialId: id(),
    lotId: id(),
    reelId: id(),
    feederSlot: count(),
    nozzleId: id(),
  },
  expecting('a placed component object'),
);

const placementComplete = z.object({
  ...base,
  eventType: z.literal('PlacementComplete'),
  workOrderId: id(),
  operationId: id(),
  machineId: id(),
  serialNumber: id(),
  imageReference: text(MAX_REFERENCE_LENGTH),
  componentList: z
    .array(placedComponent, expecting('an array of placed components'))
    .max(MAX_COMPONENTS, expecting(`at most ${MAX_COMPONENTS} placed components`)),
});

const spiMeasurementsUploaded = z.object({
  ...base,
  eventType: z.literal('SpiMeasurementsUploaded'),
  workOrderId: id(),
  serialNumber: id(),
  inspectionId: id(),
  machineId: id(),
  lineId: id(),
  result: id(),
  padCount: count(),
  failedPadCount: count(),
  /** Optional: a sender that has the measurements lets workers score the print without reading it back. */
  measurements: spiEventMeasurements().optional(),
});

const aoiInspectionDone = z.object({
  ...base,
  eventType: z.literal('AoiInspectionDone'),
  workOrderId: id(),
  serialNumber: id(),
  inspectionId: id(),
  machineId: id(),
  lineId: id(),
  result: id(),
  defectCallCount: count(),
});

const testRunDone = z.object({
  ...base,
  eventType: z.literal('TestRunDone'),
  workOrderId: id(),
  serialNumber: id(),
  testRunId: id(),
  /** `ICT` or `FCT` today; other test types pass through. */
  testType: id(),
  machineId: id(),
  fixtureId: nullableId(),
  result: id(),
  failedStepCount: count(),
});

const materialConsumed = z
  .object({
    ...base,
    eventType: z.literal('MaterialConsumed'),
    workOrderId: id(),
    serialNumber: id(),
    materialId: id(),
    /** Null when the unit consumed another unit (`consumedSerialNumber`) rather than lot material. */
    lotId: nullableId(),
    reelId: id().optional(),
    consumedSerialNumber: id().optional(),
    quantity: quantity(),
  })
  .refine((event) => event.lotId !== null || event.consumedSerialNumber !== undefined, {
    path: ['lotId'],
    error: 'expected a lot id, or a consumedSerialNumber when lotId is null: a consumption names what was consumed',
  });

const workOrderCompleted = z.object({
  ...base,
  eventType: z.literal('WorkOrderCompleted'),
  workOrderId: id(),
  producedQuantity: count(),
  scrappedQuantity: count(),
});

/** Every Opcenter event, discriminated on `eventType`. */
export const opcenterEventSchema = z.discriminatedUnion(
  'eventType',
  [workOrderStarted, placementComplete, spiMeasurementsUploaded, aoiInspectionDone, testRunDone, materialConsumed, workOrderCompleted],
  {
    error: (issue) => {
      if (issue.code !== 'invalid_union') return `expected an event object, received ${describe(issue.input)}`;
      const eventType = (issue.input as { eventType?: unknown } | undefined)?.eventType;
      const wrong = eventType === undefined ? 'but the field is missing' : `received ${describe(eventType)}`;
      return `expected one of ${EVENT_TYPES.join(', ')}, ${wrong}`;
    },
  },
);

/** One Opcenter event as ingest accepts it and the event queue carries it. */
export type OpcenterEvent = z.infer<typeof opcenterEventSchema>;

/** The event of one type, e.g. `OpcenterEventOf<'TestRunDone'>`. */
export type OpcenterEventOf<T extends OpcenterEventType> = Extract<OpcenterEvent, { eventType: T }>;

/**
 * Validates one posted event. Unknown fields are dropped.
 * @throws InvalidEventError naming the first wrong field and what it should be
 */
export function parseOpcenterEvent(value: unknown): OpcenterEvent {
  const parsed = opcenterEventSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(event)';
  throw new InvalidEventError(field, issue?.message ?? 'invalid');
}

/** Whether `value` names an event type (for metrics labels of events that did not parse). */
export function isOpcenterEventType(value: unknown): value is OpcenterEventType {
  return typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);
}
