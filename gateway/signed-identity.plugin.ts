import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { IDENTITY_HEADER, signIdentity, type Identity } from '../auth';
import type { GatewayRequestContext } from './request-context';

/**
 * How long one signed identity is reused, in ms. Signed identities live 60 s (auth/gateway-identity.ts);
 * a WebSocket client's identity lasts as long as its connection, so it is signed again well before then.
 */
const REUSE_MS = 30_000;

/**
 * Signs the verified caller into `x-insight-identity` on every subgraph HTTP request, and into
 * `context.signedIdentity` before every subgraph subscription (the WebSocket transport sends it in
 * `connectionParams`).
 */
export function useSignedIdentity(signingSecret: string): GatewayPlugin<GatewayRequestContext> {
  const signed = new WeakMap<Identity, { token: Promise<string>; at: number }>();
  const tokenFor = (identity: Identity): Promise<string> => {
    let entry = signed.get(identity);
    if (!entry || Date.now() - entry.at > REUSE_MS) {
      entry = { token: signIdentity(identity, signingSecret), at: Date.now() };
      signed.set(identity, entry);
    }
    return entry.token;
  };
  return {
    async onFetch({ context, options, setOptions }) {
      const identity = (context as GatewayRequestContext | undefined)?.identity;
      if (!identity) return;
      const headers = new Headers(options.headers as HeadersInit | undefined);
      headers.set(IDENTITY_HEADER, await tokenFor(identity));
      setOptions({ ...options, headers: Object.fromEntries(headers) });
    },
    async onSubgraphExecute({ executionRequest }) {
      const context = executionRequest.context as GatewayRequestContext | undefined;
      if (executionRequest.operationType !== 'subscription' || !context?.identity) return;
      context.signedIdentity = await tokenFor(context.identity);
    },
  };
}
