/** Which subgraphs answer their `/healthz`, checked in parallel. */
export async function findUnreadySubgraphs(subgraphs: Record<string, string>, timeoutMs = 2000): Promise<string[]> {
  const checks = Object.entries(subgraphs).map(async ([name, graphqlUrl]) => ((await answers(healthUrlOf(graphqlUrl), timeoutMs)) ? undefined : name));
  return (await Promise.all(checks)).filter((name): name is string => name !== undefined);
}

/** `/healthz` beside a subgraph's GraphQL path. */
export function healthUrlOf(graphqlUrl: string): string {
  return new URL('/healthz', graphqlUrl).toString();
}

async function answers(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}
