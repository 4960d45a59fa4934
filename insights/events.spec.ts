import { isDeepStrictEqual } from 'node:util';
import {
  createPlant,
  EVENT_TYPES as SIMULATOR_EVENT_TYPES,
  type OpcenterEvent as SimulatorEvent,
  type PlacementCompleteEvent,
} from '../opcenter/simulator';
import { InvalidEventError } from './errors';
import { EVENT_TYPES, isOpcenterEventType, parseOpcenterEvent, type OpcenterEvent } from './events';

/** Every event of the first `steps` steps of the simulator's live production (seed 42, small plant). */
function liveEvents(steps: number): SimulatorEvent[] {
  const live = createPlant({ seed: 42, scale: 'small' }).startLive({ rate: 1 });
  return Array.from({ length: steps }, () => live.next().events).flat();
}

const placement = {
  id: 'a86417fc-4008-4e80-8248-ebc3717258a4',
  eventType: 'PlacementComplete',
  timestamp: '2026-11-20T06:00:00.048Z',
  workOrderId: 'WO0026013',
  operationId: 'WO0026013-0020',
  machineId: 'L2-PP1',
  serialNumber: 'GWM261120000827',
  imageReference: 'img://L2-PP1/2026/11/20/GWM261120000827.jpg',
  componentList: [
    { referenceDesignator: 'U7', materialId: 'U-LDO-3V3', lotId: 'ML000254', reelId: 'RL0000500', feederSlot: 1, nozzleId: 'L2-PP1-N03' },
    {
      referenceDesignator: 'C12',
      materialId: 'C-0402-100N',
      lotId: 'ML000101',
      reelId: 'RL0000201',
      feederSlot: 14,
      nozzleId: 'L2-PP1-N01',
    },
  ],
} as const satisfies PlacementCompleteEvent;

/** The InvalidEventError that parsing `value` throws. */
function rejectionOf(value: unknown): InvalidEventError {
  try {
    parseOpcenterEvent(value);
  } catch (error) {
    if (error instanceof InvalidEventError) return error;
    throw error;
  }
  throw new Error('expected the event to be rejected');
}

describe('parseOpcenterEvent', () => {
  let events: SimulatorEvent[];

  beforeAll(() => {
    events = liveEvents(3000);
  });

  it('knows the same event types as the simulator', () => {
    expect([...EVENT_TYPES]).toEqual([...SIMULATOR_EVENT_TYPES]);
    expect(isOpcenterEventType('TestRunDone')).toBe(true);
    expect(isOpcenterEventType('BoardScrapped')).toBe(false);
  });

  it('parses every event of the simulator live path unchanged, and every type occurs', () => {
    const types = new Set<string>();
    const changed: string[] = [];
    for (const event of events) {
      const parsed: OpcenterEvent = parseOpcenterEvent(JSON.parse(JSON.stringify(event)));
      // The parsed type is assignable to the simulator's: both sides describe the same contract.
      const asSimulator: SimulatorEvent = parsed;
      if (!isDeepStrictEqual(asSimulator, event)) changed.push(event.id);
      types.add(parsed.eventType);
    }
    expect(events.length).toBeGreaterThan(1000);
    expect(changed).toEqual([]);
    expect([...types].sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('accepts the optional and nullable fields the simulator leaves out or sets to null', () => {
    const testRun = events.find((e) => e.eventType === 'TestRunDone' && e.fixtureId === null);
    expect(testRun && parseOpcenterEvent(testRun)).toMatchObject({ fixtureId: null });
    const subAssembly = parseOpcenterEvent({
      id: 'e1',
      eventType: 'MaterialConsumed',
      timestamp: '2026-11-20T07:00:00+01:00',
      workOrderId: 'WO0026020',
      serialNumber: 'BOX261120000001',
      materialId: 'GW-MB-100',
      lotId: null,
      consumedSerialNumber: 'GWM261120000827',
      quantity: 1,
    });
    expect(subAssembly).toMatchObject({ lotId: null, consumedSerialNumber: 'GWM261120000827' });
    expect(subAssembly).not.toHaveProperty('reelId');
  });

  it('drops fields it does not know, at the top and inside components', () => {
    const parsed = parseOpcenterEvent({
      ...placement,
      plantId: 'PLANT-7',
      componentList: [{ ...placement.componentList[0], placementForceN: 2.5 }],
    });
    expect(parsed).not.toHaveProperty('plantId');
    expect(parsed).toEqual({ ...placement, componentList: [placement.componentList[0]] });
  });

  const [u7, c12] = placement.componentList;
  const withComponents = (...componentList: unknown[]) => ({ ...placement, componentList });

  it.each([
    ['a missing id', { ...placement, id: undefined }, 'id', /non-empty string.*the field is missing/],
    ['an empty id', { ...placement, workOrderId: '' }, 'workOrderId', /expected a non-empty string of at most 200 characters, received ""/],
    ['an over-long id', { ...placement, serialNumber: 'S'.repeat(201) }, 'serialNumber', /at most 200 characters, received a string of 201/],
    ['an id that is a number', { ...placement, machineId: 7 }, 'machineId', /non-empty string.*received number 7/],
    ['a time without a zone', { ...placement, timestamp: '2026-11-20T06:00:00' }, 'timestamp', /ISO 8601 date-time with a zone/],
    ['a time that is no date', { ...placement, timestamp: 'yesterday' }, 'timestamp', /received "yesterday"/],
    ['a negative count', withComponents({ ...u7, feederSlot: -1 }), 'componentList.0.feederSlot', /non-negative integer, received number -1/],
    ['a fractional count', withComponents(u7, { ...c12, feederSlot: 1.5 }), 'componentList.1.feederSlot', /non-negative integer/],
    ['a count sent as text', withComponents({ ...u7, feederSlot: '3' }), 'componentList.0.feederSlot', /received "3"/],
    ['a component that is no object', withComponents('U7'), 'componentList.0', /placed component object/],
    ['a component list that is no array', { ...placement, componentList: {} }, 'componentList', /array of placed components, received an object/],
    [
      'an unknown event type',
      { ...placement, eventType: 'BoardScrapped' },
      'eventType',
      /expected one of WorkOrderStarted, PlacementComplete, .*WorkOrderCompleted, received "BoardScrapped"/,
    ],
    ['a missing event type', { ...placement, eventType: undefined }, 'eventType', /expected one of .* the field is missing/],
  ])('rejects %s, naming the field', (_name, value, field, message) => {
    const error = rejectionOf(JSON.parse(JSON.stringify(value)));
    expect(error.code).toBe('INVALID_EVENT');
    expect(error.field).toBe(field);
    expect(error.reason).toMatch(message);
    expect(error.message).toBe(`Invalid event: ${field}: ${error.reason}`);
  });

  it('rejects counts, quantities and nullable ids of the wrong kind in every event type', () => {
    const sample = (type: string) => events.find((e) => e.eventType === type) as SimulatorEvent;
    const cases: [unknown, string, RegExp][] = [
      [{ ...sample('WorkOrderStarted'), plannedQuantity: -5 }, 'plannedQuantity', /non-negative integer/],
      [{ ...sample('SpiMeasurementsUploaded'), failedPadCount: 2.5 }, 'failedPadCount', /non-negative integer/],
      [{ ...sample('AoiInspectionDone'), defectCallCount: null }, 'defectCallCount', /received null/],
      [{ ...sample('TestRunDone'), fixtureId: 42 }, 'fixtureId', /or null, received number 42/],
      [{ ...sample('MaterialConsumed'), quantity: Number.POSITIVE_INFINITY }, 'quantity', /finite non-negative number/],
      [{ ...sample('MaterialConsumed'), lotId: null, consumedSerialNumber: undefined }, 'lotId', /consumedSerialNumber when lotId is null/],
      [{ ...sample('WorkOrderCompleted'), scrappedQuantity: '0' }, 'scrappedQuantity', /non-negative integer, received "0"/],
    ];
    for (const [value, field, message] of cases) {
      const error = rejectionOf(value);
      expect({ field: error.field, reason: error.reason }).toEqual({ field, reason: expect.stringMatching(message) });
    }
  });

  it('rejects a value that is not an event object, naming the whole event', () => {
    for (const value of [null, 'PlacementComplete', [placement], 42]) {
      const error = rejectionOf(value);
      expect(error.field).toBe('(event)');
      expect(error.reason).toMatch(/^expected an event object, received /);
    }
  });
});
