import type { EdmEntitySet } from '../../model/edm';
import { tokenize } from './filter-lexer';
import { ExpressionParser, type SetResolver } from './expression-parser';
import { MAX_FILTER_LENGTH } from './filter-parser';
import type { OrderByItem } from './query-types';
import { ODataError } from './odata-error';

/**
 * Parses `$orderby`: comma-separated expressions (properties, single-valued navigation paths such
 * as `WorkOrder/NId`, or functions such as `tolower(Name)`), each optionally `asc` or `desc`.
 */
export function parseOrderBy(text: string, set: EdmEntitySet, resolveSet: SetResolver, option = '$orderby'): OrderByItem[] {
  if (text.length > MAX_FILTER_LENGTH) {
    throw ODataError.badRequest('InvalidQueryOption', `The ${option} is ${text.length} characters long; the limit is ${MAX_FILTER_LENGTH}.`);
  }
  const parser = new ExpressionParser(tokenize(text, option), set, resolveSet, option);
  const items: OrderByItem[] = [];
  do {
    const expression = parser.parseExpression();
    const direction = parser.acceptKeyword('asc', 'desc');
    items.push({ expression, descending: direction === 'desc' });
  } while (parser.accept(','));
  parser.expectEnd("'asc', 'desc', ',' or the end of the option");
  return items;
}
