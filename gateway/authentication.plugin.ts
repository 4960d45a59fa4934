import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { getOperationAST, type DocumentNode } from 'graphql';
import { ForbiddenError } from './errors';
import type { GatewayRequestContext } from './request-context';
import type { TokenVerifier } from './token-verifier';

/**
 * Every operation needs a verified bearer token (HTTP `Authorization`, or the identity the WebSocket
 * handshake verified); queries and subscriptions need the `read` scope, mutations a `write:*` scope.
 * Which write scope a mutation needs is the owning subgraph's decision: it receives the scopes.
 */
export function useAuthentication(verifyToken: TokenVerifier): GatewayPlugin<GatewayRequestContext> {
  return {
    async onParams({ request, context, setResult }) {
      const ctx = context as GatewayRequestContext;
      if (ctx.identity) return;
      try {
        ctx.identity = await verifyToken(request?.headers.get('authorization') ?? undefined);
      } catch (error) {
        setResult({ errors: [error as Error as never] });
      }
    },
    onExecute({ args, setResultAndStopExecution }) {
      const denied = checkScopes(args.contextValue as GatewayRequestContext, args.document, args.operationName);
      if (denied) setResultAndStopExecution({ errors: [denied] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const denied = checkScopes(args.contextValue as GatewayRequestContext, args.document, args.operationName);
      if (denied) setResultAndStopExecution({ errors: [denied] });
    },
  };
}

function checkScopes(context: GatewayRequestContext, document: DocumentNode, operationName?: string | null): ForbiddenError | undefined {
  const scopes = context.identity?.scopes ?? [];
  const type = getOperationAST(document, operationName)?.operation;
  if (type === 'mutation') {
    return scopes.some((scope) => scope.startsWith('write:'))
      ? undefined
      : new ForbiddenError('Your roles allow no changes: mutations need a role with a write scope.');
  }
  return scopes.includes('read') ? undefined : new ForbiddenError('Your roles do not allow reading.');
}
