import type { Row } from '../../opcenter/client';
import { FeatureInputError } from './feature-input.error';
import {
  computeYieldFeatures,
  shiftAt,
  toYieldOrderInput,
  YIELD_FEATURE_COUNT,
  YIELD_FEATURE_NAMES,
  type YieldOrderInput,
  type YieldOrderRows,
} from './yield-features';

type FeatureName = (typeof YIELD_FEATURE_NAMES)[number];
type TestRun = YieldOrderInput['tests'][number];

const HOUR = 3_600_000;
/** Monday 5 January 2026, 10:00 UTC: shift A. */
const AS_OF = Date.UTC(2026, 0, 5, 10, 0);

function valueOf(features: Float32Array, name: FeatureName): number {
  return features[YIELD_FEATURE_NAMES.indexOf(name)] as number;
}

function order(overrides: Partial<YieldOrderInput> = {}): YieldOrderInput {
  return {
    orderId: 'WO-1',
    productId: 'GW-MB-100',
    plannedQuantity: 50,
    targetYield: 0.9,
    asOf: AS_OF,
    boardsStarted: 10,
    spi: [],
    aoi: [],
    tests: [],
    lotsInUse: [],
    ictFixtureRuns: [],
    fctStationRuns: [],
    ...overrides,
  };
}

const run = (serialNumber: string, testType: 'ICT' | 'FCT', result: 'Pass' | 'Fail', attempt = 1): TestRun => ({ serialNumber, testType, attempt, result });
const passes = (count: number): boolean[] => Array.from({ length: count }, () => true);
const fails = (count: number): boolean[] => Array.from({ length: count }, () => false);

describe('computeYieldFeatures', () => {
  it('gives YIELD_FEATURE_COUNT values with the product, box-build flag, quantity and progress', () => {
    const features = computeYieldFeatures(order({ productId: 'SN-ENV-300', plannedQuantity: 40, boardsStarted: 10, targetYield: 0.95 }));
    expect(features).toHaveLength(YIELD_FEATURE_COUNT);
    expect(
      (['product_gw_mb_100', 'product_md_pwr_200', 'product_sn_env_300', 'product_gw_box_100', 'product_other'] as const).map((n) => valueOf(features, n)),
    ).toEqual([0, 0, 1, 0, 0]);
    expect(valueOf(features, 'is_box_build')).toBe(0);
    expect(valueOf(features, 'planned_quantity')).toBe(40);
    expect(valueOf(features, 'boards_started')).toBe(10);
    expect(valueOf(features, 'progress')).toBe(0.25);
    expect(valueOf(features, 'target_yield')).toBeCloseTo(0.95, 6);
  });

  it('puts an unknown product in product_other and caps progress at 1', () => {
    const features = computeYieldFeatures(order({ productId: 'XX-NEW-1', plannedQuantity: 10, boardsStarted: 12 }));
    expect(valueOf(features, 'product_other')).toBe(1);
    expect(valueOf(features, 'progress')).toBe(1);
  });

  it('gives neutral values to an order with nothing measured yet', () => {
    const features = computeYieldFeatures(order());
    expect(valueOf(features, 'finished_boards')).toBe(0);
    expect(valueOf(features, 'observed_first_pass_yield')).toBe(1);
    expect(valueOf(features, 'ict_first_pass_rate')).toBe(1);
    expect(valueOf(features, 'fct_first_pass_rate')).toBe(1);
    expect(valueOf(features, 'spi_fail_share')).toBe(0);
    expect(valueOf(features, 'recent_spi_fail_share')).toBe(0);
    expect(valueOf(features, 'recent_first_pass_yield')).toBe(1);
    expect(valueOf(features, 'ict_fixture_recent_fail_share')).toBe(0);
    expect(valueOf(features, 'fct_station_recent_fail_share')).toBe(0);
  });

  it('summarises SPI inspections as a fail share and failed pads per 1,000', () => {
    const features = computeYieldFeatures(
      order({
        spi: [
          { result: 'Pass', failedPadCount: 0, padCount: 1000 },
          { result: 'Fail', failedPadCount: 6, padCount: 1000 },
          { result: 'Pass', failedPadCount: 2, padCount: 1000 },
          { result: 'Fail', failedPadCount: 4, padCount: 1000 },
        ],
      }),
    );
    expect(valueOf(features, 'spi_boards')).toBe(4);
    expect(valueOf(features, 'spi_fail_share')).toBe(0.5);
    expect(valueOf(features, 'spi_failed_pads_per_1000')).toBe(3);
  });

  it('counts AOI calls and boards with a confirmed defect separately', () => {
    const features = computeYieldFeatures(
      order({
        aoi: [
          { result: 'Fail', confirmedDefectCount: 0, serialNumber: 'B1' },
          { result: 'Fail', confirmedDefectCount: 2, serialNumber: 'B2' },
          { result: 'Pass', confirmedDefectCount: 0, serialNumber: 'B3' },
          { result: 'Pass', confirmedDefectCount: 0, serialNumber: 'B4' },
        ],
      }),
    );
    expect(valueOf(features, 'aoi_boards')).toBe(4);
    expect(valueOf(features, 'aoi_call_share')).toBe(0.5);
    expect(valueOf(features, 'aoi_confirmed_share')).toBe(0.25);
  });

  describe('observed first-pass yield', () => {
    const aoi = [
      { result: 'Fail', confirmedDefectCount: 1, serialNumber: 'B3' },
      // A false call: the AOI flagged the board but review confirmed no defect.
      { result: 'Fail', confirmedDefectCount: 0, serialNumber: 'B6' },
    ];
    const tests = [
      run('B1', 'ICT', 'Pass'),
      run('B1', 'FCT', 'Pass'),
      run('B2', 'ICT', 'Fail'),
      run('B2', 'ICT', 'Pass', 2),
      run('B2', 'FCT', 'Pass'),
      run('B3', 'ICT', 'Pass'),
      run('B3', 'FCT', 'Pass'),
      // B4 has passed ICT but is not through FCT yet.
      run('B4', 'ICT', 'Pass'),
      run('B5', 'ICT', 'Pass'),
      run('B5', 'FCT', 'Fail'),
      run('B5', 'FCT', 'Pass', 2),
      run('B6', 'ICT', 'Pass'),
      run('B6', 'FCT', 'Pass'),
      // B7's only FCT run in the window is a retest.
      run('B7', 'FCT', 'Pass', 2),
    ];

    it('counts a board only once its first FCT run is in', () => {
      const features = computeYieldFeatures(order({ aoi, tests }));
      expect(valueOf(features, 'finished_boards')).toBe(5);
      expect(valueOf(features, 'fct_first_runs')).toBe(5);
    });

    it('fails a board for a confirmed AOI call, a failed first ICT or a failed first FCT, whatever the retests say', () => {
      const features = computeYieldFeatures(order({ aoi, tests }));
      // Finished: B1 and B6 pass; B2 (first ICT), B3 (confirmed AOI defect) and B5 (first FCT) fail.
      expect(valueOf(features, 'observed_first_pass_yield')).toBeCloseTo(2 / 5, 6);
    });

    it('takes first-attempt pass rates from attempt 1 only', () => {
      const features = computeYieldFeatures(order({ aoi, tests }));
      expect(valueOf(features, 'ict_first_runs')).toBe(6);
      expect(valueOf(features, 'ict_first_pass_rate')).toBeCloseTo(5 / 6, 6);
      expect(valueOf(features, 'fct_first_pass_rate')).toBeCloseTo(4 / 5, 6);
    });

    it('passes a box build that went through FCT without ICT', () => {
      const features = computeYieldFeatures(
        order({ productId: 'GW-BOX-100', tests: [run('X1', 'FCT', 'Pass'), run('X2', 'FCT', 'Pass'), run('X3', 'FCT', 'Fail')] }),
      );
      expect(valueOf(features, 'is_box_build')).toBe(1);
      expect(valueOf(features, 'product_gw_box_100')).toBe(1);
      expect(valueOf(features, 'ict_first_runs')).toBe(0);
      expect(valueOf(features, 'finished_boards')).toBe(3);
      expect(valueOf(features, 'observed_first_pass_yield')).toBeCloseTo(2 / 3, 6);
    });
  });

  describe('recent windows', () => {
    it('look at the last 30 SPI and AOI inspections only', () => {
      const spi = [
        ...Array.from({ length: 10 }, () => ({ result: 'Fail', failedPadCount: 3, padCount: 500 })),
        ...Array.from({ length: 30 }, (_, i) => ({ result: i < 3 ? 'Fail' : 'Pass', failedPadCount: 0, padCount: 500 })),
      ];
      const aoi = Array.from({ length: 40 }, (_, i) => ({ result: 'Pass', confirmedDefectCount: i >= 34 ? 1 : 0, serialNumber: `B${i}` }));
      const features = computeYieldFeatures(order({ spi, aoi }));
      expect(valueOf(features, 'spi_fail_share')).toBeCloseTo(13 / 40, 6);
      expect(valueOf(features, 'recent_spi_fail_share')).toBeCloseTo(3 / 30, 6);
      expect(valueOf(features, 'aoi_confirmed_share')).toBeCloseTo(6 / 40, 6);
      expect(valueOf(features, 'recent_aoi_confirmed_share')).toBeCloseTo(6 / 30, 6);
    });

    it('look at the last 30 first test runs and finished boards only', () => {
      const tests = Array.from({ length: 40 }, (_, i) => [run(`B${i}`, 'ICT', i < 10 ? 'Fail' : 'Pass'), run(`B${i}`, 'FCT', i < 5 ? 'Fail' : 'Pass')]).flat();
      const features = computeYieldFeatures(order({ tests }));
      expect(valueOf(features, 'ict_first_pass_rate')).toBeCloseTo(30 / 40, 6);
      expect(valueOf(features, 'recent_ict_first_pass_rate')).toBe(1);
      expect(valueOf(features, 'fct_first_pass_rate')).toBeCloseTo(35 / 40, 6);
      expect(valueOf(features, 'recent_fct_first_pass_rate')).toBe(1);
      expect(valueOf(features, 'observed_first_pass_yield')).toBeCloseTo(30 / 40, 6);
      expect(valueOf(features, 'recent_first_pass_yield')).toBe(1);
    });

    it('count failures among the newest boards that the whole-order figures dilute', () => {
      const tests = Array.from({ length: 60 }, (_, i) => run(`B${i}`, 'FCT', i >= 45 ? 'Fail' : 'Pass'));
      const features = computeYieldFeatures(order({ productId: 'GW-BOX-100', tests }));
      expect(valueOf(features, 'observed_first_pass_yield')).toBeCloseTo(45 / 60, 6);
      expect(valueOf(features, 'recent_first_pass_yield')).toBeCloseTo(15 / 30, 6);
    });
  });

  it('sets the shift column of the snapshot time', () => {
    const shifts = (asOf: number) => {
      const f = computeYieldFeatures(order({ asOf }));
      return [valueOf(f, 'shift_a'), valueOf(f, 'shift_b'), valueOf(f, 'shift_c')];
    };
    expect(shifts(Date.UTC(2026, 0, 5, 10))).toEqual([1, 0, 0]);
    expect(shifts(Date.UTC(2026, 0, 5, 15))).toEqual([0, 1, 0]);
    expect(shifts(Date.UTC(2026, 0, 5, 23))).toEqual([0, 0, 1]);
  });

  it('counts lots in use and their distinct suppliers', () => {
    const features = computeYieldFeatures(
      order({
        lotsInUse: [
          { lotId: 'L1', supplier: 'Acme', moistureSensitivityLevel: null, openedOn: null },
          { lotId: 'L2', supplier: 'Acme', moistureSensitivityLevel: null, openedOn: null },
          { lotId: 'L3', supplier: 'Beta', moistureSensitivityLevel: 1, openedOn: null },
        ],
      }),
    );
    expect(valueOf(features, 'lots_in_use')).toBe(3);
    expect(valueOf(features, 'suppliers_in_use')).toBe(2);
  });

  it('counts MSL 3 and higher lots opened more than 168 h before the snapshot as past their floor life', () => {
    const lot = (lotId: string, moistureSensitivityLevel: number | null, hoursOpen: number | null) => ({
      lotId,
      supplier: 'Acme',
      moistureSensitivityLevel,
      openedOn: hoursOpen === null ? null : AS_OF - hoursOpen * HOUR,
    });
    const features = computeYieldFeatures(
      order({
        lotsInUse: [
          lot('msl3-169h', 3, 169),
          lot('msl3-168h', 3, 168),
          lot('msl3-167h', 3, 167),
          lot('msl4-200h', 4, 200),
          lot('msl2a-500h', 2.5, 500),
          lot('no-msl-900h', null, 900),
          lot('msl5-sealed', 5, null),
        ],
      }),
    );
    expect(valueOf(features, 'msl_lots_past_floor_life')).toBe(2);
    expect(valueOf(features, 'msl_max_hours_open')).toBe(200);
  });

  it('does not count lots opened after the snapshot as open for negative hours', () => {
    const features = computeYieldFeatures(order({ lotsInUse: [{ lotId: 'L1', supplier: 'Acme', moistureSensitivityLevel: 3, openedOn: AS_OF + 5 * HOUR }] }));
    expect(valueOf(features, 'msl_max_hours_open')).toBe(0);
    expect(valueOf(features, 'msl_lots_past_floor_life')).toBe(0);
  });

  it('takes the worst ICT fixture and FCT station over their last 100 runs', () => {
    const features = computeYieldFeatures(
      order({
        // Fixture 1 failed its first 50 runs, then 30 of its last 100; fixture 2 failed 5 of 20.
        ictFixtureRuns: [[...fails(50), ...fails(30), ...passes(70)], [...fails(5), ...passes(15)]],
        fctStationRuns: [passes(40), [], [...passes(100), ...fails(10)]],
      }),
    );
    expect(valueOf(features, 'ict_fixture_recent_fail_share')).toBeCloseTo(0.3, 6);
    expect(valueOf(features, 'fct_station_recent_fail_share')).toBeCloseTo(0.1, 6);
  });
});

describe('shiftAt', () => {
  it.each([
    ['05:59', 5, 59, 'C'],
    ['06:00', 6, 0, 'A'],
    ['13:59', 13, 59, 'A'],
    ['14:00', 14, 0, 'B'],
    ['21:59', 21, 59, 'B'],
    ['22:00', 22, 0, 'C'],
    ['00:00', 0, 0, 'C'],
  ])('puts %s UTC in shift %s', (_label, hour, minute, shift) => {
    expect(shiftAt(Date.UTC(2026, 0, 5, hour, minute))).toBe(shift);
  });
});

describe('toYieldOrderInput', () => {
  const BASE = Date.UTC(2026, 0, 5, 6, 0);
  const at = (minutes: number): string => new Date(BASE + minutes * 60_000).toISOString();

  function rows(overrides: Partial<YieldOrderRows> = {}): YieldOrderRows {
    return {
      workOrder: { id: 'WO-7', finalMaterialId: 'GW-MB-100', plannedQuantity: 60, targetYield: 0.92 },
      boardsStarted: 40,
      spiInspections: [],
      aoiInspections: [],
      testRuns: [],
      lotsInUse: [],
      ictFixtureRuns: [],
      fctStationRuns: [],
      asOf: BASE + 24 * HOUR,
      ...overrides,
    };
  }

  function inputError(build: () => unknown): FeatureInputError {
    try {
      build();
    } catch (error) {
      if (error instanceof FeatureInputError) return error;
      throw error;
    }
    throw new Error('expected a FeatureInputError');
  }

  const lotRow = (moistureSensitivityLevel: unknown, openedOn: string | null = null): Row => ({ id: 'LOT-1', supplier: 'Acme', moistureSensitivityLevel, openedOn });

  it('reads the work order and its rows into the feature input', () => {
    const input = toYieldOrderInput(
      rows({
        spiInspections: [{ id: 's1', inspectedOn: at(1), result: 'Fail', failedPadCount: 2, padCount: 400 }],
        aoiInspections: [{ id: 'a1', inspectedOn: at(2), result: 'Pass', confirmedDefectCount: 0, serialNumber: 'B1' }],
        testRuns: [{ id: 't1', startedOn: at(3), serialNumber: 'B1', testType: 'ICT', attempt: 1, result: 'Pass' }],
        lotsInUse: [lotRow('3', at(0))],
      }),
    );
    expect(input).toMatchObject({ orderId: 'WO-7', productId: 'GW-MB-100', plannedQuantity: 60, targetYield: 0.92, boardsStarted: 40, asOf: BASE + 24 * HOUR });
    expect(input.spi).toEqual([{ result: 'Fail', failedPadCount: 2, padCount: 400 }]);
    expect(input.aoi).toEqual([{ result: 'Pass', confirmedDefectCount: 0, serialNumber: 'B1' }]);
    expect(input.tests).toEqual([{ serialNumber: 'B1', testType: 'ICT', attempt: 1, result: 'Pass' }]);
    expect(input.lotsInUse).toEqual([{ lotId: 'LOT-1', supplier: 'Acme', moistureSensitivityLevel: 3, openedOn: BASE }]);
  });

  it.each<[unknown, number | null]>([
    ['3', 3],
    ['2a', 2.5],
    ['5A', 5.5],
    [' 1 ', 1],
    [4, 4],
    [null, null],
    [undefined, null],
  ])('reads moisture sensitivity level %p as %p', (level, expected) => {
    expect(toYieldOrderInput(rows({ lotsInUse: [lotRow(level)] })).lotsInUse[0]?.moistureSensitivityLevel).toBe(expected);
  });

  it.each(['7', '0', '3b', 'MSL3', ''])('rejects moisture sensitivity level %p', (level) => {
    const error = inputError(() => toYieldOrderInput(rows({ lotsInUse: [lotRow(level)] })));
    expect(error.code).toBe('INVALID_FEATURE_INPUT');
    expect(error.field).toBe('materialLot[0].moistureSensitivityLevel');
    expect(error.message).toContain(`got ${JSON.stringify(level)}`);
  });

  it('rejects an opened-on time that is not a time', () => {
    const error = inputError(() => toYieldOrderInput(rows({ lotsInUse: [lotRow('3', 'yesterday')] })));
    expect(error.field).toBe('materialLot[0].openedOn');
  });

  it('names the work-order field that is missing', () => {
    const error = inputError(() => toYieldOrderInput(rows({ workOrder: { id: 'WO-7', finalMaterialId: 'GW-MB-100', targetYield: 0.9 } })));
    expect(error.subject).toBe('order WO-7');
    expect(error.field).toBe('workOrder.plannedQuantity');
  });

  it('sorts rows by time, so the recent windows do not depend on the order rows arrive in', () => {
    // 40 boards, one per minute; the first 10 fail everything, the last 30 pass everything.
    const spiInspections: Row[] = [];
    const aoiInspections: Row[] = [];
    const testRuns: Row[] = [];
    for (let i = 0; i < 40; i++) {
      const failing = i < 10;
      const serialNumber = `B${String(i).padStart(2, '0')}`;
      spiInspections.push({ id: `s${i}`, inspectedOn: at(i * 10), result: failing ? 'Fail' : 'Pass', failedPadCount: failing ? 5 : 0, padCount: 400 });
      aoiInspections.push({ id: `a${i}`, inspectedOn: at(i * 10 + 2), result: failing ? 'Fail' : 'Pass', confirmedDefectCount: failing ? 1 : 0, serialNumber });
      testRuns.push({ id: `t${i}i`, startedOn: at(i * 10 + 4), serialNumber, testType: 'ICT', attempt: 1, result: failing ? 'Fail' : 'Pass' });
      testRuns.push({ id: `t${i}f`, startedOn: at(i * 10 + 6), serialNumber, testType: 'FCT', attempt: 1, result: failing ? 'Fail' : 'Pass' });
    }
    const inOrder = computeYieldFeatures(toYieldOrderInput(rows({ spiInspections, aoiInspections, testRuns })));
    expect(valueOf(inOrder, 'recent_spi_fail_share')).toBe(0);
    expect(valueOf(inOrder, 'recent_aoi_confirmed_share')).toBe(0);
    expect(valueOf(inOrder, 'recent_ict_first_pass_rate')).toBe(1);
    expect(valueOf(inOrder, 'recent_fct_first_pass_rate')).toBe(1);
    expect(valueOf(inOrder, 'recent_first_pass_yield')).toBe(1);

    const reversed = computeYieldFeatures(
      toYieldOrderInput(rows({ spiInspections: [...spiInspections].reverse(), aoiInspections: [...aoiInspections].reverse(), testRuns: [...testRuns].reverse() })),
    );
    expect(Array.from(reversed)).toEqual(Array.from(inOrder));
    const interleaved = (list: Row[]): Row[] => [...list.filter((_, i) => i % 2 === 1), ...list.filter((_, i) => i % 2 === 0)];
    const shuffled = computeYieldFeatures(
      toYieldOrderInput(rows({ spiInspections: interleaved(spiInspections), aoiInspections: interleaved(aoiInspections), testRuns: interleaved(testRuns) })),
    );
    expect(Array.from(shuffled)).toEqual(Array.from(inOrder));
  });

  it('sorts each fixture’s runs by time before taking its last 100', () => {
    // 150 runs: the oldest 50 fail, the newest 100 pass; handed over newest first.
    const fixture: Row[] = Array.from({ length: 150 }, (_, i) => ({ startedOn: at(i), result: i < 50 ? 'Fail' : 'Pass' })).reverse();
    const input = toYieldOrderInput(rows({ ictFixtureRuns: [fixture], fctStationRuns: [fixture] }));
    expect(input.ictFixtureRuns[0]?.slice(-100).every(Boolean)).toBe(true);
    const features = computeYieldFeatures(input);
    expect(valueOf(features, 'ict_fixture_recent_fail_share')).toBe(0);
    expect(valueOf(features, 'fct_station_recent_fail_share')).toBe(0);
  });

  it('names the fixture run whose result is missing', () => {
    const error = inputError(() => toYieldOrderInput(rows({ ictFixtureRuns: [[{ startedOn: at(0), result: 'Pass' }], [{ startedOn: at(1) }]] })));
    expect(error.field).toBe('ictFixtureRuns[1][0].result');
  });
});
