import { GraphQLError } from 'graphql';

/** No valid bearer token came with the operation (HTTP 401). */
export class UnauthenticatedError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
  }
}

/** The caller is authenticated but its roles do not allow the operation (HTTP 403). */
export class ForbiddenError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
  }
}

/** An argument the client must fix, such as a page size above the maximum. */
export class BadUserInputError extends GraphQLError {
  constructor(message: string, argumentName: string) {
    super(message, { extensions: { code: 'BAD_USER_INPUT', argumentName, http: { status: 400 } } });
  }
}

/** The operation nests fields deeper than the gateway allows. */
export class QueryTooDeepError extends GraphQLError {
  constructor(depth: number, maxDepth: number) {
    super(`The operation is ${depth} fields deep; the maximum is ${maxDepth}.`, {
      extensions: { code: 'QUERY_TOO_DEEP', depth, maxDepth, http: { status: 400 } },
    });
  }
}

/** The operation's static cost is above the gateway's maximum. */
export class QueryTooComplexError extends GraphQLError {
  constructor(cost: number, maxCost: number) {
    super(`The operation's estimated cost is ${cost}; the maximum is ${maxCost}. Ask for fewer fields or smaller pages.`, {
      extensions: { code: 'QUERY_TOO_COMPLEX', cost, maxCost, http: { status: 400 } },
    });
  }
}

/** A subgraph could not be reached or answered without a GraphQL result; the client may retry later. */
export class UpstreamUnavailableError extends GraphQLError {
  constructor(subgraph: string, reason: string) {
    super(`The ${subgraph} service is unavailable (${reason}); try again shortly.`, {
      extensions: { code: 'UPSTREAM_UNAVAILABLE', subgraph },
    });
  }
}

/** A subgraph did not answer a query or mutation within the upstream timeout (HTTP 504); the client may retry. */
export class UpstreamTimeoutError extends GraphQLError {
  constructor(subgraph: string) {
    super(`The ${subgraph} service did not answer in time; try again shortly.`, {
      extensions: { code: 'UPSTREAM_UNAVAILABLE', subgraph, http: { status: 504 } },
    });
  }
}
