/** The identity contract between the gateway and the subgraphs. */
export * from './roles';
export * from './gateway-identity';
export * from './dev-issuer';
