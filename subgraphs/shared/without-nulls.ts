import type { ConnectionArgs } from './connection';

/**
 * Connection arguments with explicit nulls dropped: clients send `after: null` for the first page,
 * and `pageWindow` treats only an absent `after` as "from the start".
 */
export function withoutNulls(args: ConnectionArgs): ConnectionArgs {
  return { ...(args.first == null ? {} : { first: args.first }), ...(args.after == null ? {} : { after: args.after }) };
}
