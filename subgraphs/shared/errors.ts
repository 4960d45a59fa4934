import { GraphQLError } from 'graphql';
import { OpcenterError, OpcenterNotFoundError, OpcenterUnavailableError } from '../../opcenter/client';

/** An argument the client must fix. */
export class BadUserInputError extends GraphQLError {
  constructor(message: string, argumentName?: string) {
    super(message, { extensions: { code: 'BAD_USER_INPUT', ...(argumentName ? { argumentName } : {}) } });
  }
}

/** A subject that does not exist. */
export class NotFoundError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'NOT_FOUND' } });
  }
}

/** The caller is authenticated but may not do this. */
export class ForbiddenError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'FORBIDDEN' } });
  }
}

/** No valid identity came with the request. */
export class UnauthenticatedError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'UNAUTHENTICATED' } });
  }
}

/** Opcenter (or another upstream) did not answer; the client may retry later. */
export class UpstreamUnavailableError extends GraphQLError {
  constructor(message: string, retryAfterMs?: number) {
    super(message, { extensions: { code: 'UPSTREAM_UNAVAILABLE', ...(retryAfterMs ? { retryAfterMs } : {}) } });
  }
}

/**
 * Turns an error from the Opcenter client into one a GraphQL client can act on: never an internal URL,
 * a credential or a stack trace.
 */
export function toGraphQLError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  if (error instanceof OpcenterUnavailableError) {
    return new UpstreamUnavailableError(`Opcenter is unavailable (${error.reason}); try again shortly.`, error.retryAfterMs);
  }
  if (error instanceof OpcenterNotFoundError) return new NotFoundError('Opcenter has no such record.');
  if (error instanceof OpcenterError) {
    return new GraphQLError(`Opcenter refused the request (${error.code}).`, { extensions: { code: 'UPSTREAM_ERROR' } });
  }
  return new GraphQLError('Internal error.', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}
