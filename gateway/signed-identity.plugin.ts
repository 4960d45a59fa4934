import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { IDENTITY_HEADER, signIdentity, type Identity } from '../auth';
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

/**
 * Signs the verified caller into `x-insight-identity` on every subgraph HTTP request, and into
 * `context.signedIdentity` before every subgraph subscription (the WebSocket transport sends it in
 * `connectionParams`).
 */
export function useSignedIdentity(signingSecret: string): GatewayPlugin<GatewayRequestContext> {
  const signed = new WeakMap<Identity, SignedIdentity>();
  const signedFor = (identity: Identity): SignedIdentity => {
    let entry = signed.get(identity);
    if (!entry || Date.now() - entry.at > REUSE_MS) {
      const fresh: SignedIdentity = { token: signIdentity(identity, signingSecret), at: Date.now() };
      fresh.token.then((value) => (fresh.value = value), () => undefined);
      signed.set(identity, fresh);
      entry = fresh;
    }
    return entry;
  };
  const withIdentity = <T extends { headers?: Record<string, string> }>(options: T, token: string): T => ({
    ...options,
    headers: { ...options.headers, [IDENTITY_HEADER]: token },
  });
  return {
    onFetch({ context, options, setOptions }) {
      const identity = (context as GatewayRequestContext | undefined)?.identity;
      if (!identity) return;
      const entry = signedFor(identity);
      // Once signed, the token is set without waiting a turn of the event loop.
      if (entry.value !== undefined) return void setOptions(withIdentity(options, entry.value));
      return entry.token.then((token) => setOptions(withIdentity(options, token)));
    },
    onSubgraphExecute({ executionRequest }) {
      const context = executionRequest.context as GatewayRequestContext | undefined;
      if (executionRequest.operationType !== 'subscription' || !context?.identity) return;
      return signedFor(context.identity).token.then((token) => void (context.signedIdentity = token));
    },
  };
}
