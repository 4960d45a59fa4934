/** What every subgraph shares: schema building, the server, connections, errors, config and batching. */
export * from './build-federated-schema';
export * from './config';
export * from './connection';
export * from './errors';
export * from './load-page';
export * from './opcenter-loader';
export * from './read-opcenter';
export * from './row-values';
export * from './run-subgraph';
export * from './slow-consumer-limit';
export * from './subgraph-context';
export * from './subgraph-server';
export * from './to-date';
export * from './without-nulls';
export * from './ai-insights';
export * from './ai-field-status';
export * from './ai-field.type';
