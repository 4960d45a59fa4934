import { buildSchema, getOperationAST, parse } from 'graphql';
import { checkOperationLimits, measureOperation } from './operation-limits';

const schema = buildSchema(`
  type Query { orders(first: Int): OrderConnection!  order(id: ID!): Order  tags: [String!]! }
  type OrderConnection { nodes: [Order!]!  totalCount: Int! }
  type Order { id: ID!  boards: [Board!]!  parent: Order }
  type Board { serial: ID! }
`);
const LIMITS = { maxDepth: 5, maxCost: 1000, maxPageSize: 100, defaultPageSize: 20 };

function measure(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = getOperationAST(document)!;
  const fragments = Object.fromEntries(
    document.definitions.flatMap((d) => (d.kind === 'FragmentDefinition' ? [[d.name.value, d]] : [])),
  );
  return {
    measure: measureOperation(schema, operation, fragments, variables, LIMITS),
    error: checkOperationLimits(schema, operation, fragments, variables, LIMITS),
  };
}

describe('operation limits', () => {
  it('costs each field 1, multiplied by the page size of the connections it is inside', () => {
    // orders 1 + page of 10 × (nodes 1 + id 1 + boards 1 + 20 boards × serial 1) + totalCount 10
    expect(measure('{ orders(first: 10) { totalCount nodes { id boards { serial } } } }').measure.cost).toBe(1 + 10 + 10 * (1 + 1 + 1 + 20));
  });

  it('assumes the default page size when first is absent, and reads first from variables', () => {
    expect(measure('{ orders { nodes { id } } }').measure.cost).toBe(1 + 20 * 2);
    expect(measure('query ($n: Int) { orders(first: $n) { nodes { id } } }', { n: 5 }).measure.cost).toBe(1 + 5 * 2);
  });

  it('measures depth through fragments and ignores introspection fields', () => {
    const { measure: m } = measure('{ order(id: "1") { ...F __typename } } fragment F on Order { parent { ... on Order { id } } }');
    expect(m.depth).toBe(3);
    expect(m.cost).toBe(3);
  });

  it('names the field whose first is above the maximum', () => {
    expect(measure('{ orders(first: 500) { totalCount } }').error?.message).toBe('"first" on Query.orders is 500; the maximum page size is 100.');
  });

  it('reports depth and cost errors with their codes', () => {
    expect(measure('{ order(id: "1") { parent { parent { parent { parent { parent { id } } } } } } }').error?.extensions.code).toBe('QUERY_TOO_DEEP');
    expect(measure('{ orders(first: 100) { nodes { boards { serial } } } }').error?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: 1 + 100 + 100 + 100 * 20, maxCost: 1000 });
  });
});
