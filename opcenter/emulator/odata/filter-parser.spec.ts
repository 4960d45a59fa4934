import type { EdmEntitySet } from '../../model/edm';
import { MaterialTrackingUnit, SpiInspection, SpiPadMeasurement, WorkOrder } from '../../model/entity-sets';
import type { ComparisonNode, LogicalNode } from './filter-ast';
import { parseFilter } from './filter-parser';
import { ODataError } from './odata-error';
import { fixtureGuid, resolveFixtureSet } from './odata-fixture';

const parse = (text: string, set: EdmEntitySet = WorkOrder) => parseFilter(text, set, resolveFixtureSet);

function failure(text: string, set: EdmEntitySet = WorkOrder): ODataError {
  try {
    parse(text, set);
  } catch (error) {
    expect(error).toBeInstanceOf(ODataError);
    return error as ODataError;
  }
  throw new Error(`expected '${text}' to fail`);
}

describe('parseFilter', () => {
  it('parses a comparison into a typed property and literal', () => {
    expect(parse("Status eq 'Active'")).toEqual({
      kind: 'comparison',
      operator: 'eq',
      left: { kind: 'property', variable: null, navigations: [], name: 'Status', type: 'Edm.String', path: 'Status' },
      right: { kind: 'literal', type: 'Edm.String', value: 'Active' },
    });
  });

  it.each(['eq', 'ne', 'gt', 'ge', 'lt', 'le'])('accepts the %s operator', (operator) => {
    expect(parse(`PlannedQuantity ${operator} 5`)).toMatchObject({ kind: 'comparison', operator });
  });

  it('binds and tighter than or', () => {
    const node = parse("Status eq 'A' or Status eq 'B' and Priority eq 1");
    expect(node.kind).toBe('or');
    const operands = (node as LogicalNode).operands;
    expect(operands.map((operand) => operand.kind)).toEqual(['comparison', 'and']);
  });

  it('lets parentheses override precedence', () => {
    const node = parse("(Status eq 'A' or Status eq 'B') and Priority eq 1");
    expect(node).toMatchObject({ kind: 'and', operands: [{ kind: 'or' }, { kind: 'comparison' }] });
  });

  it('collects a chain of and into one node', () => {
    expect(parse('Priority eq 1 and Priority eq 2 and Priority eq 3')).toMatchObject({ kind: 'and', operands: [{}, {}, {}] });
  });

  it('applies not to the comparison that follows it', () => {
    expect(parse("not Status eq 'A' and Priority eq 1")).toMatchObject({ kind: 'and', operands: [{ kind: 'not', operand: { kind: 'comparison' } }, {}] });
    expect(parse("not contains(Name, 'x')")).toMatchObject({ kind: 'not', operand: { kind: 'function', name: 'contains' } });
  });

  it('decodes doubled quotes and keeps any character inside a string literal', () => {
    expect(parse(`Customer eq 'O''Brien 10% "x"'`)).toMatchObject({ right: { value: `O'Brien 10% "x"` } });
    expect(parse("Customer eq ''') or true or ('''")).toMatchObject({ right: { value: "') or true or ('" } });
    expect(parse("Customer eq ') or true or ('")).toMatchObject({ kind: 'comparison', right: { value: ') or true or (' } });
  });

  it('reads integers, decimals, exponents and negative numbers', () => {
    expect(parse('Priority eq -3')).toMatchObject({ right: { type: 'Edm.Int32', value: -3 } });
    expect(parse('TargetYield gt 0.95')).toMatchObject({ right: { type: 'Edm.Double', value: 0.95 } });
    expect(parse('TargetYield lt 1.5e-1')).toMatchObject({ right: { type: 'Edm.Double', value: 0.15 } });
    expect(parse('PlannedQuantity lt 9999999999')).toMatchObject({ right: { type: 'Edm.Int64' } });
  });

  it('reads true, false and null', () => {
    expect(parse('IsOnHold eq true', MaterialTrackingUnit)).toMatchObject({ right: { type: 'Edm.Boolean', value: true } });
    expect(parse('IsOnHold ne false', MaterialTrackingUnit)).toMatchObject({ right: { value: false } });
    expect(parse('ActualEndTime eq null')).toMatchObject({ right: { type: null, value: null } });
  });

  it('accepts a bare Boolean property as a filter', () => {
    expect(parse('IsOnHold', MaterialTrackingUnit)).toMatchObject({ kind: 'property', name: 'IsOnHold' });
    expect(parse('not IsOnHold', MaterialTrackingUnit)).toMatchObject({ kind: 'not' });
  });

  it('reads unquoted GUID literals, lower-cased', () => {
    const id = fixtureGuid(0xabc).toUpperCase();
    expect(parse(`Id eq ${id}`)).toMatchObject({ right: { type: 'Edm.Guid', value: id.toLowerCase() } });
    expect(parse('Id eq deadbeef-0000-4000-8000-000000000001')).toMatchObject({ right: { type: 'Edm.Guid' } });
  });

  it('accepts a quoted string that is a valid GUID for a GUID property', () => {
    expect(parse(`Id eq '${fixtureGuid(7)}'`)).toMatchObject({ right: { type: 'Edm.Guid', value: fixtureGuid(7) } });
    expect(parse(`'${fixtureGuid(7)}' eq Id`)).toMatchObject({ left: { type: 'Edm.Guid' } });
  });

  it('reads DateTimeOffset literals in UTC, with an offset or with fractional seconds', () => {
    expect(parse('PlannedStartTime ge 2026-11-02T06:00:00Z')).toMatchObject({ right: { type: 'Edm.DateTimeOffset', value: '2026-11-02T06:00:00Z' } });
    expect(parse('PlannedStartTime ge 2026-11-02T06:00:00+01:00')).toMatchObject({ right: { value: '2026-11-02T06:00:00+01:00' } });
    expect(parse('PlannedStartTime ge 2026-11-02T06:00:00.1234567Z')).toMatchObject({ right: { type: 'Edm.DateTimeOffset' } });
    expect(parse('PlannedStartTime ge 2026-11-02T06:00:00 01:00')).toMatchObject({ right: { value: '2026-11-02T06:00:00+01:00' } });
  });

  it('parses in lists and checks each value against the property', () => {
    expect(parse("Status in ('Active', 'Released')")).toMatchObject({ kind: 'in', values: [{ value: 'Active' }, { value: 'Released' }] });
    expect(failure("Status in ('Active', 5)").code).toBe('TypeMismatch');
  });

  it.each([
    ["contains(Name, 'x')", 'Edm.Boolean'],
    ["startswith(Name, 'x')", 'Edm.Boolean'],
    ["endswith(Name, 'x')", 'Edm.Boolean'],
    ["tolower(Name) eq 'x'", 'Edm.String'],
    ["toupper(Name) eq 'X'", 'Edm.String'],
    ["trim(Name) eq 'x'", 'Edm.String'],
    ['length(Name) gt 3', 'Edm.Int32'],
    ["indexof(Name, 'x') ge 0", 'Edm.Int32'],
    ['year(PlannedStartTime) eq 2026', 'Edm.Int32'],
    ['month(PlannedStartTime) eq 11', 'Edm.Int32'],
    ['day(PlannedStartTime) eq 2', 'Edm.Int32'],
    ['hour(PlannedStartTime) eq 6', 'Edm.Int32'],
  ])('type-checks %s', (text, type) => {
    const node = parse(text);
    const call = node.kind === 'function' ? node : (node as ComparisonNode).left;
    expect(call).toMatchObject({ kind: 'function', type });
  });

  it('follows single-valued navigations one and two levels deep', () => {
    expect(parse("WorkOrder/NId eq 'WO-1'", MaterialTrackingUnit)).toMatchObject({
      left: { kind: 'property', name: 'NId', path: 'WorkOrder/NId', navigations: [{ name: 'WorkOrder' }] },
    });
    expect(parse("MaterialTrackingUnit/WorkOrder/NId eq 'WO-1'", SpiInspection)).toMatchObject({
      left: { navigations: [{ name: 'MaterialTrackingUnit' }, { name: 'WorkOrder' }], name: 'NId' },
    });
  });

  it('parses any and all lambdas over collection navigations', () => {
    expect(parse('Pads/any(p: p/VolumePct lt 50)', SpiInspection)).toMatchObject({
      kind: 'lambda',
      quantifier: 'any',
      parameter: 'p',
      collection: { name: 'Pads' },
      predicate: { left: { variable: 'p', name: 'VolumePct' } },
    });
    expect(parse("Operations/all(o: o/Status eq 'Completed' and Priority gt 0)")).toMatchObject({
      quantifier: 'all',
      predicate: { operands: [{ left: { variable: 'o' } }, { left: { variable: null, name: 'Priority' } }] },
    });
    expect(parse('Operations/any()')).toMatchObject({ kind: 'lambda', parameter: null, predicate: null });
    expect(parse("MaterialTrackingUnit/SpiInspections/any(s: s/Pads/any(p: p/Result eq 'Fail'))", SpiInspection)).toMatchObject({
      navigations: [{ name: 'MaterialTrackingUnit' }],
      predicate: { kind: 'lambda', variable: 's' },
    });
  });

  it('names the unknown property and its type', () => {
    const error = failure("Foo eq 'x'");
    expect(error.status).toBe(400);
    expect(error.code).toBe('UnknownProperty');
    expect(error.message).toBe("Could not find a property named 'Foo' on type 'WorkOrder'.");
    expect(failure("WorkOrder/Foo eq 'x'", MaterialTrackingUnit).message).toBe("Could not find a property named 'Foo' on type 'WorkOrder'.");
    expect(failure('Pads/any(p: p/Volume lt 5)', SpiInspection).message).toBe(
      "Could not find a property named 'Volume' on type 'SpiPadMeasurement'.",
    );
  });

  it('rejects comparing a string property with a number, naming the property', () => {
    const error = failure('Status eq 5');
    expect(error.code).toBe('TypeMismatch');
    expect(error.message).toBe("Property 'Status' (Edm.String) cannot be compared with the Edm.Int32 value 5.");
    expect(error.target).toBe('Status');
  });

  it('rejects comparing a GUID property with a string that is not a GUID', () => {
    const error = failure("Id eq 'WO-1'");
    expect(error.code).toBe('TypeMismatch');
    expect(error.message).toBe("Property 'Id' (Edm.Guid) cannot be compared with the Edm.String value 'WO-1': 'WO-1' is not a GUID.");
  });

  it('rejects other type mismatches', () => {
    expect(failure("PlannedQuantity gt '5'").code).toBe('TypeMismatch');
    expect(failure("PlannedStartTime gt '2026-11-02'").code).toBe('TypeMismatch');
    expect(failure('IsOnHold eq 1', MaterialTrackingUnit).code).toBe('TypeMismatch');
    expect(failure('contains(PlannedQuantity, 5)').message).toContain("property 'PlannedQuantity'");
    expect(failure('year(Name) eq 2026').code).toBe('TypeMismatch');
    expect(failure("Name and Status eq 'x'").code).toBe('TypeMismatch');
    expect(failure('Name').message).toContain('must be a Boolean expression');
  });

  it('rejects navigations used as values or collections without a lambda', () => {
    expect(failure("WorkOrder eq 'x'", MaterialTrackingUnit).message).toContain("'WorkOrder/Id'");
    expect(failure("Operations/NId eq 'x'").message).toContain('is a collection');
  });

  it('reports syntax errors with their position', () => {
    expect(failure("Status eq 'A' and Name eq").message).toBe("Syntax error at position 25 in $filter: expected a literal after 'eq'.");
    expect(failure("Status eq 'A").message).toBe('Syntax error at position 10 in $filter: unterminated string literal.');
    expect(failure("Status eq 'A' Name").message).toContain("position 14 in $filter: unexpected 'Name'");
    expect(failure("(Status eq 'A'").message).toContain("position 14 in $filter: expected ')'");
    expect(failure("Status # 'A'").message).toContain("position 7 in $filter: unexpected character '#'");
    expect(failure("foo(Name) eq 'x'").message).toContain("unknown function 'foo'");
    expect(failure("contains(Name) eq 'x'").message).toContain('takes 2 argument(s), got 1');
    expect(failure('Status in ()').message).toContain("expected a literal in the 'in' list");
    expect(failure("Status eq 'A' and").message).toBe("Syntax error at position 17 in $filter: expected an expression after 'and'.");
    expect(failure('').code).toBe('InvalidFilter');
    expect(failure('Priority eq 12abc').message).toContain("'12a' is not a valid number");
  });

  it('rejects a $filter longer than 8000 characters', () => {
    const error = failure(`Name eq '${'x'.repeat(8000)}'`);
    expect(error.code).toBe('InvalidFilter');
    expect(error.message).toContain('the limit is 8000');
  });

  it('rejects nesting deeper than 50 levels', () => {
    expect(() => parse(`${'('.repeat(50)}Priority eq 1${')'.repeat(50)}`)).not.toThrow();
    const error = failure(`${'('.repeat(51)}Priority eq 1${')'.repeat(51)}`);
    expect(error.message).toContain('nested deeper than 50 levels');
    expect(failure(`${'not '.repeat(60)}IsOnHold`, MaterialTrackingUnit).message).toContain('nested deeper than 50');
  });

  it('fails fast on long hostile inputs', () => {
    const started = Date.now();
    for (const text of ["'".repeat(7999), `${'Name eq '.repeat(900)}`, `${'0'.repeat(7000)}-`, `Id eq ${'a'.repeat(7000)}`]) {
      expect(() => parse(text)).toThrow(ODataError);
    }
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('parses a partition filter on a generated set', () => {
    expect(parse(`SpiInspectionId eq ${fixtureGuid(400)}`, SpiPadMeasurement)).toMatchObject({ kind: 'comparison' });
  });
});
