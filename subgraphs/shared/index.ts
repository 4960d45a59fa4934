/** What every subgraph shares: schema building, the server, connections, errors, config and batching. */
export * from './build-federated-schema';
export * from './config';
export * from './connection';
export * from './errors';
export * from './opcenter-loader';
export * from './run-subgraph';
export * from './subgraph-context';
export * from './subgraph-server';
