import type { Emulator } from '../../../opcenter/emulator/emulator';
import { startTestEmulator } from '../../../test/support/test-emulator';
import { buildSchema } from '../schema';
import { serveSubgraphForTest, type SubgraphUnderTest } from '../../../test/support/graphql-test-client';

describe('execution subgraph: work centers', () => {
  let emulator: Emulator;
  let subgraph: SubgraphUnderTest;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    subgraph = await serveSubgraphForTest(await buildSchema(), emulator.url);
  });

  afterAll(async () => {
    await subgraph.close();
    await emulator.close();
  });

  it('returns a work center with its parent line, children and line', async () => {
    const children = await subgraph.opcenter.listAll('equipment', { filter: { parentId: 'L1-PLACE' }, orderBy: 'id' });
    const reply = await subgraph.query<{ workCenter: Record<string, unknown> }>(`{
      workCenter(id: "L1-PLACE") { id name level equipmentType status parent { id level } children { id level parentId } line { id level } }
    }`);
    expect(reply.errors).toBeUndefined();
    expect(reply.data?.workCenter).toMatchObject({
      id: 'L1-PLACE',
      level: 'WorkCenter',
      equipmentType: 'PlacementWorkCenter',
      parent: { id: 'L1', level: 'Line' },
      line: { id: 'L1', level: 'Line' },
      children: children.map((child) => ({ id: child.id, level: 'Machine', parentId: 'L1-PLACE' })),
    });
  });

  it('lists the work centers of one level, paged in Opcenter', async () => {
    const lines = await subgraph.opcenter.listAll('equipment', { filter: { level: 'Line' }, orderBy: 'id' });
    const first = await subgraph.query<{ workCenters: { nodes: Array<{ id: string }>; totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(
      `{ workCenters(level: "Line", first: 2) { nodes { id } totalCount pageInfo { hasNextPage endCursor } } }`,
    );
    const connection = first.data!.workCenters;
    expect(connection.totalCount).toBe(lines.length);
    expect(connection.pageInfo.hasNextPage).toBe(true);
    const rest = await subgraph.query<{ workCenters: { nodes: Array<{ id: string }>; pageInfo: { hasNextPage: boolean } } }>(
      `query ($after: String) { workCenters(level: "Line", first: 100, after: $after) { nodes { id } pageInfo { hasNextPage } } }`,
      { after: connection.pageInfo.endCursor },
    );
    expect(rest.data!.workCenters.pageInfo.hasNextPage).toBe(false);
    expect([...connection.nodes, ...rest.data!.workCenters.nodes].map((node) => node.id)).toEqual(lines.map((line) => line.id));
  });

  it('resolves a batch of WorkCenter representations in one Opcenter call', async () => {
    const ids = ['L1', 'L2-PP1', 'TEST-ICT2', 'BOX-ASSY'];
    const before = emulator.requestCounts.get('Equipment') ?? 0;
    const reply = await subgraph.query<{ _entities: Array<{ id: string; name: string }> }>(
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on WorkCenter { id name } } }`,
      { representations: ids.map((id) => ({ __typename: 'WorkCenter', id })) },
    );
    expect(reply.data?._entities.map((workCenter) => workCenter.id)).toEqual(ids);
    expect((emulator.requestCounts.get('Equipment') ?? 0) - before).toBe(1);
  });
});
