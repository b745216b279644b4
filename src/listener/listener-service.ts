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
import { isMetricsPath } from '../common/metrics-endpoint';
import type { Manifest } from '../config/manifest';
import type { RelayedCall } from '../relay/relayed-call';
import { RelayListener } from '../relay/relay-listener';
import { useRelayConnectionSettings } from '../relay/relay-websocket-options';
import { forwardCall, sendError } from './forwarding/forward';
import { connectorPath, correlationIdFor } from './forwarding/request-passes';
import { HybridConnectionEntry, HybridConnectionStatus } from './hybrid-connection-entry';
import { ListenerCountPoller, PolledConnection } from './listener-count-poller';
import { ListenerMetrics } from './listener-metrics';
import { diffRoutes, ListenerRoute, RouteChanges, routesFromManifest } from './route-table';
import { DEFAULT_LISTENER_SETTINGS, ListenerSettings } from './settings';

export interface ListenerServiceOptions {
  siteName: string;
  settings?: Partial<ListenerSettings>;
  logger?: Logger;
  /** PEM certificates trusted for every relay (HCM_RELAY_CA_FILE), besides each connector's own. */
  trustedCertificates?: string[];
  /** Include the process's own metrics (process_*, nodejs_*) in /metrics (the site does). */
  processMetrics?: boolean;
}

export class ListenerService {
  private readonly entries = new Map<string, HybridConnectionEntry>();
  private readonly retiring = new Set<Promise<void>>();
  private readonly settings: ListenerSettings;
  private readonly logger: Logger;
  private shuttingDown = false;
  readonly metrics: ListenerMetrics;
  private readonly listenerCounts: ListenerCountPoller;

  constructor(private readonly options: ListenerServiceOptions) {
    this.settings = { ...DEFAULT_LISTENER_SETTINGS, ...options.settings };
    this.logger = options.logger ?? silentLogger();
    this.metrics = new ListenerMetrics({ siteName: options.siteName, status: () => this.status(), processMetrics: options.processMetrics });
    this.listenerCounts = new ListenerCountPoller(() => this.polled(), this.settings.listenerCountPollMs, this.logger);
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Brings the listeners in line with the manifest; returns what changed. */
  apply(manifest: Manifest): RouteChanges {
    this.trustRelayCertificates(manifest);
    const table = routesFromManifest(manifest);
    for (const problem of table.problems) this.logger.error({ event: 'route-unusable' }, problem);
    const current = new Map([...this.entries].map(([key, entry]) => [key, entry.route]));
    const changes = diffRoutes(current, this.shuttingDown ? [] : table.routes);
    if (!this.shuttingDown) this.listenerCounts.start();
    for (const key of changes.removed) {
      const entry = this.entries.get(key)!;
      this.entries.delete(key);
      this.logger.info({ event: 'route-removed', hybridConnection: entry.route.connection.entityPath }, 'Hybrid connection removed.');
      this.retire(entry, entry.listener);
    }
    for (const route of changes.added) {
      const entry = new HybridConnectionEntry(route, this.createListener(route));
      this.entries.set(route.key, entry);
      this.metrics.hybridConnectionAdded(route.connection.entityPath);
      this.logger.info({ event: 'route-added', hybridConnection: route.connection.entityPath, connector: route.target.connector }, 'Hybrid connection added.');
      entry.listener.start();
    }
    for (const route of changes.rekeyed) {
      const entry = this.entries.get(route.key)!;
      const old = entry.listener;
      entry.route = route;
      entry.listener = this.createListener(route);
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
    this.listenerCounts.stop();
    const entries = [...this.entries.values()];
    await Promise.all(entries.map((entry) => entry.drained(graceMs)));
    await Promise.all(entries.map((entry) => entry.listener.close()));
    await Promise.all([...this.retiring]);
  }

  /**
   * The relays' certificates to trust (the emulator's, in TLS mode): the setting's and each
   * connector's. Process-wide, because hyco-https's sockets cannot be told apart; a listener that
   * reconnects after a change uses the new set.
   */
  private trustRelayCertificates(manifest: Manifest): void {
    const certificates = new Set(this.options.trustedCertificates ?? []);
    for (const connector of manifest.connectors) {
      if (connector.hybridConnection.trustedCertificate !== undefined) certificates.add(connector.hybridConnection.trustedCertificate);
    }
    useRelayConnectionSettings({ trustedCertificates: [...certificates] });
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
    // A drop of an established connection is one reconnect, however many attempts it then takes.
    let previous = listener.state;
    listener.on('state', (state: string) => {
      if (previous === 'Connected' && (state === 'Reconnecting' || state === 'Failed')) this.metrics.connectionLost(route.connection.entityPath);
      if (state === 'Connected' && previous !== 'Connected') setImmediate(() => this.listenerCounts.ask(route.key));
      previous = state as typeof previous;
    });
    return listener;
  }

  /** The hybrid connections the listener-count poller asks about. */
  private polled(): Map<string, PolledConnection> {
    return new Map([...this.entries].map(([key, entry]) => [key, {
      connection: entry.route.connection,
      connected: entry.listener.state === 'Connected',
      report: (count: number) => (entry.listenerCount = count),
    }]));
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
    const refusal = !entry || this.shuttingDown
      ? entry ? errors.shuttingDown(this.options.siteName) : errors.hybridConnectionNotFound(call.target.split(/[/?]/)[1] ?? '')
      // Metrics are for this machine only: a relayed /metrics never reaches the connector.
      : isMetricsPath(connectorPath(call.target, entry.route.target.entityPath)) ? errors.notFound('/metrics') : undefined;
    if (refusal) {
      const correlationId = correlationIdFor(call.headers);
      const responseBytes = sendError(call, refusal, correlationId);
      this.access(call, refusal.status, started, correlationId, entry, refusal.code);
      entry?.callStarted();
      entry?.callFinished(true);
      if (entry) this.measure(entry, refusal.status, started, 0, responseBytes);
      return;
    }
    entry!.callStarted();
    let failed = true;
    let status = 500;
    let bytes = { request: 0, response: 0 };
    try {
      const result = await forwardCall(call, entry!.route.target, { timeoutMs: this.settings.connectorTimeoutMs });
      failed = result.outcome !== 'answered' || result.status >= 500;
      status = result.status;
      bytes = result.bytes;
      this.access(call, result.status, started, result.correlationId, entry, result.error?.code);
    } catch (error) {
      this.logger.error({ event: 'forward-crashed', err: error }, 'Forwarding a call failed unexpectedly.');
      sendError(call, errors.internal(), correlationIdFor(call.headers));
    } finally {
      entry!.callFinished(failed);
      this.measure(entry!, status, started, bytes.request, bytes.response);
    }
  }

  private measure(entry: HybridConnectionEntry, status: number, started: number, requestBytes: number, responseBytes: number): void {
    this.metrics.callFinished({
      hybridConnection: entry.route.connection.entityPath,
      status,
      seconds: (performance.now() - started) / 1000,
      requestBytes,
      responseBytes,
    });
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
