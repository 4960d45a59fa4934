import { differingFigures, numericLeaves, unitOfFeature } from './card-writer';

describe('numericLeaves', () => {
  it('names nested object fields with dots and array items with their index', () => {
    const leaves = numericLeaves({ auc: 0.9, test: { later: { recall: [0.8, 0.7] }, bins: [{ count: 3 }, { count: 5 }] } });
    expect(Object.fromEntries(leaves)).toEqual({
      auc: 0.9,
      'test.later.recall[0]': 0.8,
      'test.later.recall[1]': 0.7,
      'test.bins[0].count': 3,
      'test.bins[1].count': 5,
    });
  });

  it('leaves out strings, booleans, nulls and empty containers', () => {
    const leaves = numericLeaves({ name: 'spi', met: true, none: null, missing: undefined, empty: {}, list: [], counts: ['7', 7] });
    expect(Object.fromEntries(leaves)).toEqual({ 'counts[1]': 7 });
  });

  it('names the items of a top-level array and a nested array by index alone', () => {
    expect(Object.fromEntries(numericLeaves([1, [2, 3]]))).toEqual({ '[0]': 1, '[1][0]': 2, '[1][1]': 3 });
  });

  it('puts the prefix in front of every path', () => {
    expect(Object.fromEntries(numericLeaves({ a: 1, b: [2] }, 'metrics'))).toEqual({ 'metrics.a': 1, 'metrics.b[0]': 2 });
    expect(Object.fromEntries(numericLeaves(4, 'score'))).toEqual({ score: 4 });
  });
});

describe('differingFigures', () => {
  const card = {
    metrics: { auc: 0.91, recall: [0.8, 0.7], name: 'spi-defect-risk', calibrated: true },
    rows: { train: 1000, test: 200 },
  };

  it('finds nothing when every figure agrees within the tolerance', () => {
    const now = { metrics: { auc: 0.9104, recall: [0.7996, 0.7], name: 'spi-defect-risk', calibrated: true }, rows: { train: 1000, test: 200 } };
    expect(differingFigures(card, now, 1e-3)).toEqual([]);
  });

  it('reports figures beyond the tolerance and figures present on one side only, sorted by path', () => {
    const now = { metrics: { auc: 0.9104, recall: [0.8, 0.75], brier: 0.1, name: 'spi-defect-risk', calibrated: true }, rows: { train: 1000 } };
    expect(differingFigures(card, now, 1e-3)).toEqual([
      { path: 'metrics.brier', card: undefined, now: 0.1 },
      { path: 'metrics.recall[1]', card: 0.7, now: 0.75 },
      { path: 'rows.test', card: 200, now: undefined },
    ]);
  });

  it('ignores leaves that are not numbers, even when they differ', () => {
    const now = { ...card, metrics: { ...card.metrics, name: 'yield-predictor', calibrated: false } };
    expect(differingFigures(card, now, 0)).toEqual([]);
  });

  it('reports a figure that became text as present on one side only', () => {
    const now = { ...card, rows: { train: '1000', test: 200 } };
    expect(differingFigures(card, now, 1e-3)).toEqual([{ path: 'rows.train', card: 1000, now: undefined }]);
  });

  it('accepts a difference equal to the tolerance and reports one just beyond it', () => {
    expect(differingFigures({ x: 1 }, { x: 1.5 }, 0.5)).toEqual([]);
    expect(differingFigures({ x: 1 }, { x: 1.5000001 }, 0.5)).toEqual([{ path: 'x', card: 1, now: 1.5000001 }]);
    expect(differingFigures({ x: 1 }, { x: 0.4999 }, 0.5)).toEqual([{ path: 'x', card: 1, now: 0.4999 }]);
  });
});

describe('unitOfFeature', () => {
  it.each([
    ['shape_round', 'one-hot (0 or 1)'],
    ['package_bga', 'one-hot (0 or 1)'],
    ['shift_c', 'one-hot (0 or 1)'],
    ['product_gw_mb_100', 'one-hot (0 or 1)'],
    ['spi_fail', 'one-hot (0 or 1)'],
    ['thermal_pad', 'one-hot (0 or 1)'],
    ['is_box_build', 'one-hot (0 or 1)'],
    ['spi_fail_share', 'ratio'],
    ['volume_pct', '%'],
    ['board_fine_pitch_volume_mean_pct', '%'],
    ['height_um', 'µm'],
    ['board_offset_x_median_um', 'µm'],
    ['pad_area_mm2', 'mm²'],
    ['msl_max_hours_open', 'h'],
    ['spi_failed_pads_per_1000', 'per 1,000 pads'],
    ['offset_along_pitch_ratio', 'ratio'],
    ['wipe_cycle_progress', 'ratio'],
    ['observed_first_pass_yield', 'ratio'],
    ['ict_first_pass_rate', 'ratio'],
    ['volume_vs_package_mean', 'ratio'],
    ['prints_since_wipe', 'count'],
    ['msl_lots_past_floor_life', 'count'],
    ['planned_quantity', 'count'],
  ])('gives %s the unit %s', (name, unit) => {
    expect(unitOfFeature(name)).toBe(unit);
  });
});
