/**
 * The listener's core: one relay listener per connector in the manifest, kept in step with the
 * manifest without a restart (add, remove, re-key, re-target), every relayed call forwarded to its
 * connector with an access-log line, per-hybrid-connection state and counters, and a bounded
 * graceful shutdown (new calls get 503 ShuttingDown, in-flight ones finish, then the relay
 * connections close).
 */
import { performance } from 'node:perf_hooks';
import { errors } from '../common/errors';
import { logAccess, Logger, silentLogger } from '../common/logger';
import type { Manifest } from '../config/manifest';
import type { RelayedCall } from '../relay/relayed-call';
import { RelayListener } from '../relay/relay-listener';
import { forwardCall, sendError } from './forwarding/forward';
import { correlationIdFor } from './forwarding/request-passes';
import { HybridConnectionEntry, HybridConnectionStatus } from './hybrid-connection-entry';
import { diffRoutes, ListenerRoute, RouteChanges, routesFromManifest } from './route-table';
import { DEFAULT_LISTENER_SETTINGS, ListenerSettings } from './settings';

export interface ListenerServiceOptions {
  siteName: string;
  settings?: Partial<ListenerSettings>;
  logger?: Logger;
}

export class ListenerService {
  private readonly entries = new Map<string, HybridConnectionEntry>();
  private readonly retiring = new Set<Promise<void>>();
  private readonly settings: ListenerSettings;
  private readonly logger: Logger;
  private shuttingDown = false;
  private runtimeInfoTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ListenerServiceOptions) {
    this.settings = { ...DEFAULT_LISTENER_SETTINGS, ...options.settings };
    this.logger = options.logger ?? silentLogger();
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Brings the listeners in line with the manifest; returns what changed. */
  apply(manifest: Manifest): RouteChanges {
    this.runtimeInfoTimer ??= setInterval(() => this.refreshListenerCounts(), this.settings.runtimeInfoMs).unref();
    const table = routesFromManifest(manifest);
    for (const problem of table.problems) this.logger.error({ event: 'route-unusable' }, problem);
    const current = new Map([...this.entries].map(([key, entry]) => [key, entry.route]));
    const changes = diffRoutes(current, this.shuttingDown ? [] : table.routes);
    for (const key of changes.removed) {
      const entry = this.entries.get(key)!;
      this.entries.delete(key);
      this.logger.info({ event: 'route-removed', hybridConnection: entry.route.connection.entityPath }, 'Hybrid connection removed.');
      this.retire(entry, entry.listener);
    }
    for (const route of changes.added) {
      const entry = new HybridConnectionEntry(route, this.createListener(route));
      this.countWhenConnected(entry);
      this.entries.set(route.key, entry);
      this.logger.info({ event: 'route-added', hybridConnection: route.connection.entityPath, connector: route.target.connector }, 'Hybrid connection added.');
      entry.listener.start();
    }
    for (const route of changes.rekeyed) {
      const entry = this.entries.get(route.key)!;
      const old = entry.listener;
      entry.route = route;
      entry.listener = this.createListener(route);
      this.countWhenConnected(entry);
      this.logger.info({ event: 'route-rekeyed', hybridConnection: route.connection.entityPath }, 'Hybrid connection credentials changed: reconnecting.');
      entry.listener.start();
      this.retire(entry, old);
    }
    for (const route of changes.retargeted) {
      this.entries.get(route.key)!.route = route;
      this.logger.info({ event: 'route-retargeted', hybridConnection: route.connection.entityPath, connector: route.target.connector, port: route.target.port }, 'Hybrid connection now goes to another connector site.');
    }
    return changes;
  }

  /** Replaces every relay connection (e.g. the proxy setting changed); calls in flight finish on the old ones. */
  reconnectAll(reason: string): void {
    if (this.shuttingDown) return;
    for (const entry of this.entries.values()) {
      const old = entry.listener;
      entry.listener = this.createListener(entry.route);
      this.countWhenConnected(entry);
      this.logger.info({ event: 'route-reconnect', hybridConnection: entry.route.connection.entityPath }, `Reconnecting: ${reason}.`);
      entry.listener.start();
      this.retire(entry, old);
    }
  }

  status(): HybridConnectionStatus[] {
    return [...this.entries.values()].map((entry) => entry.status()).sort((a, b) => a.name.localeCompare(b.name));
  }

  get inFlight(): number {
    return [...this.entries.values()].reduce((sum, entry) => sum + entry.inFlight, 0);
  }

  /** Stops taking calls, lets in-flight ones finish for at most `graceMs`, closes every relay connection. */
  async shutdown(graceMs = this.settings.shutdownGraceMs): Promise<void> {
    this.shuttingDown = true;
    clearInterval(this.runtimeInfoTimer);
    const entries = [...this.entries.values()];
    await Promise.all(entries.map((entry) => entry.drained(graceMs)));
    await Promise.all(entries.map((entry) => entry.listener.close()));
    await Promise.all([...this.retiring]);
  }

  private refreshListenerCounts(): void {
    for (const entry of this.entries.values()) void entry.refreshListenerCount();
  }

  /** The listener count changes when this listener (re)connects: ask the relay at once then. */
  private countWhenConnected(entry: HybridConnectionEntry): void {
    entry.listener.on('state', (state: string) => {
      if (state === 'Connected' && !this.shuttingDown) void entry.refreshListenerCount();
    });
  }

  private createListener(route: ListenerRoute): RelayListener {
    const listener = new RelayListener({
      connection: route.connection,
      onCall: (call) => void this.handle(route.key, call),
      logger: this.logger,
      keepAliveMs: this.settings.keepAliveMs,
      tokenLifetimeSeconds: this.settings.tokenLifetimeSeconds,
      tokenRenewMs: this.settings.tokenRenewMs,
      rejectedRetryMs: this.settings.rejectedRetryMs,
      listenerId: `${this.options.siteName}-${process.pid}-${Date.now().toString(36)}`,
    });
    return listener;
  }

  /** Closes a replaced or removed listener once the calls it may still carry are done (bounded). */
  private retire(entry: HybridConnectionEntry, listener: RelayListener): void {
    const done = entry
      .drained(this.settings.connectorTimeoutMs + 1_000)
      .then(() => listener.close())
      .finally(() => this.retiring.delete(done));
    this.retiring.add(done);
  }

  private async handle(key: string, call: RelayedCall): Promise<void> {
    const started = performance.now();
    const entry = this.entries.get(key);
    if (!entry || this.shuttingDown) {
      const error = entry ? errors.shuttingDown(this.options.siteName) : errors.hybridConnectionNotFound(call.target.split(/[/?]/)[1] ?? '');
      const correlationId = correlationIdFor(call.headers);
      sendError(call, error, correlationId);
      this.access(call, error.status, started, correlationId, entry, error.code);
      entry?.callStarted();
      entry?.callFinished(true);
      return;
    }
    entry.callStarted();
    let failed = true;
    try {
      const result = await forwardCall(call, entry.route.target, { timeoutMs: this.settings.connectorTimeoutMs });
      failed = result.outcome !== 'answered' || result.status >= 500;
      this.access(call, result.status, started, result.correlationId, entry, result.error?.code);
    } catch (error) {
      this.logger.error({ event: 'forward-crashed', err: error }, 'Forwarding a call failed unexpectedly.');
      sendError(call, errors.internal(), correlationIdFor(call.headers));
    } finally {
      entry.callFinished(failed);
    }
  }

  private access(call: RelayedCall, status: number, started: number, correlationId: string | undefined, entry?: HybridConnectionEntry, code?: string): void {
    logAccess(this.logger, {
      method: call.method,
      target: call.target,
      status,
      ms: Math.round(performance.now() - started),
      correlationId,
      connector: entry?.route.target.connector,
      ...(code ? { code } : {}),
    });
  }
}
