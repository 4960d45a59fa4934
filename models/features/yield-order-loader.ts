import type { OpcenterClient, Row } from '../../opcenter/client';
import { EQUIPMENT_WINDOW, type YieldOrderRows } from './yield-features';

const by = (field: string) => (row: Row) => String(row[field]);

function groupBy(rows: readonly Row[], key: (row: Row) => string): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const list = groups.get(key(row));
    if (list) list.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}

/**
 * Reads from Opcenter what the yield features of these orders need, batched over the orders (one
 * read per entity set, plus one per ICT fixture and FCT station in use): the orders, their boards,
 * SPI, AOI and test results, the lots feeding each order's latest board, and the latest
 * first-attempt runs of the fixtures and stations they use. Orders Opcenter does not know are
 * left out of the map.
 */
export async function loadYieldOrderRows(client: OpcenterClient, orderIds: readonly string[], asOf = Date.now()): Promise<Map<string, YieldOrderRows>> {
  const [orders, boards, spi, aoi, tests] = await Promise.all([
    client.getMany('workOrder', 'id', orderIds),
    client.getMany('board', 'workOrderId', orderIds, { select: ['serialNumber', 'workOrderId', 'createdOn'] }),
    client.getMany('spiInspection', 'workOrderId', orderIds, { select: ['workOrderId', 'result', 'failedPadCount', 'padCount', 'inspectedOn', 'id'] }),
    client.getMany('aoiInspection', 'workOrderId', orderIds, { select: ['workOrderId', 'serialNumber', 'result', 'confirmedDefectCount', 'inspectedOn', 'id'] }),
    client.getMany('testRun', 'workOrderId', orderIds, {
      select: ['workOrderId', 'serialNumber', 'testType', 'attempt', 'result', 'startedOn', 'fixtureId', 'equipmentId', 'id'],
    }),
  ]);
  const boardsOf = groupBy(boards, by('workOrderId'));
  // The latest board: last started, ties (boards of one panel) broken by serial number.
  const latestOf = new Map<string, string>();
  for (const [orderId, list] of boardsOf) {
    const latest = list.reduce((a, b) => (String(b.createdOn) > String(a.createdOn) || (b.createdOn === a.createdOn && String(b.serialNumber) > String(a.serialNumber)) ? b : a));
    latestOf.set(orderId, String(latest.serialNumber));
  }
  const consumption = latestOf.size > 0 ? await client.getMany('consumption', 'serialNumber', [...latestOf.values()], { select: ['serialNumber', 'materialLotId'] }) : [];
  const lotIds = [...new Set(consumption.map(by('materialLotId')).filter((id) => id !== 'null' && id !== 'undefined'))];
  const lots = lotIds.length > 0 ? await client.getMany('materialLot', 'id', lotIds) : [];
  const lotById = new Map(lots.map((lot) => [String(lot.id), lot]));
  const lotsBySerial = groupBy(consumption, by('serialNumber'));

  // Every fixture and station the orders used (retests included), as training does.
  const fixtures = [...new Set(tests.filter((t) => t.testType === 'ICT').map(by('fixtureId')))];
  const stations = [...new Set(tests.filter((t) => t.testType === 'FCT').map(by('equipmentId')))];
  const latestRuns = (field: string, testType: string) => async (id: string) =>
    [
      id,
      (
        await client.list('testRun', {
          filter: { [field]: id, testType, attempt: 1, startedOn: { le: new Date(asOf) } },
          select: ['result', 'startedOn'],
          orderBy: ['startedOn desc', 'id desc'],
          top: EQUIPMENT_WINDOW,
        })
      ).items,
    ] as const;
  const [fixtureRuns, stationRuns] = await Promise.all([
    Promise.all(fixtures.map(latestRuns('fixtureId', 'ICT'))).then((pairs) => new Map(pairs)),
    Promise.all(stations.map(latestRuns('equipmentId', 'FCT'))).then((pairs) => new Map(pairs)),
  ]);

  const spiOf = groupBy(spi, by('workOrderId'));
  const aoiOf = groupBy(aoi, by('workOrderId'));
  const testsOf = groupBy(tests, by('workOrderId'));
  const result = new Map<string, YieldOrderRows>();
  for (const order of orders) {
    const orderId = String(order.id);
    const orderTests = testsOf.get(orderId) ?? [];
    const used = (testType: string, field: string): string[] => [
      ...new Set(orderTests.filter((t) => t.testType === testType).map(by(field))),
    ];
    const latest = latestOf.get(orderId);
    const lotsInUse = [...new Set((latest ? (lotsBySerial.get(latest) ?? []) : []).map(by('materialLotId')))]
      .map((id) => lotById.get(id))
      .filter((lot): lot is Row => lot !== undefined);
    result.set(orderId, {
      workOrder: order,
      boardsStarted: boardsOf.get(orderId)?.length ?? 0,
      spiInspections: spiOf.get(orderId) ?? [],
      aoiInspections: aoiOf.get(orderId) ?? [],
      testRuns: orderTests,
      lotsInUse,
      ictFixtureRuns: used('ICT', 'fixtureId').map((id) => fixtureRuns.get(id) ?? []),
      fctStationRuns: used('FCT', 'equipmentId').map((id) => stationRuns.get(id) ?? []),
      asOf,
    });
  }
  return result;
}
