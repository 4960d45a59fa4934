import { GraphQLError } from 'graphql';
import { toClientError } from './client-errors.plugin';

describe('toClientError', () => {
  it('names the subgraph of a subgraph error and hides the subgraph request (Rust planner shape)', () => {
    const error = toClientError(
      new GraphQLError('Board not found.', {
        extensions: {
          code: 'NOT_FOUND',
          serviceName: 'execution',
          request: { url: 'http://10.0.0.5:4001/graphql', method: 'POST', body: '{"query":"{slow}"}' },
          response: { status: 200 },
        },
      }),
    );
    expect(error.message).toBe('Board not found.');
    expect(error.extensions).toEqual({ code: 'NOT_FOUND', subgraph: 'execution' });
  });

  it('replaces URLs in messages and drops stack traces', () => {
    const error = toClientError(
      new GraphQLError('fetch failed to http://10.0.0.5:4002/graphql', { extensions: { code: 'UPSTREAM_ERROR', stacktrace: ['at x'] } }),
    );
    expect(error.message).toBe('fetch failed to <internal URL>');
    expect(error.extensions).toEqual({ code: 'UPSTREAM_ERROR' });
  });
});
