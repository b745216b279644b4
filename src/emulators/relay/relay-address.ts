/**
 * Parses the request line of anything that reaches the emulator into the parts the relay needs:
 * is it a `$hc` (WebSocket) address or an HTTP sender's, which entity path, which sb-hc-* values.
 * Never throws: a URL that cannot be parsed yields an address that matches no hybrid connection.
 */

export interface RelayAddress {
  /** The path with "/$hc" removed when present, no leading "/", percent-decoded where possible. */
  path: string;
  /** The raw query without "?" ('' when none). */
  rawQuery: string;
  /** True for /$hc/… (listeners, WebSocket senders, rendezvous). */
  isHc: boolean;
  /** True for /$management/…. */
  isManagement: boolean;
  /** Query parameter values by lower-cased name (first occurrence wins). */
  param(name: string): string | undefined;
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function parseQuery(rawQuery: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const piece of rawQuery.split('&')) {
    if (piece === '') continue;
    const equals = piece.indexOf('=');
    const rawName = equals < 0 ? piece : piece.slice(0, equals);
    const rawValue = equals < 0 ? '' : piece.slice(equals + 1);
    const name = decodePath(rawName.replace(/\+/g, ' ')).toLowerCase();
    if (!values.has(name)) values.set(name, decodePath(rawValue.replace(/\+/g, ' ')));
  }
  return values;
}

export function parseRelayAddress(url: string | undefined): RelayAddress {
  const target = typeof url === 'string' ? url : '/';
  const question = target.indexOf('?');
  const rawPath = question < 0 ? target : target.slice(0, question);
  const rawQuery = question < 0 ? '' : target.slice(question + 1);
  // Absolute-form targets (proxies) keep only their path.
  const pathOnly = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.test(rawPath) ? rawPath.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '') : rawPath;
  let path = decodePath(pathOnly).replace(/^\/+/, '');
  const isHc = /^\$hc(\/|$)/i.test(path);
  const isManagement = /^\$management(\/|$)/i.test(path);
  if (isHc) path = path.replace(/^\$hc\/?/i, '');
  const query = parseQuery(rawQuery);
  return { path, rawQuery, isHc, isManagement, param: (name) => query.get(name.toLowerCase()) };
}
