/**
 * Which HTTP proxy a relay connection goes through, if any. Only relay connections (control
 * channel, every rendezvous, WebSocket rejections, the doctor's relay check) ask this; the
 * connector's and SQL Server's connections never do.
 *
 * The manifest's `proxy` setting wins; otherwise HTTP_PROXY applies to ws:// and HTTPS_PROXY to
 * wss:// (lower-case spellings first, as curl reads them). Unlike many tools, loopback is not
 * exempt: a relay emulator on 127.0.0.1 goes through the proxy too, unless NO_PROXY names it.
 * The password is user:pass@ in the URL, else the manifest's stored one, else HCM_PROXY_PASSWORD.
 */

import type { ManifestProxy } from '../../config/manifest';

/** The manifest's form ("proxy" at the top of hcm.json): the URL is stored without credentials. */
export type ProxySetting = ManifestProxy;

export interface ResolvedProxy {
  host: string;
  port: number;
  username?: string;
  password?: string;
  /** http://host:port — safe to print and log (never has credentials). */
  display: string;
  /** Where it came from: "the manifest", "HTTPS_PROXY", … */
  source: string;
}

/** A proxy URL that cannot be used; the message never holds its password. */
export class ProxyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProxyConfigError';
  }
}

/** Splits a proxy URL (http://[user[:pass]@]host[:port][/]) into a setting; throws ProxyConfigError. */
export function parseProxyUrl(text: string, what = 'The proxy URL'): ProxySetting {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text.trim()) ? text.trim() : `http://${text.trim()}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ProxyConfigError(`${what} is not a URL; give http://host:port (or http://user@host:port).`);
  }
  if (url.protocol !== 'http:') {
    throw new ProxyConfigError(`${what} uses ${url.protocol}//; only http:// proxies are supported (the tunnel to the relay is still TLS end to end for wss://).`);
  }
  if (url.hostname === '') throw new ProxyConfigError(`${what} has no host name.`);
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    throw new ProxyConfigError(`${what} may not have a path or query; give http://host:port.`);
  }
  const setting: ProxySetting = { url: `http://${url.host}` };
  if (url.username !== '') setting.username = decodeURIComponent(url.username);
  if (url.password !== '') setting.password = decodeURIComponent(url.password);
  return setting;
}

/** The settings' URL as host, port and a printable form. */
export function resolveProxy(setting: ProxySetting, source: string, env: NodeJS.ProcessEnv = process.env): ResolvedProxy {
  const parsed = parseProxyUrl(setting.url, `The proxy URL from ${source}`);
  const url = new URL(parsed.url);
  const username = setting.username ?? parsed.username;
  const password = setting.password ?? parsed.password ?? (username !== undefined ? env.HCM_PROXY_PASSWORD : undefined);
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return {
    host,
    port: url.port === '' ? 80 : Number(url.port),
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    display: `http://${url.host}`,
    source,
  };
}

function envValue(env: NodeJS.ProcessEnv, name: string): { name: string; value: string } | undefined {
  for (const spelling of [name.toLowerCase(), name]) {
    const value = env[spelling];
    if (value !== undefined && value.trim() !== '') return { name: spelling, value: value.trim() };
  }
  return undefined;
}

/** True when NO_PROXY (comma or space separated: names, .suffixes, *.suffixes, host:port, IPs, *) covers host:port. */
export function bypassesProxy(host: string, port: number, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const target = host.replace(/^\[|\]$/g, '').toLowerCase();
  return noProxy.split(/[\s,]+/).some((raw) => {
    const entry = raw.trim().toLowerCase();
    if (entry === '') return false;
    if (entry === '*') return true;
    const { name, port: entryPort } = splitHostPort(entry);
    if (entryPort !== undefined && entryPort !== port) return false;
    const suffix = name.replace(/^\*?\./, '.');
    if (suffix.startsWith('.')) return target.endsWith(suffix) || target === suffix.slice(1);
    return target === name;
  });
}

/** "[::1]:80" → ::1 and 80; "::1" → ::1; "relay.local:9351" → relay.local and 9351. */
function splitHostPort(entry: string): { name: string; port?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { name: bracketed[1], ...(bracketed[2] ? { port: Number(bracketed[2]) } : {}) };
  const withPort = /^([^:]+):(\d+)$/.exec(entry);
  if (withPort) return { name: withPort[1], port: Number(withPort[2]) };
  return { name: entry };
}

/**
 * The proxy for a relay connection to `address` (ws://, wss://, http:// or https://), or undefined
 * for a direct connection. Throws ProxyConfigError for an unusable proxy URL.
 */
export function proxyForAddress(address: string, manifestProxy: ProxySetting | undefined, env: NodeJS.ProcessEnv = process.env): ResolvedProxy | undefined {
  const url = new URL(address);
  const secure = url.protocol === 'wss:' || url.protocol === 'https:';
  const port = url.port === '' ? (secure ? 443 : 80) : Number(url.port);
  if (bypassesProxy(url.hostname, port, envValue(env, 'NO_PROXY')?.value)) return undefined;
  if (manifestProxy) return resolveProxy(manifestProxy, 'the manifest', env);
  const fromEnv = envValue(env, secure ? 'HTTPS_PROXY' : 'HTTP_PROXY');
  if (!fromEnv) return undefined;
  return resolveProxy(parseProxyUrl(fromEnv.value, `The proxy URL in ${fromEnv.name}`), fromEnv.name, env);
}
