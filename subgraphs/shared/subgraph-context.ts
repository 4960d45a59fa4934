import type { Identity } from '../../auth';
import type { OpcenterClient } from '../../opcenter/client';
import { AiInsightLoader, type AiInsights } from './ai-insights';
import { OpcenterLoader } from './opcenter-loader';

/** What every resolver of every subgraph receives. */
export interface SubgraphContext {
  /** The caller, verified from the gateway's signed header. */
  identity: Identity;
  /** The process's Opcenter client (shared across requests: it holds the token and breaker). */
  opcenter: OpcenterClient;
  /** Batched reads for this request only. */
  loader: OpcenterLoader;
  /** Batched AI field reads for this request, when the process serves AI fields. */
  ai: AiInsightLoader | undefined;
}

/** A fresh per-request context. */
export function createSubgraphContext(identity: Identity, opcenter: OpcenterClient, ai?: AiInsights): SubgraphContext {
  return { identity, opcenter, loader: new OpcenterLoader(opcenter), ai: ai ? new AiInsightLoader(ai) : undefined };
}
