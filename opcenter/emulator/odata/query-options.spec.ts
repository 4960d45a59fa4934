import type { EdmEntitySet } from '../../model/edm';
import { SpiInspection, WorkOrder, WorkOrderOperation } from '../../model/entity-sets';
import { ODataError } from './odata-error';
import { resolveFixtureSet } from './odata-fixture';
import { parseQueryOptions } from './query-options';
import { encodeSkipToken } from './skip-token';

const parse = (query: string, set: EdmEntitySet = WorkOrder) => parseQueryOptions(new URLSearchParams(query), set, resolveFixtureSet);

function failure(query: string, set: EdmEntitySet = WorkOrder): ODataError {
  try {
    parse(query, set);
  } catch (error) {
    expect(error).toBeInstanceOf(ODataError);
    return error as ODataError;
  }
  throw new Error(`expected '${query}' to fail`);
}

describe('parseQueryOptions', () => {
  it('returns no options for a bare query and ignores parameters without $', () => {
    expect(parse('sap-client=100&foo=bar')).toEqual({ count: false });
  });

  it('parses $filter, $select, $top, $skip and $count', () => {
    const options = parse("$filter=Status eq 'Active'&$select=NId,Name,NId&$top=5&$skip=10&$count=true");
    expect(options.filter).toMatchObject({ kind: 'comparison' });
    expect(options.select).toEqual(['NId', 'Name']);
    expect(options).toMatchObject({ top: 5, skip: 10, count: true });
    expect(parse('$select=*').select).toBeUndefined();
    expect(parse('$count=false').count).toBe(false);
  });

  it('accepts $format=json and ignores it', () => {
    expect(parse('$format=json')).toEqual({ count: false });
    expect(parse('$format=application/json;odata.metadata=minimal')).toEqual({ count: false });
    expect(failure('$format=xml').code).toBe('InvalidQueryOption');
  });

  it('rejects unknown and repeated system query options', () => {
    expect(failure('$search=foo').message).toContain('The query option $search is not supported');
    expect(failure('$top=1&$top=2').message).toBe('The query option $top is given more than once.');
  });

  it.each(['-1', 'abc', '1.5', '', '1e3'])('rejects $top=%s and $skip=%s', (value) => {
    expect(failure(`$top=${value}`).message).toBe(`$top must be a non-negative integer, got '${value}'.`);
    expect(failure(`$skip=${value}`).code).toBe('InvalidQueryOption');
  });

  it('rejects $count values other than true and false', () => {
    expect(failure('$count=yes').message).toBe("$count must be true or false, got 'yes'.");
  });

  it('rejects unknown $select properties with UnknownProperty', () => {
    const error = failure('$select=NId,Foo');
    expect(error.code).toBe('UnknownProperty');
    expect(error.message).toBe("Could not find a property named 'Foo' on type 'WorkOrder'.");
    expect(failure('$select=Operations').message).toContain('use $expand=Operations');
  });

  it('parses $orderby with several keys, directions and navigation paths', () => {
    const options = parse('$orderby=Sequence desc,WorkOrder/NId asc,NId', WorkOrderOperation);
    expect(options.orderBy).toMatchObject([
      { descending: true, expression: { name: 'Sequence' } },
      { descending: false, expression: { path: 'WorkOrder/NId' } },
      { descending: false, expression: { name: 'NId' } },
    ]);
    expect(failure('$orderby=Sequence sideways', WorkOrderOperation).message).toContain("position 9 in $orderby: unexpected 'sideways'");
    expect(failure('$orderby=Nope').code).toBe('UnknownProperty');
  });

  it('parses $expand with nested options two levels deep', () => {
    const options = parse("$expand=Operations($select=NId,Name;$orderby=Sequence desc;$top=3;$filter=Status eq 'a;b)'),FinalMaterial,Line");
    expect(options.expand?.map((item) => item.navigation)).toEqual(['Operations', 'FinalMaterial', 'Line']);
    expect(options.expand?.[0]?.options).toMatchObject({ select: ['NId', 'Name'], top: 3, orderBy: [{ descending: true }], filter: { right: { value: 'a;b)' } } });
    const nested = parse('$expand=MaterialTrackingUnit($expand=WorkOrder($expand=Line($select=Name);$select=NId))', SpiInspection);
    const unit = nested.expand?.[0];
    expect(unit?.target.name).toBe('MaterialTrackingUnit');
    expect(unit?.options.expand?.[0]?.options).toMatchObject({ select: ['NId'], expand: [{ navigation: 'Line', options: { select: ['Name'] } }] });
  });

  it('validates nested options against the target set', () => {
    const error = failure("$expand=Operations($filter=Foo eq 'x')");
    expect(error.message).toBe("Could not find a property named 'Foo' on type 'WorkOrderOperation'.");
    expect(failure('$expand=Operations($filter=Sequence eq)').message).toContain('in $filter (in $expand=Operations)');
    expect(failure('$expand=Operations($skiptoken=x)').message).toContain('$skiptoken (in $expand=Operations) is not supported');
    expect(failure('$expand=Line($top=1)').message).toContain("'Line' is single-valued");
  });

  it('rejects bad $expand input with clear messages', () => {
    expect(failure('$expand=*').message).toBe('$expand=* is not supported; name the navigation properties to expand.');
    expect(failure('$expand=Nope').message).toBe("Could not find a navigation property named 'Nope' on type 'WorkOrder'.");
    expect(failure('$expand=Operations($top=1').message).toContain("missing ')'");
    expect(failure('$expand=Operations,Operations').message).toContain('more than once');
    expect(failure('$expand=Operations(top=1)').message).toContain("expected '$option=value'");
    expect(failure('$expand=Operations/WorkOrder').code).toBe('InvalidQueryOption');
  });

  it('accepts the skip tokens it issues and rejects anything else', () => {
    expect(parse(`$skiptoken=${encodeSkipToken({ offset: 200, remaining: 50 })}`).skipToken).toEqual({ offset: 200, remaining: 50 });
    expect(parse(`$skiptoken=${encodeSkipToken({ offset: 200 })}`).skipToken).toEqual({ offset: 200, remaining: undefined });
    for (const bad of ['abc', 'MjAw', encodeSkipToken({ offset: 1 }) + '!', '']) {
      expect(failure(`$skiptoken=${bad}`).message).toContain('is not valid');
    }
  });
});
