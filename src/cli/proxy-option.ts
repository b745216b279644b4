/**
 * `--proxy URL` of `hcm setup` (and -Proxy of the installer): the manifest's proxy for relay
 * connections. The URL is stored without credentials; a password given as user:pass@ or in
 * HCM_PROXY_PASSWORD is stored apart (the manifest is readable only by administrators and
 * NetworkService), and never printed.
 */
import type { Manifest, ManifestProxy } from '../config/manifest';
import { parseProxyUrl, ProxyConfigError } from '../relay/proxy/proxy-config';
import { UsageError } from './command';

/** "none" (or "off", "direct") removes the setting. */
export function proxySettingFromOption(text: string, env: NodeJS.ProcessEnv): ManifestProxy | null {
  if (/^(none|off|direct)$/i.test(text.trim())) return null;
  let parsed;
  try {
    parsed = parseProxyUrl(text, 'The --proxy URL');
  } catch (error) {
    if (error instanceof ProxyConfigError) throw new UsageError(error.message);
    throw error;
  }
  const setting: ManifestProxy = { url: parsed.url };
  if (parsed.username !== undefined) setting.username = parsed.username;
  const password = parsed.password ?? (parsed.username !== undefined ? env.HCM_PROXY_PASSWORD : undefined);
  if (password !== undefined) setting.password = password;
  if (password !== undefined && parsed.username === undefined) throw new UsageError('The --proxy URL has a password but no user name.');
  return setting;
}

/** The manifest with the proxy set (or removed for null). */
export function withProxy(manifest: Manifest, proxy: ManifestProxy | null): Manifest {
  const next = { ...manifest };
  if (proxy === null) delete next.proxy;
  else next.proxy = proxy;
  return next;
}

export function describeProxySetting(proxy: ManifestProxy | null | undefined): string {
  if (!proxy) return 'direct (HTTP_PROXY / HTTPS_PROXY / NO_PROXY of the listener\'s environment still apply)';
  return `${proxy.url}${proxy.username !== undefined ? ` as ${proxy.username}${proxy.password !== undefined ? ' (password stored)' : ' (no password: set HCM_PROXY_PASSWORD for the listener)'}` : ''}`;
}
