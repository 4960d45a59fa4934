import 'reflect-metadata';
import { type ClassType, Directive, Field, Int, ObjectType, ArgsType } from 'type-graphql';
import { BadUserInputError } from './errors';

/** Largest `first` any connection accepts. */
export const MAX_PAGE_SIZE = 100;
/** `first` when the client gives none. */
export const DEFAULT_PAGE_SIZE = 20;

@Directive('@shareable')
@ObjectType({ description: 'Relay page information.' })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field()
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: `Page size, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item already seen.' })
  after?: string | null;
}

/** A page of a connection, ready to return from a resolver. */
export interface ConnectionPage<T> {
  edges: Array<{ cursor: string; node: T }>;
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number | null;
}

/** Offset and size asked for by `first`/`after`, validated. */
export function pageWindow(args: ConnectionArgs): { offset: number; limit: number } {
  const limit = args.first ?? DEFAULT_PAGE_SIZE;
  const after = args.after ?? undefined;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`first must be between 1 and ${MAX_PAGE_SIZE}; got ${limit}.`, 'first');
  }
  return { offset: after === undefined ? 0 : decodeCursor(after) + 1, limit };
}

/** Builds a connection page from the items at `offset`; `hasMore` says whether more follow. */
export function toConnection<T>(items: T[], offset: number, hasMore: boolean, totalCount: number | null = null): ConnectionPage<T> {
  const edges = items.map((node, i) => ({ cursor: encodeCursor(offset + i), node }));
  return {
    edges,
    nodes: items,
    pageInfo: {
      hasNextPage: hasMore,
      hasPreviousPage: offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount,
  };
}

/** Pages a list already in memory. */
export function connectionFromArray<T>(all: readonly T[], args: ConnectionArgs): ConnectionPage<T> {
  const { offset, limit } = pageWindow(args);
  return toConnection(all.slice(offset, offset + limit), offset, offset + limit < all.length, all.length);
}

/** Declares the Connection and Edge types of a node type. */
export function Connection<T extends object>(Node: ClassType<T>, name = Node.name): ClassType<ConnectionPage<T>> {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field()
    cursor!: string;

    @Field(() => Node)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => [Node])
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { nullable: true, description: 'All items, where cheap to count.' })
    totalCount!: number | null;
  }
  return ConnectionType;
}

function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new BadUserInputError('after is not a cursor this API issued.', 'after');
  return Number(match[1]);
}
