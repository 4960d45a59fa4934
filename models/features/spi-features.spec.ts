import { rngFor } from '../../opcenter/simulator/prng';
import type { Row } from '../../opcenter/client';
import { FeatureInputError } from './feature-input.error';
import {
  computeSpiFeatures,
  packageFamilyOf,
  SPI_FEATURE_COUNT,
  SPI_FEATURE_NAMES,
  toSpiBoardInput,
  type SpiBoardInput,
  type SpiFeatures,
  type SpiPadInput,
} from './spi-features';

type FeatureName = (typeof SPI_FEATURE_NAMES)[number];

/** The value of one named column in the row of one pad. */
function valueOf(features: SpiFeatures, padId: string, name: FeatureName): number {
  const row = features.padIds.indexOf(padId);
  if (row < 0) throw new Error(`no row for pad ${padId}`);
  return features.values[row * SPI_FEATURE_COUNT + SPI_FEATURE_NAMES.indexOf(name)] as number;
}

/** The values of one named column, one per row. */
function columnOf(features: SpiFeatures, name: FeatureName): number[] {
  const column = SPI_FEATURE_NAMES.indexOf(name);
  return Array.from({ length: features.rows }, (_, row) => features.values[row * SPI_FEATURE_COUNT + column] as number);
}

function pad(padId: string, overrides: Partial<SpiPadInput> = {}): SpiPadInput {
  const [referenceDesignator = padId, pinNumber = '1'] = padId.split('-');
  return {
    padId,
    referenceDesignator,
    pinNumber,
    packageType: 'SOIC-8',
    padShape: 'Rectangle',
    padSizeXUm: 600,
    padSizeYUm: 1500,
    pitchUm: 1270,
    apertureAreaRatio: 0.8,
    volumePct: 100,
    areaPct: 100,
    heightUm: 120,
    offsetXUm: 0,
    offsetYUm: 0,
    result: 'Pass',
    ...overrides,
  };
}

function board(pads: readonly SpiPadInput[], overrides: Partial<SpiBoardInput> = {}): SpiBoardInput {
  return { serialNumber: 'SN-SPI-1', printsSinceWipe: 3, shift: 'B', stencilThicknessUm: 120, wipeIntervalPrints: 12, pads, ...overrides };
}

/** Five pads on four parts: two fine-pitch BGA balls, a QFN exposed pad, a chip termination and a USB-C shield pin. */
const PADS: readonly SpiPadInput[] = [
  pad('U1-A1', { packageType: 'BGA-256', padShape: 'Round', padSizeXUm: 250, padSizeYUm: 250, pitchUm: 400, volumePct: 110, areaPct: 105, offsetXUm: 10, offsetYUm: -5 }),
  pad('U1-A2', { packageType: 'BGA-256', padShape: 'Round', padSizeXUm: 250, padSizeYUm: 250, pitchUm: 400, volumePct: 94, areaPct: 95, offsetXUm: 20, offsetYUm: 5, result: 'Fail' }),
  pad('U2-EP', { packageType: 'QFN-48-0.4', padSizeXUm: 3000, padSizeYUm: 3000, pitchUm: 400, volumePct: 80, offsetXUm: -30, offsetYUm: 0 }),
  pad('R1-1', { packageType: '0201', padSizeXUm: 200, padSizeYUm: 600, pitchUm: 800, volumePct: 100, areaPct: 120, offsetXUm: 50, offsetYUm: 30 }),
  pad('J1-S1', { packageType: 'USB-C', padShape: 'Oblong', padSizeXUm: 600, padSizeYUm: 1200, pitchUm: 1000, volumePct: 130, offsetXUm: 40, offsetYUm: 10 }),
];

/** The simulator's seeded generator, so every run sees the same rows. */
function seeded(seed: number): () => number {
  const rng = rngFor(seed, 0x5eed);
  return () => rng.next();
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('computeSpiFeatures', () => {
  it('gives one row of SPI_FEATURE_COUNT values per pad', () => {
    const features = computeSpiFeatures(board(PADS));
    expect(features.serialNumber).toBe('SN-SPI-1');
    expect(features.rows).toBe(5);
    expect(features.values).toHaveLength(5 * SPI_FEATURE_COUNT);
  });

  it('returns the pad ids sorted, with each pad’s reference designator beside it', () => {
    const features = computeSpiFeatures(board([...PADS].reverse()));
    expect(features.padIds).toEqual(['J1-S1', 'R1-1', 'U1-A1', 'U1-A2', 'U2-EP']);
    expect(features.referenceDesignators).toEqual(['J1', 'R1', 'U1', 'U1', 'U2']);
  });

  it('gives the same rows and board aggregates whatever order the pads come in', () => {
    const reference = computeSpiFeatures(board(PADS));
    const random = seeded(7);
    const orders = [[...PADS].reverse(), ...Array.from({ length: 20 }, () => shuffled(PADS, random))];
    for (const pads of orders) {
      const features = computeSpiFeatures(board(pads));
      expect(features.padIds).toEqual(reference.padIds);
      expect(features.referenceDesignators).toEqual(reference.referenceDesignators);
      expect(Array.from(features.values)).toEqual(Array.from(reference.values));
    }
  });

  it('copies the measurements and the pad geometry into their columns', () => {
    const features = computeSpiFeatures(board(PADS));
    expect(valueOf(features, 'R1-1', 'volume_pct')).toBe(100);
    expect(valueOf(features, 'R1-1', 'area_pct')).toBe(120);
    expect(valueOf(features, 'R1-1', 'height_um')).toBe(120);
    expect(valueOf(features, 'R1-1', 'offset_x_um')).toBe(50);
    expect(valueOf(features, 'R1-1', 'offset_y_um')).toBe(30);
    expect(valueOf(features, 'R1-1', 'pad_size_x_um')).toBe(200);
    expect(valueOf(features, 'R1-1', 'pad_size_y_um')).toBe(600);
    expect(valueOf(features, 'R1-1', 'pad_area_mm2')).toBeCloseTo(0.12, 6);
    expect(valueOf(features, 'R1-1', 'pitch_um')).toBe(800);
    expect(valueOf(features, 'R1-1', 'aperture_area_ratio')).toBeCloseTo(0.8, 6);
  });

  it('measures the along-pitch offset against the pad’s short side, whichever axis that is', () => {
    const tall = pad('R1-1', { padSizeXUm: 200, padSizeYUm: 600, offsetXUm: 50, offsetYUm: 30 });
    const wide = pad('R2-1', { padSizeXUm: 600, padSizeYUm: 200, offsetXUm: 30, offsetYUm: -50 });
    const features = computeSpiFeatures(board([tall, wide]));
    expect(valueOf(features, 'R1-1', 'offset_along_pitch_ratio')).toBeCloseTo(0.25, 6);
    expect(valueOf(features, 'R1-1', 'offset_across_ratio')).toBeCloseTo(0.05, 6);
    expect(valueOf(features, 'R2-1', 'offset_along_pitch_ratio')).toBeCloseTo(0.25, 6);
    expect(valueOf(features, 'R2-1', 'offset_across_ratio')).toBeCloseTo(0.05, 6);
  });

  it('takes the gap to the neighbour as pitch minus the short side, never below 50 µm', () => {
    const features = computeSpiFeatures(board(PADS));
    expect(valueOf(features, 'R1-1', 'gap_um')).toBe(600);
    expect(valueOf(features, 'U1-A1', 'gap_um')).toBe(150);
    expect(valueOf(features, 'U2-EP', 'gap_um')).toBe(50);
  });

  it('counts paste spread beyond the pad and the along-pitch offset as encroachment into the gap', () => {
    const features = computeSpiFeatures(board(PADS));
    // R1-1: 20 % extra area over half its 200 µm short side is 20 µm, plus a 50 µm offset, into a 600 µm gap.
    expect(valueOf(features, 'R1-1', 'encroachment_ratio')).toBeCloseTo(70 / 600, 6);
    // U1-A2 prints less area than the pad: only its 20 µm offset counts, into a 150 µm gap.
    expect(valueOf(features, 'U1-A2', 'encroachment_ratio')).toBeCloseTo(20 / 150, 6);
  });

  it('repeats the stencil thickness, prints since wipe and wipe-cycle progress on every row', () => {
    const features = computeSpiFeatures(board(PADS, { stencilThicknessUm: 100, printsSinceWipe: 3, wipeIntervalPrints: 12 }));
    expect(columnOf(features, 'stencil_thickness_um')).toEqual([100, 100, 100, 100, 100]);
    expect(columnOf(features, 'prints_since_wipe')).toEqual([3, 3, 3, 3, 3]);
    expect(columnOf(features, 'wipe_cycle_progress')).toEqual([0.25, 0.25, 0.25, 0.25, 0.25]);
  });

  it('sets exactly the one-hot column of each pad’s shape', () => {
    const features = computeSpiFeatures(board(PADS));
    const shapes = (padId: string) => [
      valueOf(features, padId, 'shape_round'),
      valueOf(features, padId, 'shape_rectangle'),
      valueOf(features, padId, 'shape_oblong'),
    ];
    expect(shapes('U1-A1')).toEqual([1, 0, 0]);
    expect(shapes('R1-1')).toEqual([0, 1, 0]);
    expect(shapes('J1-S1')).toEqual([0, 0, 1]);
  });

  it('sets exactly the one-hot column of each pad’s package family', () => {
    const families = ['bga', 'wlcsp', 'qfn', 'lga', 'chip', 'gullwing', 'other'] as const;
    const packages: readonly [string, (typeof families)[number]][] = [
      ['BGA-256', 'bga'],
      ['WLCSP-36', 'wlcsp'],
      ['QFN-48-0.4', 'qfn'],
      ['PQFN-5x6', 'qfn'],
      ['LGA-14', 'lga'],
      ['0201', 'chip'],
      ['SOIC-8', 'gullwing'],
      ['USB-C', 'other'],
    ];
    const pads = packages.map(([packageType], i) => pad(`P${i}-1`, { packageType }));
    const features = computeSpiFeatures(board(pads));
    packages.forEach(([, family], i) => {
      const oneHot = families.map((f) => valueOf(features, `P${i}-1`, `package_${f}`));
      expect(oneHot).toEqual(families.map((f) => (f === family ? 1 : 0)));
    });
  });

  it('marks exposed pads, tabs and shield pins as thermal pads, and signal pins not', () => {
    const pins = ['EP', 'TAB', 'S1', 'A1'];
    const features = computeSpiFeatures(board(pins.map((pin) => pad(`U9-${pin}`))));
    expect(pins.map((pin) => valueOf(features, `U9-${pin}`, 'thermal_pad'))).toEqual([1, 1, 1, 0]);
  });

  it('flags the pads the SPI machine failed, and the board’s share of them on every row', () => {
    const features = computeSpiFeatures(board(PADS));
    expect(features.padIds.map((id) => valueOf(features, id, 'spi_fail'))).toEqual([0, 0, 0, 1, 0]);
    for (const share of columnOf(features, 'board_failed_pad_share')) expect(share).toBeCloseTo(0.2, 6);
  });

  it('puts the board’s median X and Y offsets on every row', () => {
    const odd = computeSpiFeatures(board(PADS));
    expect(columnOf(odd, 'board_offset_x_median_um')).toEqual([20, 20, 20, 20, 20]);
    expect(columnOf(odd, 'board_offset_y_median_um')).toEqual([5, 5, 5, 5, 5]);
    const even = computeSpiFeatures(board(PADS.filter((p) => p.padId !== 'J1-S1')));
    // X offsets 10, 20, -30, 50 and Y offsets -5, 5, 0, 30: numeric medians 15 and 2.5.
    expect(columnOf(even, 'board_offset_x_median_um')).toEqual([15, 15, 15, 15]);
    expect(columnOf(even, 'board_offset_y_median_um')).toEqual([2.5, 2.5, 2.5, 2.5]);
  });

  it('takes the same median as sorting, for odd and even counts with repeated values', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const random = seeded(seed);
      const count = 1 + Math.floor(random() * 40);
      // Few distinct values, so ties and runs of equal values are common.
      const offsets = Array.from({ length: count }, () => Math.round(random() * 8) * 2.5 - 10);
      const features = computeSpiFeatures(board(offsets.map((offsetXUm, i) => pad(`R${i}-1`, { offsetXUm }))));
      const sorted = [...offsets].sort((a, b) => a - b);
      const mid = count >> 1;
      const expected = count % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
      expect(columnOf(features, 'board_offset_x_median_um')[0]).toBe(Math.fround(expected));
    }
  });

  it('takes the median of offsets by value, not as text', () => {
    const offsets = [-100, -20, 3, 9, 200];
    const features = computeSpiFeatures(board(offsets.map((offsetXUm, i) => pad(`C${i}-1`, { offsetXUm }))));
    expect(columnOf(features, 'board_offset_x_median_um')[0]).toBe(3);
  });

  it('averages the volume of fine-pitch signal pads only, leaving out thermal pads and coarse pitches', () => {
    const features = computeSpiFeatures(board(PADS));
    // U1-A1 (110 %) and U1-A2 (94 %); U2-EP is fine pitch but a thermal pad, the others are coarse.
    for (const mean of columnOf(features, 'board_fine_pitch_volume_mean_pct')) expect(mean).toBeCloseTo(102, 5);
  });

  it('takes 100 % as the fine-pitch volume of a board without fine-pitch pads', () => {
    const features = computeSpiFeatures(board([pad('R1-1', { volumePct: 70 }), pad('R2-1', { volumePct: 80 })]));
    expect(columnOf(features, 'board_fine_pitch_volume_mean_pct')).toEqual([100, 100]);
  });

  it('compares each pad’s volume with the mean of its package type on the board', () => {
    const features = computeSpiFeatures(board(PADS));
    expect(valueOf(features, 'U1-A1', 'volume_vs_package_mean')).toBeCloseTo(110 / 102, 6);
    expect(valueOf(features, 'U1-A2', 'volume_vs_package_mean')).toBeCloseTo(94 / 102, 6);
    expect(valueOf(features, 'R1-1', 'volume_vs_package_mean')).toBe(1);
  });

  it('takes a volume ratio of 1 when a package type’s pads hold no paste at all', () => {
    const features = computeSpiFeatures(board([pad('U1-1', { volumePct: 0 }), pad('U1-2', { volumePct: 0 })]));
    expect(columnOf(features, 'volume_vs_package_mean')).toEqual([1, 1]);
  });

  it.each<[string, number[]]>([
    ['A', [1, 0, 0]],
    ['B', [0, 1, 0]],
    ['C', [0, 0, 1]],
  ])('sets only the shift column of shift %s on every row', (shift, expected) => {
    const features = computeSpiFeatures(board(PADS, { shift }));
    for (const padId of features.padIds) {
      expect([valueOf(features, padId, 'shift_a'), valueOf(features, padId, 'shift_b'), valueOf(features, padId, 'shift_c')]).toEqual(expected);
    }
  });
});

describe('packageFamilyOf', () => {
  it.each([
    ['BGA-256', 'bga'],
    ['WLCSP-36', 'wlcsp'],
    ['QFN-48-0.4', 'qfn'],
    ['PQFN-5x6', 'qfn'],
    ['DFN-8', 'qfn'],
    ['LGA-14', 'lga'],
    ['0201', 'chip'],
    ['0603', 'chip'],
    ['SOIC-8', 'gullwing'],
    ['TSSOP-20', 'gullwing'],
    ['USB-C', 'other'],
    ['bga-100', 'bga'],
    ['02011', 'other'],
  ])('reads %s as the %s family', (packageType, family) => {
    expect(packageFamilyOf(packageType)).toBe(family);
  });
});

describe('toSpiBoardInput', () => {
  const inspection: Row = { serialNumber: 'SN-SPI-2', shift: 'A', printsSinceWipe: 4, inspectedOn: '2026-01-05T08:00:00Z' };
  const stencil: Row = { id: 'ST-1', thicknessUm: 120, wipeIntervalPrints: 8 };
  const padRow = (padId: string, overrides: Row = {}): Row => ({ id: `row-${padId}`, spiInspectionGuid: 'g-1', ...pad(padId), ...overrides });

  function inputError(run: () => unknown): FeatureInputError {
    try {
      run();
    } catch (error) {
      if (error instanceof FeatureInputError) return error;
      throw error;
    }
    throw new Error('expected a FeatureInputError');
  }

  it('builds the board input from the inspection, its stencil and its pads', () => {
    const input = toSpiBoardInput(inspection, stencil, [padRow('U1-A1', { volumePct: 97.5 }), padRow('R1-1')]);
    expect(input).toMatchObject({ serialNumber: 'SN-SPI-2', shift: 'A', printsSinceWipe: 4, stencilThicknessUm: 120, wipeIntervalPrints: 8 });
    expect(input.pads).toHaveLength(2);
    expect(input.pads[0]).toEqual(pad('U1-A1', { volumePct: 97.5 }));
  });

  it('names the pad and the field of a measurement that is not a number', () => {
    const error = inputError(() => toSpiBoardInput(inspection, stencil, [padRow('R1-1'), padRow('U1-A1', { volumePct: 'n/a' })]));
    expect(error.code).toBe('INVALID_FEATURE_INPUT');
    expect(error.field).toBe('spiPad[U1-A1].volumePct');
    expect(error.message).toBe('board SN-SPI-2: spiPad[U1-A1].volumePct must be a finite number, got "n/a"');
  });

  it('rejects measurements that are not finite', () => {
    expect(inputError(() => toSpiBoardInput(inspection, stencil, [padRow('U1-A1', { heightUm: Number.NaN })])).field).toBe('spiPad[U1-A1].heightUm');
    expect(inputError(() => toSpiBoardInput(inspection, stencil, [padRow('U1-A1', { offsetYUm: Infinity })])).field).toBe('spiPad[U1-A1].offsetYUm');
  });

  it('names a pad without a pad id by its index', () => {
    const error = inputError(() => toSpiBoardInput(inspection, stencil, [padRow('R1-1'), padRow('U1-A1', { padId: undefined })]));
    expect(error.field).toBe('spiPad[1].padId');
    expect(error.message).toContain('must be a non-empty string, got undefined');
  });

  it('rejects a stencil without a thickness', () => {
    const error = inputError(() => toSpiBoardInput(inspection, { id: 'ST-1', wipeIntervalPrints: 8 }, [padRow('U1-A1')]));
    expect(error.code).toBe('INVALID_FEATURE_INPUT');
    expect(error.field).toBe('stencil.thicknessUm');
    expect(error.message).toBe('board SN-SPI-2: stencil.thicknessUm must be a finite number, got undefined');
  });

  it('rejects a shift other than A, B or C', () => {
    const error = inputError(() => toSpiBoardInput({ ...inspection, shift: 'D' }, stencil, [padRow('U1-A1')]));
    expect(error.field).toBe('spiInspection.shift');
    expect(error.message).toBe("board SN-SPI-2: spiInspection.shift must be 'A', 'B' or 'C', got 'D'");
  });

  it('rejects an inspection without pads', () => {
    const error = inputError(() => toSpiBoardInput(inspection, stencil, []));
    expect(error.field).toBe('spiPad');
    expect(error.message).toContain('has no pads');
  });

  it('rejects an inspection without a serial number', () => {
    const error = inputError(() => toSpiBoardInput({ ...inspection, serialNumber: '' }, stencil, [padRow('U1-A1')]));
    expect(error.subject).toBe('spiInspection');
    expect(error.field).toBe('serialNumber');
  });

  it('reads -0 as 0, so its features match a value that went through OData', () => {
    const input = toSpiBoardInput({ ...inspection, printsSinceWipe: -0 }, stencil, [padRow('U1-A1', { offsetXUm: -0, offsetYUm: -0 })]);
    expect(Object.is(input.pads[0]?.offsetXUm, 0)).toBe(true);
    expect(Object.is(input.pads[0]?.offsetYUm, 0)).toBe(true);
    expect(Object.is(input.printsSinceWipe, 0)).toBe(true);
    const features = computeSpiFeatures(input);
    expect(Object.is(valueOf(features, 'U1-A1', 'offset_x_um'), 0)).toBe(true);
    expect(Object.is(valueOf(features, 'U1-A1', 'board_offset_x_median_um'), 0)).toBe(true);
  });
});
