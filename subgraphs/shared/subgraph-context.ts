import type { Identity } from '../../auth';
import type { OpcenterClient } from '../../opcenter/client';
import { OpcenterLoader } from './opcenter-loader';

/** What every resolver of every subgraph receives. */
export interface SubgraphContext {
  /** The caller, verified from the gateway's signed header. */
  identity: Identity;
  /** The process's Opcenter client (shared across requests: it holds the token and breaker). */
  opcenter: OpcenterClient;
  /** Batched reads for this request only. */
  loader: OpcenterLoader;
}

/** A fresh per-request context. */
export function createSubgraphContext(identity: Identity, opcenter: OpcenterClient): SubgraphContext {
  return { identity, opcenter, loader: new OpcenterLoader(opcenter) };
}
