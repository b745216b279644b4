/**
 * The route table: one route per connector in the manifest, from its hybrid connection to its
 * site on loopback. Comparing two tables tells the listener what to add, remove, re-key (same
 * hybrid connection, other credentials or endpoint details: reconnect) or re-target (same
 * connection, other site or port: no reconnect).
 */
import { createHash } from 'node:crypto';
import { HybridConnectionString } from '../config/connection-string';
import { Manifest, toHybridConnectionString } from '../config/manifest';
import { ConnectorTarget } from './forwarding/connector-target';

export interface ListenerRoute {
  /** Identity of the hybrid connection: namespace, port and entity path, lower case. */
  key: string;
  connection: HybridConnectionString;
  /** Changes whenever anything the relay connection depends on changes (a hash: never a secret). */
  connectionFingerprint: string;
  target: ConnectorTarget;
}

export interface RouteTable {
  routes: ListenerRoute[];
  /** Connectors whose hybrid connection could not be used (message without secrets). */
  problems: string[];
}

export interface RouteChanges {
  added: ListenerRoute[];
  removed: string[];
  rekeyed: ListenerRoute[];
  retargeted: ListenerRoute[];
}

export function hybridConnectionKey(connection: Pick<HybridConnectionString, 'namespace' | 'port' | 'entityPath'>): string {
  return `${connection.namespace}:${connection.port ?? 443}/${connection.entityPath}`.toLowerCase();
}

export function routesFromManifest(manifest: Manifest): RouteTable {
  const routes: ListenerRoute[] = [];
  const problems: string[] = [];
  for (const connector of manifest.connectors) {
    let connection: HybridConnectionString;
    try {
      connection = toHybridConnectionString(connector.hybridConnection);
    } catch (error) {
      problems.push(`${connector.site}: ${(error as Error).message}`);
      continue;
    }
    routes.push({
      key: hybridConnectionKey(connection),
      connection,
      connectionFingerprint: fingerprint(connection),
      target: {
        connector: connector.site,
        port: connector.port,
        entityPath: connection.entityPath,
        namespace: connection.namespace,
        proto: connection.emulator ? 'http' : 'https',
      },
    });
  }
  return { routes, problems };
}

export function diffRoutes(current: ReadonlyMap<string, ListenerRoute>, next: readonly ListenerRoute[]): RouteChanges {
  const changes: RouteChanges = { added: [], removed: [], rekeyed: [], retargeted: [] };
  const nextKeys = new Set(next.map((route) => route.key));
  for (const key of current.keys()) if (!nextKeys.has(key)) changes.removed.push(key);
  for (const route of next) {
    const before = current.get(route.key);
    if (!before) changes.added.push(route);
    else if (before.connectionFingerprint !== route.connectionFingerprint) changes.rekeyed.push(route);
    else if (JSON.stringify(before.target) !== JSON.stringify(route.target)) changes.retargeted.push(route);
  }
  return changes;
}

function fingerprint(connection: HybridConnectionString): string {
  const parts = [connection.namespace, connection.port, connection.entityPath, connection.emulator, connection.keyName, connection.key, connection.sharedAccessSignature];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}
