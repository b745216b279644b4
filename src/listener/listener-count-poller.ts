/**
 * Asks the relay how many listeners each Connected hybrid connection has (runtime information):
 * at once when a connection comes up, then every `intervalMs`. One question per hybrid connection
 * at a time; a failed one keeps the last count and is logged at debug level (the count is
 * informative, the relay connection itself is what matters).
 */
import type { Logger } from '../common/logger';
import type { HybridConnectionString } from '../config/connection-string';
import { fetchListenerCount } from '../relay/runtime-information';

export interface PolledConnection {
  connection: HybridConnectionString;
  connected: boolean;
  report(count: number): void;
}

export class ListenerCountPoller {
  private timer: NodeJS.Timeout | undefined;
  private readonly asking = new Set<string>();
  private stopped = false;

  constructor(
    private readonly connections: () => Map<string, PolledConnection>,
    private readonly intervalMs: number,
    private readonly logger: Logger,
    private readonly fetch: (connection: HybridConnectionString) => Promise<number> = fetchListenerCount,
  ) {}

  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => this.askAll(), this.intervalMs);
    this.timer.unref();
  }

  /** Asks for one hybrid connection now (when it has just connected). */
  ask(key: string): void {
    const target = this.connections().get(key);
    if (!target || !target.connected || this.asking.has(key) || this.stopped) return;
    this.asking.add(key);
    this.fetch(target.connection)
      .then((count) => this.connections().get(key)?.report(count))
      .catch((error: Error) => this.logger.debug({ event: 'listener-count-failed', hybridConnection: target.connection.entityPath }, error.message))
      .finally(() => this.asking.delete(key));
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  private askAll(): void {
    for (const key of this.connections().keys()) this.ask(key);
  }
}
