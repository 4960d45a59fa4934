import { Histogram, renderLabels, renderSamples } from './prometheus';

describe('prometheus text', () => {
  it('escapes label values', () => {
    expect(renderLabels({ a: 'x"y\\z\nw' })).toBe('{a="x\\"y\\\\z\\nw"}');
    expect(renderLabels({})).toBe('');
  });

  it('renders counters with help and type', () => {
    expect(renderSamples('jobs_total', 'counter', 'Jobs.', [[{ queue: 'q' }, 3]])).toEqual(['# HELP jobs_total Jobs.', '# TYPE jobs_total counter', 'jobs_total{queue="q"} 3']);
  });

  it('renders cumulative buckets, sum and count per label set', () => {
    const h = new Histogram('latency_seconds', 'Latency.', [0.1, 1]);
    h.observe({ op: 'a' }, 0.05);
    h.observe({ op: 'a' }, 0.5);
    h.observe({ op: 'a' }, 5);
    h.observe({ op: 'b' }, 0.1);
    expect(h.countOf({ op: 'a' })).toBe(3);
    expect(h.render()).toEqual([
      '# HELP latency_seconds Latency.',
      '# TYPE latency_seconds histogram',
      'latency_seconds_bucket{op="a",le="0.1"} 1',
      'latency_seconds_bucket{op="a",le="1"} 2',
      'latency_seconds_bucket{op="a",le="+Inf"} 3',
      'latency_seconds_sum{op="a"} 5.55',
      'latency_seconds_count{op="a"} 3',
      'latency_seconds_bucket{op="b",le="0.1"} 1',
      'latency_seconds_bucket{op="b",le="1"} 1',
      'latency_seconds_bucket{op="b",le="+Inf"} 1',
      'latency_seconds_sum{op="b"} 0.1',
      'latency_seconds_count{op="b"} 1',
    ]);
  });
});
