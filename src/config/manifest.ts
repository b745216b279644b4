/**
 * The installation manifest ($HCM_HOME/hcm.json, "version": 1): the single source of truth for
 * what is installed. Documented as a JSON schema in docs/manifest.schema.json.
 */
import { HybridConnectionString, parseConfigurationString } from './connection-string';
import { SqlConnectorSettings, validateSqlSettings } from './sql-settings';
import { FieldErrors } from './validation';

export const MANIFEST_VERSION = 1;
export const LISTENER_SITE = 'MicrosoftAzureBizTalkHybridListener';
export const LISTENER_APP_POOL = 'HybridListenerAppPool';
export const LISTENER_PORT = 6568;
export const FIRST_CONNECTOR_PORT = 6569;
export const CONNECTOR_SITE_PREFIX = 'MicrosoftSqlConnector_';
export const CONNECTOR_APP_POOL_PREFIX = 'HybridAppPool';

export interface SiteEntry {
  site: string;
  appPool: string;
  port: number;
}

export interface StoredHybridConnection {
  /** sb://namespace[:port]/ */
  endpoint: string;
  entityPath: string;
  keyName?: string;
  key?: string;
  sharedAccessSignature?: string;
  emulator: boolean;
  /**
   * A PEM certificate the listener trusts for this relay's wss:// and https:// (the relay emulator's
   * generated one, from `hcm setup --relay-certificate FILE`), on top of the system's trust.
   */
  trustedCertificate?: string;
}

export interface ConnectorEntry extends SiteEntry {
  kind: 'sql';
  hybridConnection: StoredHybridConnection;
  settings: SqlConnectorSettings;
}

/** The HTTP proxy for relay connections (src/relay/proxy reads it). */
export interface ManifestProxy {
  /** http://host[:port], never with credentials. */
  url: string;
  username?: string;
  password?: string;
}

export interface Manifest {
  version: typeof MANIFEST_VERSION;
  listener: SiteEntry;
  connectors: ConnectorEntry[];
  proxy?: ManifestProxy;
}

export const PROXY_URL_PATTERN = /^http:\/\/[^/@\s]+$/;

function validateProxy(value: unknown, problems: FieldErrors): ManifestProxy | undefined {
  if (value === undefined) return undefined;
  if (!problems.isObject(value, 'proxy')) return undefined;
  const v = value as Record<string, unknown>;
  problems.noUnknownFields(v, 'proxy', ['url', 'username', 'password']);
  const proxy: ManifestProxy = { url: problems.string(v.url, 'proxy.url', { pattern: PROXY_URL_PATTERN }) };
  const username = problems.optionalString(v.username, 'proxy.username');
  const password = problems.optionalString(v.password, 'proxy.password');
  if (username !== undefined) proxy.username = username;
  if (password !== undefined) proxy.password = password;
  return proxy;
}

export function emptyManifest(): Manifest {
  return {
    version: MANIFEST_VERSION,
    listener: { site: LISTENER_SITE, appPool: LISTENER_APP_POOL, port: LISTENER_PORT },
    connectors: [],
  };
}

export function toStoredHybridConnection(parsed: HybridConnectionString): StoredHybridConnection {
  const host = parsed.port !== undefined ? `${parsed.namespace}:${parsed.port}` : parsed.namespace;
  const stored: StoredHybridConnection = { endpoint: `sb://${host}/`, entityPath: parsed.entityPath, emulator: parsed.emulator };
  if (parsed.sharedAccessSignature !== undefined) stored.sharedAccessSignature = parsed.sharedAccessSignature;
  else {
    stored.keyName = parsed.keyName;
    stored.key = parsed.key;
  }
  return stored;
}

/** Back to the parsed form (validated again, so a hand-edited manifest cannot smuggle in bad values). */
export function toHybridConnectionString(stored: StoredHybridConnection): HybridConnectionString {
  const parts = [`Endpoint=${stored.endpoint}`, `EntityPath=${stored.entityPath}`];
  if (stored.sharedAccessSignature !== undefined) parts.push(`SharedAccessSignature=${stored.sharedAccessSignature}`);
  if (stored.keyName !== undefined) parts.push(`SharedAccessKeyName=${stored.keyName}`);
  if (stored.key !== undefined) parts.push(`SharedAccessKey=${stored.key}`);
  if (stored.emulator) parts.push('UseDevelopmentEmulator=true');
  return parseConfigurationString(parts.join(';'));
}

function validateSite(value: unknown, where: string, problems: FieldErrors, extra: string[] = []): SiteEntry | undefined {
  if (!problems.isObject(value, where)) return undefined;
  const v = value as Record<string, unknown>;
  problems.noUnknownFields(v, where, ['site', 'appPool', 'port', ...extra]);
  return {
    site: problems.string(v.site, `${where}.site`, { pattern: /^[A-Za-z0-9_.-]{1,64}$/ }),
    appPool: problems.string(v.appPool, `${where}.appPool`, { pattern: /^[A-Za-z0-9_.-]{1,64}$/ }),
    port: problems.integer(v.port, `${where}.port`, 1, 65535),
  };
}

function validateHybridConnection(value: unknown, where: string, problems: FieldErrors): StoredHybridConnection | undefined {
  if (!problems.isObject(value, where)) return undefined;
  const v = value as Record<string, unknown>;
  problems.noUnknownFields(v, where, ['endpoint', 'entityPath', 'keyName', 'key', 'sharedAccessSignature', 'emulator', 'trustedCertificate']);
  const stored: StoredHybridConnection = {
    endpoint: problems.string(v.endpoint, `${where}.endpoint`),
    entityPath: problems.string(v.entityPath, `${where}.entityPath`),
    keyName: problems.optionalString(v.keyName, `${where}.keyName`),
    key: problems.optionalString(v.key, `${where}.key`),
    sharedAccessSignature: problems.optionalString(v.sharedAccessSignature, `${where}.sharedAccessSignature`),
    emulator: problems.boolean(v.emulator, `${where}.emulator`, false),
    trustedCertificate: problems.optionalString(v.trustedCertificate, `${where}.trustedCertificate`),
  };
  for (const name of ['keyName', 'key', 'sharedAccessSignature', 'trustedCertificate'] as const) if (stored[name] === undefined) delete stored[name];
  if (stored.trustedCertificate !== undefined && !stored.trustedCertificate.includes('-----BEGIN CERTIFICATE-----')) {
    problems.add(`${where}.trustedCertificate`, 'must be a PEM certificate (-----BEGIN CERTIFICATE-----)');
  }
  if (problems.problems.length === 0) {
    try {
      toHybridConnectionString(stored);
    } catch (error) {
      problems.add(where, `is not a valid hybrid connection (${(error as Error).message})`);
    }
  }
  return stored;
}

function validateConnector(value: unknown, where: string, problems: FieldErrors): ConnectorEntry | undefined {
  const site = validateSite(value, where, problems, ['kind', 'hybridConnection', 'settings']);
  if (!site) return undefined;
  const v = value as Record<string, unknown>;
  if (v.kind !== 'sql') problems.add(`${where}.kind`, 'must be "sql"');
  if (!/^MicrosoftSqlConnector_\d{3}$/.test(site.site)) problems.add(`${where}.site`, 'must be MicrosoftSqlConnector_nnn');
  if (!/^HybridAppPool\d{3}$/.test(site.appPool)) problems.add(`${where}.appPool`, 'must be HybridAppPoolnnn');
  const hybridConnection = validateHybridConnection(v.hybridConnection, `${where}.hybridConnection`, problems);
  const settings = validateSqlSettings(v.settings ?? {}, `${where}.settings`, problems);
  if (!hybridConnection || !settings) return undefined;
  return { ...site, kind: 'sql', hybridConnection, settings };
}

/** Validates a parsed hcm.json; throws a ValidationError listing every bad field by name. */
export function validateManifest(value: unknown, source = 'hcm.json'): Manifest {
  const problems = new FieldErrors();
  if (!problems.isObject(value, 'manifest')) problems.throwIfAny(source);
  const v = value as Record<string, unknown>;
  problems.noUnknownFields(v, 'manifest', ['$schema', 'version', 'listener', 'connectors', 'proxy']);
  if (v.version !== MANIFEST_VERSION) problems.add('version', `must be ${MANIFEST_VERSION}`);
  const listener = validateSite(v.listener, 'listener', problems);
  if (!Array.isArray(v.connectors)) problems.add('connectors', 'must be a list');
  const connectors = (Array.isArray(v.connectors) ? v.connectors : [])
    .map((entry, index) => validateConnector(entry, `connectors[${index}]`, problems))
    .filter((entry): entry is ConnectorEntry => entry !== undefined);
  checkUnique(connectors, listener, problems);
  const proxy = validateProxy(v.proxy, problems);
  problems.throwIfAny(source);
  return { version: MANIFEST_VERSION, listener: listener!, connectors, ...(proxy ? { proxy } : {}) };
}

function checkUnique(connectors: ConnectorEntry[], listener: SiteEntry | undefined, problems: FieldErrors): void {
  const seen = new Map<string, string>();
  const claim = (kind: string, value: string, where: string) => {
    const key = `${kind}:${value.toLowerCase()}`;
    if (seen.has(key)) problems.add(where, `repeats the ${kind} of ${seen.get(key)}`);
    else seen.set(key, where);
  };
  if (listener) claim('port', String(listener.port), 'listener.port');
  connectors.forEach((c, i) => {
    claim('site', c.site, `connectors[${i}].site`);
    claim('appPool', c.appPool, `connectors[${i}].appPool`);
    claim('port', String(c.port), `connectors[${i}].port`);
    claim('hybrid connection', `${c.hybridConnection.endpoint}|${c.hybridConnection.entityPath}`, `connectors[${i}].hybridConnection`);
  });
}
