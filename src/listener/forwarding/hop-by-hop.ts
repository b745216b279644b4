/**
 * Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection, not the message, so a proxy
 * drops them in both directions, together with any header the Connection header names.
 */

export type HeaderMap = Record<string, string | string[] | undefined>;

export const HOP_BY_HOP_HEADERS = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'trailers',
  'transfer-encoding',
  'upgrade',
];

/** A copy of `headers` (lower-case names) without hop-by-hop headers and those Connection lists. */
export function withoutHopByHop(headers: HeaderMap): HeaderMap {
  const drop = new Set(HOP_BY_HOP_HEADERS);
  const connection = headers.connection;
  for (const value of Array.isArray(connection) ? connection : connection ? [connection] : []) {
    for (const name of value.split(',')) if (name.trim() !== '') drop.add(name.trim().toLowerCase());
  }
  const result: HeaderMap = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !drop.has(name.toLowerCase())) result[name.toLowerCase()] = value;
  }
  return result;
}
