/** The JSON error body OData v4 services answer with. */
export interface ODataErrorBody {
  error: { code: string; message: string; target?: string };
}

/**
 * An error a client caused or can act on: `status` is the HTTP status, `code` a short fixed string
 * (`BadRequest`, `InvalidFilter`, `UnknownProperty`, `TypeMismatch`, `InvalidQueryOption`,
 * `NotFound`, `PartitionRequired`) and `message` says exactly what is wrong and where.
 */
export class ODataError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly target?: string,
  ) {
    super(message);
    this.name = 'ODataError';
  }

  /** A 400 Bad Request with this code and message. */
  static badRequest(code: string, message: string, target?: string): ODataError {
    return new ODataError(400, code, message, target);
  }

  toBody(): ODataErrorBody {
    const error: ODataErrorBody['error'] = { code: this.code, message: this.message };
    if (this.target !== undefined) error.target = this.target;
    return { error };
  }
}
