/** Why Opcenter could not be reached or could not answer. */
export type UnavailableReason = 'timeout' | 'network' | 'server' | 'circuit-open';

interface OpcenterErrorOptions {
  /** HTTP status of Opcenter's answer, when there was one. */
  status?: number;
  cause?: unknown;
}

/**
 * Base of every error that the Opcenter client throws. `code` is fixed per class, so callers can map
 * it (for example to a GraphQL `extensions.code`). Messages never carry tokens or credentials.
 */
export abstract class OpcenterError extends Error {
  abstract readonly code: string;
  readonly status?: number;

  constructor(message: string, options: OpcenterErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.status = options.status;
  }
}

/** Opcenter answered 404: the entity (or the entity set) does not exist. */
export class OpcenterNotFoundError extends OpcenterError {
  override readonly name = 'OpcenterNotFoundError';
  readonly code = 'OPCENTER_NOT_FOUND';
}

/** Opcenter answered 400; `opcenterCode` and `opcenterMessage` come from its OData error body. */
export class OpcenterBadRequestError extends OpcenterError {
  override readonly name = 'OpcenterBadRequestError';
  readonly code = 'OPCENTER_BAD_REQUEST';

  constructor(
    message: string,
    readonly opcenterCode: string | undefined,
    readonly opcenterMessage: string | undefined,
    options: OpcenterErrorOptions = {},
  ) {
    super(message, options);
  }
}

/** Opcenter answered 401 or 403, or refused the token request. */
export class OpcenterUnauthorizedError extends OpcenterError {
  override readonly name = 'OpcenterUnauthorizedError';
  readonly code = 'OPCENTER_UNAUTHORIZED';
}

/** Opcenter could not be reached, timed out, answered 5xx or 429, or the circuit breaker is open. */
export class OpcenterUnavailableError extends OpcenterError {
  override readonly name = 'OpcenterUnavailableError';
  readonly code = 'OPCENTER_UNAVAILABLE';
  /** How long to wait before trying again, in ms, when Opcenter (or the breaker) says so. */
  readonly retryAfterMs?: number;

  constructor(
    message: string,
    readonly reason: UnavailableReason,
    options: OpcenterErrorOptions & { retryAfterMs?: number } = {},
  ) {
    super(message, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** A command reached Opcenter and answered `Succeeded: false`. */
export class OpcenterCommandFailedError extends OpcenterError {
  override readonly name = 'OpcenterCommandFailedError';
  readonly code = 'OPCENTER_COMMAND_FAILED';

  constructor(
    readonly command: string,
    readonly opcenterCode: string | number | undefined,
    readonly opcenterMessage: string | undefined,
    options: OpcenterErrorOptions = {},
  ) {
    super(`Opcenter command ${command} failed${opcenterMessage ? `: ${opcenterMessage}` : ''}`, options);
  }
}

/**
 * The request was refused before it left the client: an unknown concept or command, a malformed
 * GUID, an unsupported filter operator, or a URL longer than `maxUrlLength`.
 */
export class OpcenterInvalidQueryError extends OpcenterError {
  override readonly name = 'OpcenterInvalidQueryError';
  readonly code = 'OPCENTER_INVALID_QUERY';
}
