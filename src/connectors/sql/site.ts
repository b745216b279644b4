/**
 * The MicrosoftSqlConnector site: started by sites/MicrosoftSqlConnector/server.js (under iisnode or
 * the standalone host) with PORT (a TCP port or a pipe path), HCM_HOME and HCM_SITE_NAME. It binds
 * to loopback only, reads its settings from the manifest and follows changes, and stops gracefully:
 * new calls get 503 ShuttingDown while calls in progress finish (up to `drainMs`).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger, createLogger } from '../../common/logger';
import { closeServer, LifecycleServer, listen, listenOnIpv6Loopback } from '../../common/server-lifecycle';
import { defaultHome, logDirectory } from '../../config/manifest-store';
import type { ManifestWatcher } from '../../config/manifest-watcher';
import { createConnectorApp } from './app';
import { underIisnode } from './http/iisnode-raw-url';
import { CatalogCache } from './catalog/catalog-cache';
import { ConnectorContext } from './context';
import { Database } from './db/database';
import { readSiteSettings, watchSiteSettings } from './settings-source';

export interface SqlConnectorSiteOptions {
  /** TCP port (0 = any free port) or a pipe / Unix socket path. */
  port: number | string;
  home: string;
  siteName: string;
  host?: string;
  logger?: Logger;
  /** How often the manifest is checked (default 500 ms). */
  watchIntervalMs?: number;
  /** How long calls in progress may run on after close() starts (default 10 s). */
  drainMs?: number;
  /** Passed to Database (tests use shorter ones). */
  failFastMs?: number;
  retryDelayMs?: number;
  /** Include prom-client's process_* and nodejs_* metrics in /metrics (default true). */
  processMetrics?: boolean;
}

export class SqlConnectorSite extends LifecycleServer {
  readonly context: ConnectorContext;
  private readonly server: http.Server;
  private watcher?: ManifestWatcher;
  /** The [::1] twin of the 127.0.0.1 server, when the host has IPv6. */
  private ipv6?: http.Server;
  private stopping = false;

  constructor(private readonly options: SqlConnectorSiteOptions) {
    super();
    const logger = options.logger ?? createLogger({ name: options.siteName, logDir: logDirectory(options.home) });
    const db = new Database({ logger, failFastMs: options.failFastMs, retryDelayMs: options.retryDelayMs });
    this.context = new ConnectorContext(options.siteName, db, new CatalogCache(db, logger), logger);
    if (options.processMetrics !== false) this.context.metrics.includeProcessMetrics();
    this.server = http.createServer(createConnectorApp(this.context, { isStopping: () => this.stopping, rawUrlFromIisnode: underIisnode(process.env) }));
  }

  /** The bound TCP address (or the pipe path). */
  address(): { host: string; port: number } | string {
    const address = this.server.address();
    if (typeof address === 'string' || address === null) return address ?? '';
    return { host: (address as AddressInfo).address, port: (address as AddressInfo).port };
  }

  protected async onStart(): Promise<void> {
    this.stopping = false;
    const { home, siteName, watchIntervalMs } = this.options;
    const logger = this.context.logger;
    try {
      this.context.setSettings(readSiteSettings(home, siteName));
    } catch (error) {
      logger.error({ err: error }, 'cannot read the manifest; the site starts without settings and waits for a valid one');
      this.context.setSettings(undefined);
    }
    if (!this.context.hasSettings) logger.warn({ site: siteName }, 'no manifest entry for this site yet; calls get 503 until one appears');
    this.watcher = watchSiteSettings(home, siteName, (settings) => this.context.setSettings(settings), logger, watchIntervalMs);
    await listen(this.server, this.options.port, this.options.host ?? '127.0.0.1');
    const bound = this.server.address();
    if (this.options.host === undefined && bound && typeof bound === 'object') this.ipv6 = await listenOnIpv6Loopback(this.server, bound.port);
    logger.info({ address: this.address(), site: siteName }, 'SQL connector site listening');
  }

  protected async onClose(): Promise<void> {
    this.stopping = true;
    this.watcher?.close();
    const drained = new Promise<void>((resolve) => {
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, this.options.drainMs ?? 10_000).unref());
    await Promise.race([drained, deadline]);
    this.server.closeAllConnections();
    if (this.ipv6) await closeServer(this.ipv6);
    this.ipv6 = undefined;
    await this.context.db.close();
  }
}

/** The site's entry point, as server.js calls it. */
export async function startSite(env: { PORT?: string; HCM_HOME?: string; HCM_SITE_NAME?: string } = process.env): Promise<SqlConnectorSite> {
  const siteName = env.HCM_SITE_NAME;
  if (!siteName) throw new Error('HCM_SITE_NAME is not set: it names this connector site in the manifest (e.g. MicrosoftSqlConnector_001).');
  if (!env.PORT) throw new Error('PORT is not set: give a TCP port or a pipe path.');
  const port = /^\d+$/.test(env.PORT) ? Number(env.PORT) : env.PORT;
  const site = new SqlConnectorSite({ port, home: defaultHome(env as NodeJS.ProcessEnv), siteName });
  await site.start();
  return site;
}
