/**
 * Names and ports for new connectors: MicrosoftSqlConnector_nnn / HybridAppPoolnnn with the
 * lowest free nnn, and the lowest free port from 6569 upward.
 */
import fs from 'node:fs';
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

const LOWEST_CHOSEN_PORT = 20_000;
const handedOut = new Set<number>();

let ephemeralStart: number | undefined;

/** Where the kernel's port-0 binds start (net.ipv4.ip_local_port_range, read once); IANA's 49152 elsewhere. */
function ephemeralRangeStart(): number {
  ephemeralStart ??= readEphemeralRangeStart();
  return ephemeralStart;
}

function readEphemeralRangeStart(): number {
  try {
    const [low] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && low > LOWEST_CHOSEN_PORT + 1_000) return low;
  } catch {
    // Not Linux: Windows and macOS give port-0 binds IANA's dynamic range.
  }
  return 49_152;
}

/**
 * A port free on 127.0.0.1 now, for a site that must be told its port before it binds (a "0 = any
 * free port" option) or a server that will restart on it. It comes from below the kernel's
 * ephemeral range, so no port-0 bind of another program can take it in the meantime: a port-0
 * port, once released, is handed to the next port-0 bind, and then the site fails with EADDRINUSE
 * or, worse, a client reaches the wrong server. Never the same port twice in one process.
 */
export async function anyFreeLoopbackPort(): Promise<number> {
  const end = ephemeralRangeStart();
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const port = LOWEST_CHOSEN_PORT + Math.floor(Math.random() * (end - LOWEST_CHOSEN_PORT));
    if (handedOut.has(port) || !(await isLoopbackPortFree(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`No free loopback port between ${LOWEST_CHOSEN_PORT} and ${end - 1} after 100 tries.`);
}
