import { InvalidInsightError } from './errors';
import { isJsonValue, parseInsight, type Insight } from './insight';

const insight: Insight = {
  modelName: 'spi-defect-risk',
  modelVersion: '1.0.0',
  subjectType: 'board',
  subjectId: 'SN1',
  status: 'READY',
  value: { score: 0.12, pads: [{ padId: 'C1-1', p: 0.1 }], cause: null, flagged: false },
  confidence: 0.88,
  computedAt: '2026-11-25T10:00:00.000Z',
  featuresDigest: 'ab12',
};

describe('insight contract', () => {
  it.each([
    ['a nested object of every JSON kind', { a: [1, 'x', true, null, { b: [] }] }],
    ['null', null],
    ['an object without a prototype', Object.assign(Object.create(null) as object, { a: 1 })],
  ])('takes %s as a JSON value', (_, value) => {
    expect(isJsonValue(value)).toBe(true);
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity deep in an array', { a: [1, [Number.POSITIVE_INFINITY]] }],
    ['undefined in an object', { a: undefined }],
    ['a Date', new Date(0)],
    ['a function', () => 1],
    ['a Map', new Map()],
  ])('refuses %s', (_, value) => {
    expect(isJsonValue(value)).toBe(false);
  });

  it('parses a stored insight as it was written', () => {
    expect(parseInsight(JSON.parse(JSON.stringify(insight)))).toEqual(insight);
  });

  it('names the value when it is not JSON', () => {
    expect(() => parseInsight({ ...insight, value: { score: Number.NaN } })).toThrow(InvalidInsightError);
    expect(() => parseInsight({ ...insight, value: { at: new Date() } })).toThrow(/value/);
  });
});
