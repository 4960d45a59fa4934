import { EVENT_TYPES, type OpcenterEventType } from '../insights/events';

/** What became of one posted event. */
export const INGEST_OUTCOMES = ['accepted', 'duplicate', 'invalid', 'unauthorized', 'too_large', 'unavailable'] as const;

/** One outcome: queued, recognised as a replay, refused (4xx), or not made durable (503). */
export type IngestOutcome = (typeof INGEST_OUTCOMES)[number];

/** The event type label: `unknown` when the request never named a known type. */
export type EventTypeLabel = OpcenterEventType | 'unknown';

const TYPE_LABELS: readonly EventTypeLabel[] = [...EVENT_TYPES, 'unknown'];

/**
 * The ingest process's Prometheus metrics, in text exposition format 0.0.4: events received by
 * type and outcome. Every series starts at 0, so `rate()` sees the first event of each.
 */
export class IngestMetrics {
  private readonly events = new Map<string, number>();

  /** Counts one posted event. */
  record(type: EventTypeLabel, outcome: IngestOutcome): void {
    const key = seriesKey(type, outcome);
    this.events.set(key, (this.events.get(key) ?? 0) + 1);
  }

  /** How many events of `type` ended in `outcome` so far. */
  count(type: EventTypeLabel, outcome: IngestOutcome): number {
    return this.events.get(seriesKey(type, outcome)) ?? 0;
  }

  /** The Prometheus text exposition. */
  render(): string {
    const lines = [
      '# HELP oig_ingest_events_total Events posted to ingest, by event type and outcome.',
      '# TYPE oig_ingest_events_total counter',
      ...TYPE_LABELS.flatMap((type) =>
        INGEST_OUTCOMES.map((outcome) => `oig_ingest_events_total{type="${type}",outcome="${outcome}"} ${this.count(type, outcome)}`),
      ),
    ];
    return `${lines.join('\n')}\n`;
  }
}

function seriesKey(type: EventTypeLabel, outcome: IngestOutcome): string {
  return `${type}/${outcome}`;
}
