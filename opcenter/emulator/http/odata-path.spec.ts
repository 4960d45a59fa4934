import { parseKeyPredicate, parseODataPath } from './odata-path';

const base = '/sit-svc/Application/AppU4DM/odata';

describe('parseODataPath', () => {
  it('reads the service document, $metadata, a collection and its $count', () => {
    expect(parseODataPath(`${base}/`)).toEqual({ app: 'AppU4DM', resource: { kind: 'service' } });
    expect(parseODataPath(`${base}/$metadata`)?.resource).toEqual({ kind: 'metadata' });
    expect(parseODataPath(`${base}/WorkOrder`)?.resource).toEqual({ kind: 'collection', name: 'WorkOrder', count: false });
    expect(parseODataPath(`${base}/WorkOrder/$count`)?.resource).toEqual({ kind: 'collection', name: 'WorkOrder', count: true });
  });

  it('reads a key in parentheses, as a named key and as a path segment', () => {
    const guid = '0A1B2C3D-0000-4000-8000-00000000ABCD';
    expect(parseODataPath(`${base}/WorkOrder(${guid})`)?.resource).toEqual({ kind: 'entity', name: 'WorkOrder', key: guid.toLowerCase() });
    expect(parseODataPath(`${base}/WorkOrder(Id=${guid})`)?.resource).toEqual({ kind: 'entity', name: 'WorkOrder', key: guid.toLowerCase() });
    expect(parseODataPath(`${base}/WorkOrder/${guid}`)?.resource).toEqual({ kind: 'entity', name: 'WorkOrder', key: guid });
    expect(parseODataPath(`${base}/WorkOrder('A''B%2FC')`)?.resource).toEqual({ kind: 'entity', name: 'WorkOrder', key: "A'B/C" });
  });

  it('reads a navigation from an entity, with or without $count', () => {
    expect(parseODataPath(`${base}/WorkOrder('x')/Operations`)?.resource).toEqual({
      kind: 'navigation',
      name: 'WorkOrder',
      key: 'x',
      navigation: 'Operations',
      count: false,
    });
    expect(parseODataPath(`${base}/WorkOrder/x/Operations/$count`)?.resource).toMatchObject({ navigation: 'Operations', count: true });
  });

  it('ignores paths outside the OData surface', () => {
    expect(parseODataPath('/sit-svc/other')).toBeUndefined();
    expect(parseODataPath('/health')).toBeUndefined();
  });

  it('rejects malformed keys and encodings with a 400 that says why', () => {
    expect(() => parseKeyPredicate("'unterminated")).toThrow(/Invalid key predicate/);
    expect(() => parseKeyPredicate("'a'b'")).toThrow(/Unescaped quote/);
    expect(() => parseODataPath(`${base}/WorkOrder('%E0%A4%A')`)).toThrow(/percent-encoding/);
    expect(() => parseODataPath(`${base}/WorkOrder('x'`)).toThrow(/Unbalanced/);
    try {
      parseKeyPredicate('not a key');
    } catch (error) {
      expect((error as { status: number }).status).toBe(400);
    }
  });
});
