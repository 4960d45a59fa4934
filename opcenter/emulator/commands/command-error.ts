/**
 * A command that was well-formed but refused by business rules: the emulator answers HTTP 200 with
 * `{"Succeeded": false, "Error": {"ErrorCode": code, "ErrorMessage": message}}`, as Opcenter does.
 */
export class CommandError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}
