/**
 * One hybrid connection at run time: its route, the relay listener serving it (replaced when the
 * key changes), its counters and its calls in flight.
 */
import type { RelayConnectionState, RelayListener } from '../relay/relay-listener';
import type { ListenerRoute } from './route-table';

export type HybridConnectionState = Exclude<RelayConnectionState, 'Closed'>;

/** One entry of GET /status (the contract in the brief). */
export interface HybridConnectionStatus {
  name: string;
  connector: string;
  state: HybridConnectionState;
  /** ISO time of the last state change. */
  since: string;
  lastError: string | null;
  requests: { total: number; failed: number };
  /** Listeners the relay counts on this hybrid connection (all servers), from its runtime information; null until known. */
  listenerCount?: number | null;
}

export class HybridConnectionEntry {
  readonly requests = { total: 0, failed: 0 };
  private calls = 0;
  private listeners: number | null = null;
  private readonly drainWaiters: Array<() => void> = [];

  constructor(
    public route: ListenerRoute,
    public listener: RelayListener,
  ) {}

  get inFlight(): number {
    return this.calls;
  }

  callStarted(): void {
    this.calls += 1;
  }

  callFinished(failed: boolean): void {
    this.calls -= 1;
    this.requests.total += 1;
    if (failed) this.requests.failed += 1;
    if (this.calls === 0) this.drainWaiters.splice(0).forEach((resolve) => resolve());
  }

  /** Resolves when no call is in flight, or after `timeoutMs`. */
  drained(timeoutMs: number): Promise<void> {
    if (this.calls === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      timer.unref();
      this.drainWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Asks the relay for the listener count (runtime information); keeps the last value on failure. */
  async refreshListenerCount(): Promise<void> {
    if (this.listener.state !== 'Connected') return;
    try {
      this.listeners = (await this.listener.runtimeInformation()).listenerCount;
    } catch {
      // Not every relay answers it (or a proxy may refuse it); the count just stays as it was.
    }
  }

  status(): HybridConnectionStatus {
    const state = this.listener.state;
    return {
      name: this.route.connection.entityPath,
      connector: this.route.target.connector,
      // A replaced listener is Closed only for an instant; the entry is then Connecting again.
      state: state === 'Closed' ? 'Connecting' : state,
      since: this.listener.since.toISOString(),
      lastError: this.listener.lastError,
      requests: { ...this.requests },
      listenerCount: this.listeners,
    };
  }
}
