/**
 * Builds what the listener sees of an HTTP sender's request, and what the sender sees of the
 * listener's response (relay-protocol.md §1.2, §2.3, §3.2, §4):
 * - requestTarget keeps the hybrid connection's name; every `sb-hc-*=` query parameter is removed
 *   and nothing else (empty segments and a trailing "&" stay, as the SDK's QueryString test shows);
 * - the auth header that was used, ServiceBusAuthorization and hop-by-hop headers are removed,
 *   duplicate headers are joined with ", " (names keep the sender's casing), `Via` is added;
 * - on the way back framing headers are dropped (the relay frames the body itself) and `Via` added.
 */
import type { Socket } from 'node:net';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'trailers',
  'transfer-encoding',
  'upgrade',
  'content-length',
  'close',
]);

/** The request target as the listener gets it: path as sent, query without sb-hc-* parameters. */
export function requestTarget(url: string | undefined): string {
  const target = typeof url === 'string' && url.startsWith('/') ? url : '/';
  const question = target.indexOf('?');
  if (question < 0) return target;
  const kept = target
    .slice(question + 1)
    .split('&')
    // Only sb-hc-* parameters with a value go; empty segments stay, as Azure keeps them ("?&&&", "?&a=1").
    .filter((piece) => !/^sb-hc-[^=]*=/i.test(piece));
  const query = kept.join('&');
  // An empty query ("/hc?") reaches the listener as no query at all, as on Azure.
  return query === '' ? target.slice(0, question) : `${target.slice(0, question)}?${query}`;
}

function appendVia(existing: string | undefined, host: string): string {
  const hop = `1.1 ${host}`;
  return existing ? `${existing}, ${hop}` : hop;
}

export interface ForwardOptions {
  /** The Authorization header carried the relay token: remove it. */
  stripAuthorization: boolean;
  /** The host named in the Via header. */
  viaHost: string;
}

/** The request headers forwarded to the listener, from Node's rawHeaders (name, value, name, value…). */
export function forwardedRequestHeaders(rawHeaders: string[], options: ForwardOptions): Record<string, string> {
  const connectionListed = new Set<string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() === 'connection') {
      for (const token of rawHeaders[i + 1].split(',')) connectionListed.add(token.trim().toLowerCase());
    }
  }
  const byLowerName = new Map<string, { name: string; values: string[] }>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || connectionListed.has(lower) || lower === 'servicebusauthorization') continue;
    if (lower === 'authorization' && options.stripAuthorization) continue;
    const entry = byLowerName.get(lower);
    if (entry) entry.values.push(rawHeaders[i + 1]);
    else byLowerName.set(lower, { name, values: [rawHeaders[i + 1]] });
  }
  const headers: Record<string, string> = {};
  let via: string | undefined;
  for (const [lower, entry] of byLowerName) {
    if (lower === 'via') via = entry.values.join(', ');
    else headers[entry.name] = entry.values.join(', ');
  }
  headers.Via = appendVia(via, options.viaHost);
  return headers;
}

/** Whether an HTTP request carries a body (a length above zero, or any transfer coding). */
export function requestHasBody(headers: { 'content-length'?: string; 'transfer-encoding'?: string }): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = Number(headers['content-length'] ?? '0');
  return Number.isFinite(length) && length > 0;
}

/** The listener's response headers as the sender gets them: framing dropped, Via added. */
export function relayedResponseHeaders(headers: Record<string, string>, viaHost: string): Array<[string, string]> {
  const result: Array<[string, string]> = [];
  let via: string | undefined;
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower)) continue;
    if (lower === 'via') via = value;
    else result.push([name, value]);
  }
  result.push(['Via', appendVia(via, viaHost)]);
  return result;
}

/** The sender's address, as Azure reports it in `remoteEndpoint`. */
export function remoteEndpoint(socket: Socket): { address: string; port: number } {
  return { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
}
