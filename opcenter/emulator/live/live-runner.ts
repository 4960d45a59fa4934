import type { LiveProduction, Plant } from '../../simulator';
import type { EventDispatcher } from '../events/event-dispatcher';
import type { EntityStore } from '../store/entity-store';

/**
 * Plays the simulator's live production in wall-clock time: each step's changes go into the store
 * first, then its events go to the subscribers, so a subscriber that reads back finds the records.
 */
export class LiveRunner {
  private production: LiveProduction | undefined;
  private timer: NodeJS.Timeout | undefined;
  private simStart = 0;
  private wallStart = 0;
  private steps = 0;
  private events = 0;
  private lastAt: string | undefined;

  constructor(
    private readonly plant: Plant,
    private readonly store: EntityStore,
    private readonly dispatcher: EventDispatcher,
    private readonly rate: number,
    private readonly log: (message: string) => void,
  ) {}

  start(): void {
    if (this.production) return;
    this.production = this.plant.startLive({ rate: this.rate });
    this.wallStart = Date.now();
    this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  stats(): { rate: number; steps: number; events: number; simulatedTime: string | null } {
    return { rate: this.rate, steps: this.steps, events: this.events, simulatedTime: this.lastAt ?? null };
  }

  private schedule(): void {
    const production = this.production;
    if (!production) return;
    const step = production.next();
    const at = Date.parse(step.at);
    if (this.simStart === 0) this.simStart = at;
    const due = this.wallStart + (at - this.simStart);
    this.timer = setTimeout(() => {
      try {
        this.apply(step);
      } catch (error) {
        this.log(`live step at ${step.at} failed: ${(error as Error).message}`);
      }
      this.schedule();
    }, Math.max(0, due - Date.now()));
    this.timer.unref();
  }

  private apply(step: ReturnType<LiveProduction['next']>): void {
    for (const change of step.changes) {
      const source = this.store.stored(change.set);
      if (change.kind === 'insert') source.insert(change.row);
      else source.update(change.row[source.set.key], change.row);
    }
    for (const event of step.events) this.dispatcher.publish(event);
    this.steps += 1;
    this.events += step.events.length;
    this.lastAt = step.at;
  }
}
