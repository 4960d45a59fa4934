import type { LoadRequest } from './load';

/** A GraphQL response body. */
export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: unknown[];
}

/** Headers every GraphQL request of a benchmark sends, plus `extra`. */
export function graphqlHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...extra };
}

/** The i-th request of a load run: `query(i)` with `variables(i)`, POSTed to `url`. */
export function graphqlRequests(
  url: string,
  query: (i: number) => string,
  variables: (i: number) => Record<string, unknown>,
): (i: number) => LoadRequest {
  return (i) => ({ url, method: 'POST', body: JSON.stringify({ query: query(i), variables: variables(i) }) });
}

/**
 * Whether a 2xx GraphQL body reports errors. A substring test keeps the load generator's cost low; the
 * benchmark's queries select no field named `errors`, so only the top-level key can match.
 */
export function hasGraphQLErrors(body: string): boolean {
  return body.includes('"errors":');
}

/** Sends one GraphQL request and returns its body; throws on a non-2xx status or GraphQL errors. */
export async function postGraphQL(
  url: string,
  headers: Record<string, string>,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLBody> {
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const text = await response.text();
  if (!response.ok || hasGraphQLErrors(text)) throw new Error(`${url} answered HTTP ${response.status}: ${text.slice(0, 2000)}`);
  return JSON.parse(text) as GraphQLBody;
}
