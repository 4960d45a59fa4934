import { toGraphQLError } from './errors';

/** Runs an Opcenter read; its failures reach the client as coded GraphQL errors (never an internal URL). */
export async function readOpcenter<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw toGraphQLError(error);
  }
}
