/**
 * The Primary/Secondary Configuration String: an Azure Relay hybrid connection connection string,
 * as the Azure portal gives it. Keys are case-insensitive and order-free, parts are split on ';'
 * and then on the first '='. Error messages name the bad part and never echo a value that could be
 * a secret.
 */
import { isIPv6 } from 'node:net';
import { HcmError, errors } from '../common/errors';

export const DEFAULT_EMULATOR_PORT = 9351;
/** Longer strings are refused before parsing; real ones are a few hundred characters. */
export const MAX_CONFIGURATION_STRING_LENGTH = 4096;

export interface HybridConnectionString {
  /** Namespace host, e.g. contoso.servicebus.windows.net or 127.0.0.1. */
  namespace: string;
  /** Explicit port from the endpoint (emulator), if any. */
  port?: number;
  /** The hybrid connection name (may contain '/'). */
  entityPath: string;
  keyName?: string;
  key?: string;
  sharedAccessSignature?: string;
  /** UseDevelopmentEmulator=true: ws://namespace:port instead of wss://namespace:443. */
  emulator: boolean;
}

const KNOWN_KEYS = {
  endpoint: 'Endpoint',
  sharedaccesskeyname: 'SharedAccessKeyName',
  sharedaccesskey: 'SharedAccessKey',
  sharedaccesssignature: 'SharedAccessSignature',
  entitypath: 'EntityPath',
  usedevelopmentemulator: 'UseDevelopmentEmulator',
  operationtimeout: 'OperationTimeout',
} as const;
type KnownKey = keyof typeof KNOWN_KEYS;

const ACS_KEYS = ['sharedsecretissuer', 'sharedsecretvalue'];

function fail(message: string, part?: string): HcmError {
  return errors.invalidConfigurationString(message, part);
}

/** Keys that may hold a secret: what follows them is never shown, up to the next known key. */
const SECRET_KEYS: ReadonlySet<string> = new Set(['sharedaccesskey', 'sharedaccesssignature']);

/** The lower-cased name before the first '=' of a piece, or undefined when it has none. */
function pieceName(piece: string): string | undefined {
  const equals = piece.indexOf('=');
  return equals > 0 ? piece.slice(0, equals).trim().toLowerCase() : undefined;
}

/** A name that ends a secret's value: a known key, or one refused by name (ACS, Authentication). */
function endsSecret(piece: string): boolean {
  const name = pieceName(piece);
  return name !== undefined && (name in KNOWN_KEYS || ACS_KEYS.includes(name) || name === 'authentication');
}

/**
 * Splits on ';' into pieces, but keeps everything after SharedAccessKey= (or SharedAccessSignature=)
 * up to the next known key with that secret: a ';' inside a pasted key must not start a "part" whose
 * name is key material and would then be quoted in a message.
 */
function splitPieces(text: string): string[] {
  const pieces: string[] = [];
  let inSecret = false;
  for (const raw of text.split(';')) {
    const piece = raw.trim();
    if (inSecret && piece !== '' && !endsSecret(piece)) {
      pieces[pieces.length - 1] += `;${piece}`;
      continue;
    }
    pieces.push(piece);
    if (piece !== '') inSecret = SECRET_KEYS.has(pieceName(piece) ?? '');
  }
  return pieces;
}

/** Splits the string into a map of known keys, refusing duplicates, unknown and ACS keys. */
function splitParts(text: string): Map<KnownKey, string> {
  const parts = new Map<KnownKey, string>();
  const pieces = splitPieces(text);
  pieces.forEach((piece, index) => {
    if (piece === '') return;
    const equals = piece.indexOf('=');
    if (equals <= 0) {
      throw fail(`Part ${index + 1} of the configuration string is not of the form Name=Value.`, `part ${index + 1}`);
    }
    const name = piece.slice(0, equals).trim();
    const lower = name.toLowerCase();
    if (ACS_KEYS.includes(lower)) {
      throw fail(
        'This is a legacy ACS configuration string (SharedSecretIssuer/SharedSecretValue). Azure Access Control ' +
          'Service was retired on 2018-11-07: copy a SAS connection string with Listen rights from the hybrid ' +
          "connection's Shared access policies in the Azure portal.",
        name.length <= 40 ? name : 'SharedSecretIssuer',
      );
    }
    if (lower === 'authentication') {
      throw fail('Authentication=… (Entra ID / managed identity) is not supported: use a SAS connection string.', 'Authentication');
    }
    if (!(lower in KNOWN_KEYS)) {
      throw fail(
        `Unknown key ${describeName(name)} in part ${index + 1}; allowed keys are ${Object.values(KNOWN_KEYS).join(', ')}.`,
        `part ${index + 1}`,
      );
    }
    const key = lower as KnownKey;
    if (parts.has(key)) throw fail(`${KNOWN_KEYS[key]} appears more than once.`, KNOWN_KEYS[key]);
    const value = piece.slice(equals + 1).trim();
    if (SECRET_KEYS.has(key) && value.includes(';')) {
      throw fail(
        `${KNOWN_KEYS[key]} contains ';' (not shown): copy the whole string again from the portal; a key or token never contains ';'.`,
        KNOWN_KEYS[key],
      );
    }
    parts.set(key, value);
  });
  return parts;
}

/** An unknown key's name is shown only when it looks like a name, never when it could be a secret. */
function describeName(name: string): string {
  return /^[A-Za-z][A-Za-z ]{0,39}$/.test(name) ? `'${name}'` : '(not shown)';
}

function parseEndpoint(value: string | undefined, emulator: boolean): { namespace: string; port?: number } {
  if (value === undefined || value === '') {
    throw fail('Endpoint is missing: the string must start with Endpoint=sb://<namespace>.servicebus.windows.net/.', 'Endpoint');
  }
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(\/[^?#]*)?$/.exec(value);
  if (!match) throw fail('Endpoint is not an absolute URI such as sb://contoso.servicebus.windows.net/.', 'Endpoint');
  const [, scheme, authority] = match;
  if (scheme.toLowerCase() !== 'sb') {
    throw fail(`Endpoint must use the sb:// scheme, not ${scheme.length <= 10 ? scheme : 'another scheme'}://.`, 'Endpoint');
  }
  const hostPort = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(authority);
  if (!hostPort || !isHostName(hostPort[1])) throw fail('Endpoint has no valid host name (expected sb://<namespace>.servicebus.windows.net/).', 'Endpoint');
  const namespace = hostPort[1].toLowerCase();
  if (hostPort[2] === undefined) return { namespace, port: emulator ? DEFAULT_EMULATOR_PORT : undefined };
  const port = Number(hostPort[2]);
  if (port < 1 || port > 65535) throw fail('Endpoint port must be between 1 and 65535.', 'Endpoint');
  return { namespace, port };
}

/** A DNS name (labels of letters, digits and inner '-', at most 63 each, one trailing '.' allowed), an IPv4 or a bracketed IPv6 address. */
function isHostName(host: string): boolean {
  if (host.startsWith('[')) return isIPv6(host.slice(1, -1));
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  return name.length > 0 && name.length <= 253 && name.split('.').every((label) => /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(label));
}

function parseBoolean(value: string, name: string): boolean {
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw fail(`${name} must be true or false.`, name);
}

function parseEntityPath(value: string | undefined): string {
  if (value === undefined || value === '') {
    throw fail(
      "EntityPath is missing: copy the connection string from the hybrid connection's own Shared access policies " +
        "(the namespace's string does not name the hybrid connection).",
      'EntityPath',
    );
  }
  const path = value.replace(/^\/+|\/+$/g, '');
  if (path === '' || path.length > 260 || !/^[A-Za-z0-9][A-Za-z0-9._~/-]*$/.test(path) || path.includes('//')) {
    throw fail('EntityPath must be a hybrid connection name: letters, digits, ".", "-", "_", "~" and "/" (at most 260).', 'EntityPath');
  }
  return path;
}

function parseCredentials(parts: Map<KnownKey, string>): Pick<HybridConnectionString, 'keyName' | 'key' | 'sharedAccessSignature'> {
  const keyName = parts.get('sharedaccesskeyname');
  const key = parts.get('sharedaccesskey');
  const signature = parts.get('sharedaccesssignature');
  if (signature !== undefined) {
    if (keyName !== undefined || key !== undefined) {
      throw fail('SharedAccessSignature cannot be combined with SharedAccessKeyName/SharedAccessKey; give one or the other.', 'SharedAccessSignature');
    }
    if (!/^SharedAccessSignature /i.test(signature) || !/(^|[ &])sig=/.test(signature)) {
      throw fail('SharedAccessSignature must be a token of the form "SharedAccessSignature sr=…&sig=…&se=…&skn=…".', 'SharedAccessSignature');
    }
    return { sharedAccessSignature: signature };
  }
  if (keyName === undefined && key === undefined) {
    throw fail('SharedAccessKeyName and SharedAccessKey are missing: the string needs a SAS policy name and its key.', 'SharedAccessKey');
  }
  if (key === undefined || key === '') throw fail('SharedAccessKey is missing or empty for the policy given in SharedAccessKeyName.', 'SharedAccessKey');
  if (keyName === undefined || keyName === '') throw fail('SharedAccessKeyName is missing: a SharedAccessKey needs the name of its policy.', 'SharedAccessKeyName');
  if (!/^[A-Za-z0-9._-]{1,256}$/.test(keyName)) {
    throw fail('SharedAccessKeyName may contain only letters, digits, ".", "-" and "_".', 'SharedAccessKeyName');
  }
  return { keyName, key };
}

function parseOperationTimeout(value: string | undefined): void {
  if (value !== undefined && !/^(\d+\.)?\d{1,2}:\d{2}:\d{2}(\.\d+)?$/.test(value)) {
    throw fail('OperationTimeout must be a time span such as 00:01:00.', 'OperationTimeout');
  }
}

/** Parses and validates a configuration string; throws InvalidConfigurationString naming the bad part. */
export function parseConfigurationString(input: unknown): HybridConnectionString {
  if (typeof input !== 'string' || input.trim() === '') {
    throw fail('The configuration string is empty: paste the Primary or Secondary Configuration String.');
  }
  if (input.length > MAX_CONFIGURATION_STRING_LENGTH) {
    throw fail(`The configuration string is ${input.length} characters long; at most ${MAX_CONFIGURATION_STRING_LENGTH} are accepted.`);
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (/[\u0000-\u001f\u007f]/.test(input.trim())) {
    throw fail('The configuration string contains control characters (a line break pasted by mistake?).');
  }
  const parts = splitParts(input.trim());
  const emulator = parts.has('usedevelopmentemulator') ? parseBoolean(parts.get('usedevelopmentemulator')!, 'UseDevelopmentEmulator') : false;
  const endpoint = parseEndpoint(parts.get('endpoint'), emulator);
  parseOperationTimeout(parts.get('operationtimeout'));
  const credentials = parseCredentials(parts);
  const entityPath = parseEntityPath(parts.get('entitypath'));
  return { ...endpoint, entityPath, ...credentials, emulator };
}

/** Formats a parsed string back into its canonical text (the key included: for storage, never for logs). */
export function formatConfigurationString(value: HybridConnectionString): string {
  const host = value.port !== undefined ? `${value.namespace}:${value.port}` : value.namespace;
  const parts = [`Endpoint=sb://${host}/`];
  if (value.sharedAccessSignature !== undefined) parts.push(`SharedAccessSignature=${value.sharedAccessSignature}`);
  else parts.push(`SharedAccessKeyName=${value.keyName}`, `SharedAccessKey=${value.key}`);
  parts.push(`EntityPath=${value.entityPath}`);
  if (value.emulator) parts.push('UseDevelopmentEmulator=true');
  return parts.join(';');
}

/** A short, secret-free description for logs and messages. */
export function describeHybridConnection(value: Pick<HybridConnectionString, 'namespace' | 'entityPath' | 'port'>): string {
  return `${value.namespace}${value.port !== undefined ? `:${value.port}` : ''}/${value.entityPath}`;
}

type HybridConnectionIdentity = Pick<HybridConnectionString, 'namespace' | 'entityPath' | 'port'>;

/** Two strings name the same hybrid connection when namespace, port and entity path match (case-insensitively). */
export function sameHybridConnection(a: HybridConnectionIdentity, b: HybridConnectionIdentity): boolean {
  return (
    a.namespace.toLowerCase() === b.namespace.toLowerCase() &&
    a.entityPath.toLowerCase() === b.entityPath.toLowerCase() &&
    (a.port ?? 443) === (b.port ?? 443)
  );
}
