import type { Identity } from '../auth';

/** What the gateway adds to each operation's context. */
export interface GatewayRequestContext {
  /** The verified caller (set by the authentication plugin, or by the WebSocket handshake). */
  identity?: Identity;
}
