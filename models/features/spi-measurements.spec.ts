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
    ['an encoding of four columns', { encoding: 'f64,f64,f64,f64' }, 'measurements.encoding'],
    ['values of another encoding', { encoding: 'i32:1,i32:1,i32:1,i32:1,i32:1' }, 'measurements.values'],
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
    const payload = { ...packSpiMeasurements(print), values: Buffer.from(values.buffer).toString('base64'), encoding: undefined };
    expect(() => unpackSpiMeasurements('board B1', payload)).toThrow(/measurements\.areaPct\[2\]/);
  });

  it('stores each column in the fewest bytes that give back every value exactly', () => {
    const payload = packSpiMeasurements(print);
    // volume 1 decimal, area 2, height 1, offsets 2 and 1 (all small): 16-bit integers throughout.
    expect(payload.encoding).toBe('i16:1,i16:2,i16:1,i16:2,i16:1');
    expect(Buffer.from(payload.values, 'base64').byteLength).toBe(3 * 5 * 2);
    const wide = packSpiMeasurements({ ...print, pads: pads.map((p, i) => ({ ...p, volumePct: 4000 + i * 0.5, heightUm: Math.PI * (i + 1) })) });
    expect(wide.encoding).toBe('i32:1,i16:2,f64,i16:2,i16:1');
    const m = unpackSpiMeasurements('board B1', wide);
    expect([...m.volumePct]).toEqual([4000.5, 4001, 4000]); // pads in padId order: C1-1, U7-10, U7-2
    expect([...m.heightUm]).toEqual([Math.PI * 2, Math.PI * 3, Math.PI]);
  });

  it('gives back the very doubles packed, for every value of one decimal in the range SPI reports', () => {
    const values: number[] = [];
    for (let n = -5000; n <= 5000; n++) values.push(Math.round(n) / 10, Number((n / 10).toFixed(1)));
    const many = values.map((v, i) => ({ padId: `P${String(i).padStart(6, '0')}`, volumePct: v, areaPct: v, heightUm: v, offsetXUm: v, offsetYUm: v, result: 'Pass' }));
    const m = unpackSpiMeasurements('board B1', JSON.parse(JSON.stringify(packSpiMeasurements({ ...print, pads: many }))));
    const sorted = [...many].sort((a, b) => (a.padId < b.padId ? -1 : 1)).map((p) => p.volumePct + 0);
    expect([...m.volumePct]).toEqual(sorted);
    expect([...m.offsetYUm].every((v, i) => Object.is(v, sorted[i]))).toBe(true);
  });

  it('still reads payloads of float64 columns without an encoding (jobs queued before it existed)', () => {
    const n = pads.length;
    const values = new Float64Array(n * 5);
    const sorted = [...pads].sort((a, b) => (a.padId < b.padId ? -1 : 1));
    (['volumePct', 'areaPct', 'heightUm', 'offsetXUm', 'offsetYUm'] as const).forEach((column, c) => sorted.forEach((p, i) => (values[c * n + i] = p[column])));
    const legacy = { ...packSpiMeasurements(print), values: Buffer.from(values.buffer).toString('base64'), encoding: undefined };
    expect([...unpackSpiMeasurements('board B1', legacy).areaPct]).toEqual([101, 70.5, 118.25]);
  });
});
