import type { EdmEntitySet } from '../../model/edm';
import type { FilterNode } from './filter-ast';
import { tokenize } from './filter-lexer';
import { requireBoolean } from './filter-types';
import { ExpressionParser, type SetResolver } from './expression-parser';
import { ODataError } from './odata-error';

/** The longest `$filter` (and `$orderby`) text accepted, in characters. */
export const MAX_FILTER_LENGTH = 8000;

/**
 * Parses a `$filter` into a typed AST checked against `set` (property names, navigation paths,
 * literal types). `option` names the option in messages (`$filter` unless nested in `$expand`).
 * Throws only ODataError (400) for bad input.
 */
export function parseFilter(text: string, set: EdmEntitySet, resolveSet: SetResolver, option = '$filter'): FilterNode {
  if (text.length > MAX_FILTER_LENGTH) {
    throw ODataError.badRequest('InvalidFilter', `The ${option} is ${text.length} characters long; the limit is ${MAX_FILTER_LENGTH}.`);
  }
  const parser = new ExpressionParser(tokenize(text, option), set, resolveSet, option);
  const node = parser.parseExpression();
  parser.expectEnd("'and', 'or' or the end of the expression");
  requireBoolean(node, `The ${option}`);
  return node;
}
