import { GraphQLError } from 'graphql';
import { toClientError } from './client-errors.plugin';

describe('toClientError', () => {
  it('names the subgraph of an upstream timeout and hides the subgraph request (Rust planner shape)', () => {
    const error = toClientError(
      new GraphQLError('The operation was aborted due to timeout', {
        extensions: {
          code: 'GATEWAY_TIMEOUT',
          serviceName: 'execution',
          request: { url: 'http://10.0.0.5:4001/graphql', method: 'POST', body: '{"query":"{slow}"}' },
          http: { status: 504 },
        },
      }),
    );
    expect(error.message).toBe('The execution service did not answer in time; try again shortly.');
    expect(error.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', subgraph: 'execution', http: { status: 504 } });
  });

  it('replaces URLs in messages and drops stack traces', () => {
    const error = toClientError(
      new GraphQLError('fetch failed to http://10.0.0.5:4002/graphql', { extensions: { code: 'UPSTREAM_ERROR', stacktrace: ['at x'] } }),
    );
    expect(error.message).toBe('fetch failed to <internal URL>');
    expect(error.extensions).toEqual({ code: 'UPSTREAM_ERROR' });
  });
});
