/**
 * Relay URIs for one hybrid connection: wss://ns[:port]/$hc/… and https://ns[:port]/… (Azure, or
 * the local emulator in TLS mode with the Endpoint's port), or ws://host:port/$hc/… and
 * http://host:port/… when UseDevelopmentEmulator=true (the emulator's plain mode).
 */
import type { HybridConnectionString } from '../config/connection-string';
import { DEFAULT_EMULATOR_PORT } from '../config/connection-string';
import { createSasToken, CreateTokenOptions } from './sas';

export type RelayTarget = Pick<HybridConnectionString, 'namespace' | 'port' | 'entityPath' | 'emulator'>;

/**
 * host:port as a URI authority. An explicit Endpoint port is honoured for wss/https as for ws/http
 * (the relay emulator in TLS mode, a TLS front on another port); without one, Azure's 443 (written
 * out for WebSockets, as hyco-https does) or the emulator's 9351.
 */
function hostAndPort(target: RelayTarget, secure: boolean): string {
  const host = target.namespace.includes(':') && !target.namespace.startsWith('[') ? `[${target.namespace}]` : target.namespace;
  if (target.emulator) return `${host}:${target.port ?? DEFAULT_EMULATOR_PORT}`;
  if (target.port !== undefined) return `${host}:${target.port}`;
  return secure ? `${host}:443` : host;
}

function withQuery(base: string, query: Record<string, string | undefined>): string {
  const pairs = Object.entries(query)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`);
  return pairs.length === 0 ? base : `${base}${base.includes('?') ? '&' : '?'}${pairs.join('&')}`;
}

/** The listener's control channel: wss://ns:443/$hc/<path>?sb-hc-action=listen[&sb-hc-id=…]. */
export function listenUri(target: RelayTarget, options: { id?: string; token?: string } = {}): string {
  const scheme = target.emulator ? 'ws' : 'wss';
  return withQuery(`${scheme}://${hostAndPort(target, true)}/$hc/${target.entityPath}`, {
    'sb-hc-action': 'listen',
    'sb-hc-id': options.id,
    'sb-hc-token': options.token,
  });
}

/** A WebSocket sender's address: …/$hc/<path>?sb-hc-action=connect. */
export function connectUri(target: RelayTarget, options: { id?: string; token?: string } = {}): string {
  const scheme = target.emulator ? 'ws' : 'wss';
  return withQuery(`${scheme}://${hostAndPort(target, true)}/$hc/${target.entityPath}`, {
    'sb-hc-action': 'connect',
    'sb-hc-id': options.id,
    'sb-hc-token': options.token,
  });
}

/** An HTTP sender's address: https://ns/<path>[/suffix] (no $hc). `suffix` may carry a query. */
export function httpUri(target: RelayTarget, suffix = ''): string {
  const scheme = target.emulator ? 'http' : 'https';
  const tail = suffix === '' ? '' : suffix.startsWith('/') || suffix.startsWith('?') ? suffix : `/${suffix}`;
  return `${scheme}://${hostAndPort(target, false)}/${target.entityPath}${tail}`;
}

/** The audience a token for this hybrid connection is signed for: http://ns/<path>. */
export function tokenAudience(target: RelayTarget): string {
  return `http://${hostAndPort(target, false)}/${target.entityPath}`;
}

/** A token for this hybrid connection from a key (listen or send, depending on the rule's rights). */
export function createHybridConnectionToken(
  target: RelayTarget,
  keyName: string,
  key: string,
  options: CreateTokenOptions = {},
): string {
  return createSasToken(tokenAudience(target), keyName, key, options);
}

/**
 * The address a listener connects to in order to REJECT a WebSocket sender: the `accept` message's
 * address plus the documented sb-hc-statusCode / sb-hc-statusDescription parameters (the relay
 * answers that handshake with 410 Gone and hands the status to the sender).
 */
export function rejectUri(acceptAddress: string, statusCode: number, statusDescription: string): string {
  return withQuery(acceptAddress, {
    'sb-hc-statusCode': String(statusCode),
    'sb-hc-statusDescription': statusDescription,
  });
}
