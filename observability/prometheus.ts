/**
 * Prometheus text exposition (format 0.0.4) without a client library: counters, gauges and
 * histograms with labels, rendered by the processes' own `/metrics` handlers (gateway, workers,
 * ingest). prom-client is not a dependency; this is the small part of it the project needs.
 */

/** Label names to values; values are escaped when rendered. */
export type Labels = Readonly<Record<string, string>>;

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** `{a="1",b="2"}`, or '' without labels. */
export function renderLabels(labels: Labels): string {
  const parts = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabel(value)}"`);
  return parts.length > 0 ? `{${parts.join(',')}}` : '';
}

/** The `# HELP` and `# TYPE` lines and one sample per label set, for a counter or a gauge. */
export function renderSamples(name: string, type: 'counter' | 'gauge', help: string, samples: readonly (readonly [Labels, number])[]): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples.map(([labels, value]) => `${name}${renderLabels(labels)} ${value}`)];
}

interface HistogramSeries {
  readonly labels: Labels;
  /** Non-cumulative counts per bucket (the last is +Inf). */
  readonly counts: number[];
  sum: number;
  count: number;
}

/** A histogram with fixed upper bounds, one series per label set. */
export class Histogram {
  private readonly series = new Map<string, HistogramSeries>();

  constructor(
    readonly name: string,
    readonly help: string,
    /** Upper bounds, ascending; +Inf is added. */
    readonly buckets: readonly number[],
  ) {}

  /** Records one observation. */
  observe(labels: Labels, value: number): void {
    const key = renderLabels(labels);
    let series = this.series.get(key);
    if (!series) {
      series = { labels, counts: new Array<number>(this.buckets.length + 1).fill(0), sum: 0, count: 0 };
      this.series.set(key, series);
    }
    let bucket = this.buckets.findIndex((bound) => value <= bound);
    if (bucket < 0) bucket = this.buckets.length;
    series.counts[bucket] = (series.counts[bucket] as number) + 1;
    series.sum += value;
    series.count += 1;
  }

  /** Observations so far of one label set. */
  countOf(labels: Labels): number {
    return this.series.get(renderLabels(labels))?.count ?? 0;
  }

  /** The exposition lines: cumulative buckets, sum and count per label set. */
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const series of this.series.values()) {
      let cumulative = 0;
      this.buckets.forEach((bound, i) => {
        cumulative += series.counts[i] as number;
        lines.push(`${this.name}_bucket${renderLabels({ ...series.labels, le: String(bound) })} ${cumulative}`);
      });
      lines.push(`${this.name}_bucket${renderLabels({ ...series.labels, le: '+Inf' })} ${series.count}`);
      lines.push(`${this.name}_sum${renderLabels(series.labels)} ${series.sum}`);
      lines.push(`${this.name}_count${renderLabels(series.labels)} ${series.count}`);
    }
    return lines;
  }
}
