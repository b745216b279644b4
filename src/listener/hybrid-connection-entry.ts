/**
 * One hybrid connection at run time: its route, the relay listener serving it (replaced when the
 * key changes), its counters and its calls in flight.
 */
import { RateWindow } from '../common/rate-window';
import type { RelayConnectionState, RelayListener } from '../relay/relay-listener';
import { listenUri } from '../relay/uris';
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
  /** Where the listener connects: wss://<namespace>:443/$hc/<entity path> (no token). */
  relayEndpoint: string;
  /** Listeners the relay reports for this hybrid connection (every manager's), or null until it has said. */
  listeners: number | null;
  /** Calls answered in the last 60 seconds. */
  callsPerMinute: number;
  inFlight: number;
}

export class HybridConnectionEntry {
  readonly requests = { total: 0, failed: 0 };
  /** The listener count from the relay's runtime-information answer (listener-count-poller.ts); null until known. */
  listenerCount: number | null = null;
  private calls = 0;
  private readonly recent: RateWindow;
  private readonly drainWaiters: Array<() => void> = [];

  constructor(
    public route: ListenerRoute,
    public listener: RelayListener,
    now: () => number = Date.now,
  ) {
    this.recent = new RateWindow(now);
  }

  get inFlight(): number {
    return this.calls;
  }

  callStarted(): void {
    this.calls += 1;
  }

  callFinished(failed: boolean): void {
    this.calls -= 1;
    this.requests.total += 1;
    this.recent.add();
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
      relayEndpoint: listenUri(this.route.connection).split('?')[0],
      listeners: this.listenerCount,
      callsPerMinute: this.recent.perMinute(),
      inFlight: this.calls,
    };
  }
}
