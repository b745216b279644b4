/**
 * "Listener Setup": adds a SQL connector for a hybrid connection to the manifest, or — when the
 * manifest already has one for the same namespace + entity path — updates it in place (same site,
 * pool and port), which is how a Secondary string replaces the Primary.
 */
import { HybridConnectionString, sameHybridConnection } from './connection-string';
import { ConnectorEntry, Manifest, toHybridConnectionString, toStoredHybridConnection } from './manifest';
import { connectorNames, nextConnectorNumber, nextConnectorPort } from './names';
import { SqlConnectorSettings, validateSqlSettings } from './sql-settings';
import { canonicalJson, FieldErrors } from './validation';

export interface ConnectorSetupResult {
  manifest: Manifest;
  connector: ConnectorEntry;
  created: boolean;
  changed: boolean;
}

/** Finds the connector serving a hybrid connection (namespace, port and entity path). */
export function findConnectorFor(manifest: Manifest, target: HybridConnectionString): ConnectorEntry | undefined {
  return manifest.connectors.find((c) => sameHybridConnection(toHybridConnectionString(c.hybridConnection), target));
}

export interface ConnectorPortChoice {
  /** Whether a port is free on this host (default: any port is). */
  isPortFree?: (port: number) => Promise<boolean>;
  /** The connector site's port, when the user chose one (`hcm setup --port`); else the next free from 6569. */
  port?: number;
}

/**
 * Applies a setup to a copy of `manifest`. `settings` holds only what the user gave: a new connector
 * gets the defaults for the rest, an existing one keeps its current values (and its port, unless
 * another is chosen).
 */
export async function applyConnectorSetup(
  manifest: Manifest,
  hybridConnection: HybridConnectionString,
  settings: Partial<SqlConnectorSettings>,
  ports: ConnectorPortChoice = {},
): Promise<ConnectorSetupResult> {
  const next = structuredClone(manifest);
  const existing = findConnectorFor(next, hybridConnection);
  if (ports.port !== undefined && ports.port !== existing?.port) await checkChosenPort(next, ports.port, ports.isPortFree);
  const base = existing ? existing.settings : {};
  const merged = mergeSettings(base, settings);
  const problems = new FieldErrors();
  const validSettings = validateSqlSettings(merged, 'settings', problems);
  problems.throwIfAny('The SQL settings');
  if (existing) {
    const before = canonicalJson(existing);
    // Only the credentials change: the entity path keeps the spelling the connector was set up with.
    // The relay certificate the listener trusts stays too (`hcm setup --relay-certificate` replaces it).
    const { trustedCertificate } = existing.hybridConnection;
    existing.hybridConnection = { ...toStoredHybridConnection(hybridConnection), entityPath: existing.hybridConnection.entityPath };
    if (trustedCertificate !== undefined) existing.hybridConnection.trustedCertificate = trustedCertificate;
    existing.settings = validSettings!;
    if (ports.port !== undefined) existing.port = ports.port;
    return { manifest: next, connector: existing, created: false, changed: canonicalJson(existing) !== before };
  }
  const connector: ConnectorEntry = {
    ...connectorNames(nextConnectorNumber(next)),
    port: ports.port ?? (await nextConnectorPort(next, ports.isPortFree)),
    kind: 'sql',
    hybridConnection: toStoredHybridConnection(hybridConnection),
    settings: validSettings!,
  };
  next.connectors.push(connector);
  return { manifest: next, connector, created: true, changed: true };
}

/** A chosen site port must be neither the listener's nor another connector's, and free on this host. */
async function checkChosenPort(manifest: Manifest, port: number, isPortFree?: (port: number) => Promise<boolean>): Promise<void> {
  const problems = new FieldErrors();
  const holder = manifest.listener.port === port ? 'the listener' : manifest.connectors.find((c) => c.port === port)?.site;
  if (holder !== undefined) problems.add('port', `${port} is already ${holder}'s; choose another`);
  else if (isPortFree && !(await isPortFree(port))) problems.add('port', `${port} is in use on this machine; choose another or stop what holds it`);
  problems.throwIfAny('The connector site');
}

/** Port and instance exclude each other: giving one drops the other from the stored settings. */
function mergeSettings(base: Partial<SqlConnectorSettings>, given: Partial<SqlConnectorSettings>): Partial<SqlConnectorSettings> {
  const merged: Partial<SqlConnectorSettings> = { ...base };
  if (given.port !== undefined) delete merged.instance;
  if (given.instance !== undefined) delete merged.port;
  for (const [name, value] of Object.entries(given)) {
    if (value !== undefined) (merged as Record<string, unknown>)[name] = value;
  }
  return merged;
}

/** Finds a connector by site name, its number (nnn or n) or its hybrid connection's entity path. */
export function findConnector(manifest: Manifest, selector: string): ConnectorEntry | undefined {
  const wanted = selector.trim().toLowerCase();
  const byNumber = /^\d{1,3}$/.test(wanted) ? Number(wanted) : undefined;
  return manifest.connectors.find(
    (c) =>
      c.site.toLowerCase() === wanted ||
      (byNumber !== undefined && Number(c.site.slice(-3)) === byNumber) ||
      c.hybridConnection.entityPath.toLowerCase() === wanted,
  );
}
