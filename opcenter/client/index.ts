export { CircuitBreaker, type CircuitBreakerOptions, type CircuitState } from './circuit-breaker';
export {
  OpcenterBadRequestError,
  OpcenterCommandFailedError,
  OpcenterError,
  OpcenterInvalidQueryError,
  OpcenterNotFoundError,
  OpcenterUnauthorizedError,
  OpcenterUnavailableError,
  type UnavailableReason,
} from './errors';
export type { FilterLiteral, FilterObject, FilterOperators, GuidLiteral, OpcenterFilter } from './filter-translator';
export type { OpcenterRequestInfo } from './http-transport';
export { createNodeHttpExchange, type HttpExchange } from './http-exchange';
export {
  loadMapping,
  parseMapping,
  type CommandMapping,
  type ConceptMapping,
  type NavigationMapping,
  type OpcenterMapping,
  type OpcenterMappingFile,
} from './mapping';
export {
  toODataInQueries,
  toODataKey,
  toODataQuery,
  type OpcenterExpand,
  type OpcenterExpandOptions,
  type OpcenterOrderBy,
  type OpcenterQuery,
} from './odata-query-builder';
export type { OpcenterClientOptions } from './client-options';
export {
  createOpcenterClient,
  type OpcenterClient,
  type OpcenterCommandResult,
  type OpcenterEntityQuery,
  type OpcenterManyQuery,
  type OpcenterPage,
} from './opcenter-client';
export { toLogicalRow, type Row } from './row-translator';
