import { connectionFromArray, pageWindow, type ConnectionPage } from './connection';

describe('connections', () => {
  it('pages an array to the end with cursors, every item once', () => {
    const items = Array.from({ length: 47 }, (_, i) => i);
    const seen: number[] = [];
    let after: string | null = null;
    for (;;) {
      const page: ConnectionPage<number> = connectionFromArray(items, { first: 10, after });
      seen.push(...page.nodes);
      expect(page.totalCount).toBe(47);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(items);
  });

  it('treats a null first or after as absent', () => {
    expect(pageWindow({ first: null, after: null })).toEqual({ offset: 0, limit: 20 });
  });

  it('rejects a page size over the maximum and a cursor it did not issue, with BAD_USER_INPUT', () => {
    expect(() => pageWindow({ first: 101 })).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }));
    expect(() => pageWindow({ first: 0 })).toThrow(/first must be between 1 and 100/);
    expect(() => pageWindow({ after: 'bm90LWEtY3Vyc29y' })).toThrow(/not a cursor this API issued/);
  });
});
