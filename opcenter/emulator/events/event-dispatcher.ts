import { createHmac } from 'node:crypto';

/** An event as posted: a unique id, a type and a time; the rest depends on the type. */
export interface PostedEvent {
  id: string;
  eventType: string;
  timestamp: string;
}

/** Options of the dispatcher that posts events to subscriber URLs. */
export interface EventDispatcherOptions {
  subscribers: readonly string[];
  /** HMAC-SHA256 secret; when set, each POST carries `X-Opcenter-Signature: sha256=<hex of body>`. */
  secret?: string;
  /** Events kept per subscriber while it is unreachable; past this the oldest are dropped. Default 10,000. */
  maxQueue?: number;
  /** Per-POST timeout in ms. Default 5,000. */
  timeoutMs?: number;
  /** Longest wait between retries in ms (backoff doubles from 100 ms up to this). Default 5,000. */
  maxBackoffMs?: number;
  log?: (message: string) => void;
}

interface Subscriber {
  url: string;
  queue: PostedEvent[];
  pumping: boolean;
  delivered: number;
  dropped: number;
  failures: number;
}

/**
 * Posts each event to every subscriber, in order, at least once: a subscriber that answers 5xx or
 * cannot be reached gets the same event again with backoff; one that answers 4xx refused it for good.
 */
export class EventDispatcher {
  private readonly subscribers = new Map<string, Subscriber>();
  private closed = false;
  private readonly wakeups = new Set<() => void>();

  constructor(private readonly options: EventDispatcherOptions) {
    for (const url of options.subscribers) this.subscribe(url);
  }

  subscribe(url: string): void {
    if (this.subscribers.has(url)) return;
    new URL(url);
    this.subscribers.set(url, { url, queue: [], pumping: false, delivered: 0, dropped: 0, failures: 0 });
  }

  unsubscribe(url: string): boolean {
    const subscriber = this.subscribers.get(url);
    if (subscriber) subscriber.queue.length = 0;
    return this.subscribers.delete(url);
  }

  publish(event: PostedEvent): void {
    if (this.closed) return;
    const max = this.options.maxQueue ?? 10_000;
    for (const subscriber of this.subscribers.values()) {
      subscriber.queue.push(event);
      if (subscriber.queue.length > max) {
        subscriber.queue.shift();
        subscriber.dropped += 1;
      }
      if (!subscriber.pumping) void this.pump(subscriber);
    }
  }

  stats(): Array<{ url: string; queued: number; delivered: number; dropped: number; failures: number }> {
    return [...this.subscribers.values()].map(({ url, queue, delivered, dropped, failures }) => ({
      url,
      queued: queue.length,
      delivered,
      dropped,
      failures,
    }));
  }

  /** Stops posting; events still queued are dropped. */
  close(): void {
    this.closed = true;
    for (const wake of this.wakeups) wake();
  }

  private async pump(subscriber: Subscriber): Promise<void> {
    subscriber.pumping = true;
    let backoff = 100;
    while (!this.closed && subscriber.queue.length > 0 && this.subscribers.get(subscriber.url) === subscriber) {
      const event = subscriber.queue[0] as PostedEvent;
      const outcome = await this.post(subscriber.url, event);
      if (outcome === 'retry') {
        subscriber.failures += 1;
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, this.options.maxBackoffMs ?? 5000);
        continue;
      }
      backoff = 100;
      if (subscriber.queue[0] === event) subscriber.queue.shift();
      if (outcome === 'delivered') subscriber.delivered += 1;
      else subscriber.dropped += 1;
    }
    subscriber.pumping = false;
  }

  private async post(url: string, event: PostedEvent): Promise<'delivered' | 'refused' | 'retry'> {
    const body = JSON.stringify(event);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-opcenter-event-id': event.id,
      'x-opcenter-event-type': event.eventType,
    };
    if (this.options.secret) {
      headers['x-opcenter-signature'] = `sha256=${createHmac('sha256', this.options.secret).update(body).digest('hex')}`;
    }
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return 'delivered';
      if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
        this.options.log?.(`event ${event.id} (${event.eventType}) refused by ${url}: HTTP ${response.status}`);
        return 'refused';
      }
      return 'retry';
    } catch {
      return 'retry';
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakeups.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakeups.add(wake);
    });
  }
}
