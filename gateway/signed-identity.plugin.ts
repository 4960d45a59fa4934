import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { IDENTITY_HEADER, signIdentity, type Identity } from '../auth';
import type { GatewayRequestContext } from './request-context';

/** Signs the verified caller into `x-insight-identity` on every subgraph request (once per operation). */
export function useSignedIdentity(signingSecret: string): GatewayPlugin<GatewayRequestContext> {
  const signed = new WeakMap<Identity, Promise<string>>();
  return {
    async onFetch({ context, options, setOptions }) {
      const identity = (context as GatewayRequestContext).identity;
      if (!identity) return;
      let token = signed.get(identity);
      if (!token) {
        token = signIdentity(identity, signingSecret);
        signed.set(identity, token);
      }
      const headers = new Headers(options.headers as HeadersInit | undefined);
      headers.set(IDENTITY_HEADER, await token);
      setOptions({ ...options, headers: Object.fromEntries(headers) });
    },
  };
}
