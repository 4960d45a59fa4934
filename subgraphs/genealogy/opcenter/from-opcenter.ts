import { toGraphQLError } from '../../shared';

/** Runs an Opcenter read and turns any failure into an error a GraphQL client can act on. */
export async function fromOpcenter<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw toGraphQLError(error);
  }
}
