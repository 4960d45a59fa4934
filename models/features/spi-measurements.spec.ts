import { FeatureInputError } from './feature-input.error';
import { packSpiMeasurements, unpackSpiMeasurements, type SpiPadMeasurement } from './spi-measurements';

const pads: SpiPadMeasurement[] = [
  { padId: 'U7-2', volumePct: 131.5, areaPct: 118.25, heightUm: 121, offsetXUm: -0, offsetYUm: 12.5, result: 'Fail' },
  { padId: 'C1-1', volumePct: 98.1, areaPct: 101, heightUm: 110.4, offsetXUm: 3.25, offsetYUm: -4, result: 'Pass' },
  { padId: 'U7-10', volumePct: 64.2, areaPct: 70.5, heightUm: 80, offsetXUm: 0.5, offsetYUm: 0, result: 'Fail' },
];
const print = { inspectionId: 'i-1', stencilId: 'STN-1', printsSinceWipe: 7, shift: 'B', pads };

describe('SPI measurements payload', () => {
  it('packs pads in padId order and unpacks the same numbers, -0 as 0', () => {
    const payload = JSON.parse(JSON.stringify(packSpiMeasurements(print)));
    expect(payload.padIds).toBe('C1-1,U7-10,U7-2');
    expect(payload.results).toBe('PFF');
    const m = unpackSpiMeasurements('board B1', payload);
    expect(m.rows).toBe(3);
    expect([...m.volumePct]).toEqual([98.1, 64.2, 131.5]);
    expect([...m.areaPct]).toEqual([101, 70.5, 118.25]);
    expect([...m.heightUm]).toEqual([110.4, 80, 121]);
    expect(Object.is(m.offsetXUm[2], 0)).toBe(true);
    expect([...m.offsetYUm]).toEqual([-4, 0, 12.5]);
    expect([...m.failed]).toEqual([0, 1, 1]);
    expect(m).toMatchObject({ inspectionId: 'i-1', stencilId: 'STN-1', printsSinceWipe: 7, shift: 'B' });
  });

  it.each([
    ['a pad list longer than the results', { padIds: 'A-1,A-2,A-3,A-4' }, 'measurements.padIds'],
    ['too few value bytes', { values: Buffer.alloc(8 * 5 * 2).toString('base64') }, 'measurements.values'],
    ['a result that is neither P nor F', { results: 'PXF' }, 'measurements.results[1]'],
    ['an unknown shift', { shift: 'D' }, 'measurements.shift'],
  ])('refuses %s, naming the field', (_, change, field) => {
    const payload = { ...packSpiMeasurements(print), ...change };
    let error: unknown;
    try {
      unpackSpiMeasurements('board B1', payload);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FeatureInputError);
    expect((error as FeatureInputError).code).toBe('INVALID_FEATURE_INPUT');
    expect((error as Error).message).toContain(field);
  });

  it('refuses a value that is not finite, naming its column and pad', () => {
    const values = new Float64Array(15);
    values[3 + 2] = Number.NaN; // areaPct (the second column of three pads) of the third pad
    const payload = { ...packSpiMeasurements(print), values: Buffer.from(values.buffer).toString('base64') };
    expect(() => unpackSpiMeasurements('board B1', payload)).toThrow(/measurements\.areaPct\[2\]/);
  });
});
