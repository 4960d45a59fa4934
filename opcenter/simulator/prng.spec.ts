import { guidOf } from './prng';

describe('guidOf', () => {
  it('gives distinct, well-formed GUIDs for a million keys of one seed', () => {
    const seen = new Set<string>();
    for (let index = 0; index < 250_000; index++) {
      for (let sub = 0; sub < 4; sub++) seen.add(guidOf(42, 7, index, sub));
    }
    for (let purpose = 0; purpose < 50; purpose++) seen.add(guidOf(42, purpose, 0, 0));
    expect(seen.size).toBe(1_000_000 + 49);
    const sample = guidOf(42, 7, 123, 1);
    expect(sample).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('is the same for the same key and differs for another seed', () => {
    expect(guidOf(42, 3, 9, 2)).toBe(guidOf(42, 3, 9, 2));
    expect(guidOf(43, 3, 9, 2)).not.toBe(guidOf(42, 3, 9, 2));
  });
});
