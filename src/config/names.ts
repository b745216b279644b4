/**
 * Names and ports for new connectors: MicrosoftSqlConnector_nnn / HybridAppPoolnnn with the
 * lowest free nnn, and the lowest free port from 6569 upward.
 */
import net from 'node:net';
import { CONNECTOR_APP_POOL_PREFIX, CONNECTOR_SITE_PREFIX, FIRST_CONNECTOR_PORT, Manifest } from './manifest';

export function nextConnectorNumber(manifest: Manifest): number {
  const taken = new Set(manifest.connectors.map((c) => Number(c.site.slice(CONNECTOR_SITE_PREFIX.length))));
  for (let n = 1; n <= 999; n++) if (!taken.has(n)) return n;
  throw new Error('All 999 connector numbers are taken; remove a connector first.');
}

export function connectorNames(n: number): { site: string; appPool: string } {
  const nnn = String(n).padStart(3, '0');
  return { site: `${CONNECTOR_SITE_PREFIX}${nnn}`, appPool: `${CONNECTOR_APP_POOL_PREFIX}${nnn}` };
}

/** The lowest port from 6569 not in the manifest and, when `isFree` is given, free on this host. */
export async function nextConnectorPort(
  manifest: Manifest,
  isFree: (port: number) => Promise<boolean> = async () => true,
): Promise<number> {
  const taken = new Set([manifest.listener.port, ...manifest.connectors.map((c) => c.port)]);
  for (let port = FIRST_CONNECTOR_PORT; port <= 65535; port++) {
    if (!taken.has(port) && (await isFree(port))) return port;
  }
  throw new Error(`No free port from ${FIRST_CONNECTOR_PORT} upward.`);
}

/** True when nothing listens on 127.0.0.1:port (tries to bind it for a moment). */
export function isLoopbackPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** A port that was free on 127.0.0.1 a moment ago (for sites that must be told their port up front). */
export function anyFreeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
