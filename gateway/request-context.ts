import type { Identity } from '../auth';

/** What the gateway adds to each operation's context. */
export interface GatewayRequestContext {
  /** The verified caller (set by the authentication plugin, or by the WebSocket handshake). */
  identity?: Identity;
  /** The caller signed for subgraphs; set before subgraph subscriptions, whose `connectionParams` carry it. */
  signedIdentity?: string;
}
