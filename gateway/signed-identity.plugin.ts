import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { signIdentity, type Identity } from '../auth';
import type { GatewayRequestContext } from './request-context';

/**
 * How long one signed identity is reused, in ms. Signed identities live 60 s (auth/gateway-identity.ts);
 * a WebSocket client's identity lasts as long as its connection, so it is signed again well before then.
 */
const REUSE_MS = 30_000;

/** One identity's signed token: `value` once signing has finished. */
interface SignedIdentity {
  token: Promise<string>;
  value?: string;
  /** When signing started, in ms since the epoch. */
  at: number;
}

/** Signs a verified caller for the subgraphs' `x-insight-identity`: the token, or a promise of it while it is first signed. */
export type IdentitySigner = (identity: Identity) => string | Promise<string>;

/** An identity signer that signs each caller once and reuses the token for {@link REUSE_MS}. */
export function createIdentitySigner(signingSecret: string): IdentitySigner {
  const signed = new WeakMap<Identity, SignedIdentity>();
  return (identity) => {
    let entry = signed.get(identity);
    if (!entry || Date.now() - entry.at > REUSE_MS) {
      const fresh: SignedIdentity = { token: signIdentity(identity, signingSecret), at: Date.now() };
      fresh.token.then((value) => (fresh.value = value), () => undefined);
      signed.set(identity, fresh);
      entry = fresh;
    }
    // Once signed, the token is given without waiting a turn of the event loop.
    return entry.value ?? entry.token;
  };
}

/**
 * Signs the verified caller into `context.signedIdentity` before every subgraph subscription: the
 * WebSocket transport sends it in `connectionParams`. (HTTP requests get it from the subgraph
 * transport, `createSubgraphHttpTransport`.)
 */
export function useSignedIdentity(sign: IdentitySigner): GatewayPlugin<GatewayRequestContext> {
  return {
    onSubgraphExecute({ executionRequest }) {
      const context = executionRequest.context as GatewayRequestContext | undefined;
      if (executionRequest.operationType !== 'subscription' || !context?.identity) return;
      return Promise.resolve(sign(context.identity)).then((token) => void (context.signedIdentity = token));
    },
  };
}
