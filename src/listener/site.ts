/**
 * The MicrosoftAzureBizTalkHybridListener site: what sites/MicrosoftAzureBizTalkHybridListener/server.js
 * starts, under iisnode or the standalone host. Environment:
 *   PORT           a TCP port (bound on 127.0.0.1) or a pipe / Unix socket path (iisnode passes a named pipe);
 *                  without it, the manifest's listener port;
 *   HCM_HOME       the folder of hcm.json (default ~/.hcm, %ProgramData%\HybridConnectionManager on Windows);
 *   HCM_SITE_NAME  the site name (default MicrosoftAzureBizTalkHybridListener), also the log file name;
 * plus the settings in settings.ts. Logs go to $HCM_HOME/logs/<site>.log and stdout.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, Logger } from '../common/logger';
import { closeServer, listen, listenOnIpv6Loopback } from '../common/server-lifecycle';
import { emptyManifest, LISTENER_SITE, Manifest } from '../config/manifest';
import { defaultHome, logDirectory, readManifest } from '../config/manifest-store';
import { watchManifest } from '../config/manifest-watcher';
import { readTrustedCertificates, relayCaFilesFromEnv } from '../relay/relay-websocket-options';
import { ListenerService } from './listener-service';
import { createLocalSurface } from './local-surface';
import { listenerSettingsFromEnv } from './settings';
import { describeRelayProxy, useRelayProxy } from '../relay/proxy/relay-proxy';

export interface SiteOptions {
  env?: NodeJS.ProcessEnv;
  /** Install SIGTERM/SIGINT/SIGBREAK and uncaught-exception handlers (default true; off in tests). */
  processHandlers?: boolean;
  logger?: Logger;
}

export interface RunningSite {
  /** The TCP port bound, or the pipe / socket path. */
  address: number | string;
  service: ListenerService;
  /** Graceful stop: no new calls, in-flight ones finish (bounded), relay connections closed. */
  close(): Promise<void>;
}

/** The certificates of HCM_RELAY_CA_FILE, trusted for every relay. */
function trustedCertificatesFromEnv(env: NodeJS.ProcessEnv): string[] {
  return readTrustedCertificates(relayCaFilesFromEnv(env));
}

export async function startSite(options: SiteOptions = {}): Promise<RunningSite> {
  const env = options.env ?? process.env;
  const home = defaultHome(env);
  const siteName = env.HCM_SITE_NAME?.trim() || LISTENER_SITE;
  const logger = options.logger ?? createLogger({ name: siteName, logDir: logDirectory(home) });
  const settings = listenerSettingsFromEnv(env);
  const service = new ListenerService({ siteName, settings, logger, processMetrics: true, trustedCertificates: trustedCertificatesFromEnv(env) });
  const manifest = initialManifest(home, logger);
  let proxyDescription = '';
  let proxySetting: string | undefined;
  // The proxy first, so the first relay connections already go through it; a changed setting
  // replaces the open relay connections, so they do not keep their old tunnels.
  const applyProxy = (current: Manifest) => {
    useRelayProxy(current.proxy, env);
    const description = describeRelayProxy();
    if (description !== proxyDescription) logger.info({ event: 'relay-proxy' }, description);
    proxyDescription = description;
    const setting = JSON.stringify(current.proxy ?? null);
    if (proxySetting !== undefined && setting !== proxySetting) service.reconnectAll('the relay proxy setting changed');
    proxySetting = setting;
  };
  applyProxy(manifest);
  service.apply(manifest);
  const watcher = watchManifest(home, (changed) => {
    applyProxy(changed);
    service.apply(changed);
  }, {
    intervalMs: settings.manifestPollMs,
    onError: (error) => logger.error({ event: 'manifest-invalid' }, `hcm.json changed but cannot be used; keeping the previous one: ${error.message}`),
  });

  const server = http.createServer(createLocalSurface({ siteName, service, logger, refreshSeconds: settings.statusRefreshSeconds }));
  const port = env.PORT?.trim() || String(manifest.listener.port);
  try {
    await listen(server, port, '127.0.0.1');
  } catch (error) {
    watcher.close();
    await service.shutdown(0);
    throw error;
  }
  const address = boundAddress(server);
  const ipv6 = typeof address === 'number' ? await listenOnIpv6Loopback(server, address) : undefined;
  logger.info(
    { event: 'site-started', address, hybridConnections: service.status().length, iisnode: env.IISNODE_VERSION ?? null },
    `${siteName} listening on ${typeof address === 'number' ? `http://127.0.0.1:${address}` : address}`,
  );

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      logger.info({ event: 'site-stopping', inFlight: service.inFlight }, `${siteName} is stopping.`);
      watcher.close();
      await service.shutdown(settings.shutdownGraceMs);
      await Promise.all([closeServer(server), ipv6 && closeServer(ipv6)]);
      logger.info({ event: 'site-stopped' }, `${siteName} stopped.`);
    })();
    return closing;
  };
  if (options.processHandlers !== false) installProcessHandlers(close, logger, siteName);
  return { address, service, close };
}

function initialManifest(home: string, logger: Logger): Manifest {
  try {
    return readManifest(home);
  } catch (error) {
    logger.error({ event: 'manifest-invalid' }, `Cannot use hcm.json, starting with no hybrid connection until it is fixed: ${(error as Error).message}`);
    return emptyManifest();
  }
}

function boundAddress(server: http.Server): number | string {
  const address = server.address();
  return typeof address === 'string' ? address : (address as AddressInfo).port;
}

/**
 * Signals stop the site gracefully (a second one exits at once). An exception nobody caught is
 * logged and the process lives on: under iisnode a dead process is only restarted by the next
 * local request, and the relay connections would be gone until then.
 */
function installProcessHandlers(close: () => Promise<void>, logger: Logger, siteName: string): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ event: 'signal', signal }, `${siteName} received ${signal}.`);
    close().then(
      () => process.exit(0),
      (error) => {
        logger.error({ event: 'stop-failed', err: error }, 'The site did not stop cleanly.');
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGBREAK'] as const) process.on(signal, () => stop(signal));
  process.on('uncaughtException', (error) => logger.error({ event: 'uncaught-exception', err: error }, 'An unexpected error was caught; the site keeps running.'));
  process.on('unhandledRejection', (reason) => logger.error({ event: 'unhandled-rejection', err: reason }, 'An unexpected rejection was caught; the site keeps running.'));
}
