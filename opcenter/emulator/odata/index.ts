export { ODataError, type ODataErrorBody } from './odata-error';
export type {
  ComparisonOperator,
  FilterFunctionName,
  FilterNode,
  LiteralNode,
  PropertyNode,
  ComparisonNode,
  LogicalNode,
  NotNode,
  InNode,
  FunctionNode,
  LambdaNode,
  NavigationStep,
} from './filter-ast';
export { typeOfNode } from './filter-ast';
export type { SetResolver } from './expression-parser';
export { parseFilter, MAX_FILTER_LENGTH } from './filter-parser';
export { parseOrderBy } from './orderby-parser';
export { compileFilter, compileValue, evaluateFilter, type RowPredicate, type RowValue } from './filter-evaluator';
export type { QueryOptions, ExpandItem, OrderByItem, SkipToken } from './query-types';
export { parseQueryOptions, MAX_EXPAND_DEPTH } from './query-options';
export { encodeSkipToken, decodeSkipToken } from './skip-token';
export { executeCollection, executeEntity, executeNavigation, type CollectionResult, type QueryLimits } from './query-executor';
export { buildMetadataXml } from './metadata';
