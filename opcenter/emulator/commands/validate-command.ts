import type { CommandDefinition } from '../../model/commands';
import { ODataError } from '../odata/odata-error';

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * Checks a command body `{"command": {...}}` against the command's parameters and returns them.
 * Throws a 400 ODataError naming the first parameter that is missing, unknown or of the wrong type.
 */
export function validateCommandBody(definition: CommandDefinition, body: unknown): Record<string, unknown> {
  if (!isObject(body) || !isObject(body.command)) {
    throw new ODataError(400, 'BadRequest', `The body of ${definition.name} must be {"command": {...parameters}}.`);
  }
  const params = body.command;
  for (const name of Object.keys(params)) {
    if (!(name in definition.parameters)) {
      const known = Object.keys(definition.parameters).join(', ');
      throw new ODataError(400, 'UnknownParameter', `${definition.name} has no parameter '${name}'; it takes: ${known}.`);
    }
  }
  const result: Record<string, unknown> = {};
  for (const [name, parameter] of Object.entries(definition.parameters)) {
    const value = params[name];
    if (value === undefined || value === null) {
      if (parameter.required) {
        throw new ODataError(400, 'MissingParameter', `${definition.name} needs the parameter '${name}' (${parameter.type}).`);
      }
      continue;
    }
    if (!matchesType(parameter.type, value)) {
      throw new ODataError(
        400,
        'TypeMismatch',
        `Parameter '${name}' of ${definition.name} must be ${parameter.type}; got ${JSON.stringify(value).slice(0, 60)}.`,
      );
    }
    if (parameter.oneOf && !parameter.oneOf.includes(value as string)) {
      throw new ODataError(
        400,
        'InvalidValue',
        `Parameter '${name}' of ${definition.name} must be one of ${parameter.oneOf.join(', ')}; got '${String(value)}'.`,
      );
    }
    if (parameter.required && typeof value === 'string' && value.trim() === '') {
      throw new ODataError(400, 'MissingParameter', `Parameter '${name}' of ${definition.name} must not be empty.`);
    }
    result[name] = value;
  }
  return result;
}

function matchesType(type: string, value: unknown): boolean {
  switch (type) {
    case 'Edm.String':
      return typeof value === 'string' && value.length <= 100_000;
    case 'Edm.Guid':
      return typeof value === 'string' && GUID.test(value);
    case 'Edm.Boolean':
      return typeof value === 'boolean';
    case 'Edm.Int32':
    case 'Edm.Int64':
      return typeof value === 'number' && Number.isInteger(value);
    case 'Edm.Double':
      return typeof value === 'number' && Number.isFinite(value);
    case 'Edm.DateTimeOffset':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value));
    default:
      return false;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
