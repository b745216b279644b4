/**
 * The relay check through the HTTP proxy relay connections use (the manifest's, else
 * HTTPS_PROXY / HTTP_PROXY unless NO_PROXY names the relay): it opens the same CONNECT tunnel the
 * listener would and says which of the three failed — the proxy (unreachable or refusing), the
 * proxy's authentication, or the relay beyond it.
 */
import tls from 'node:tls';
import { HybridConnectionString } from '../../config/connection-string';
import type { ManifestProxy } from '../../config/manifest';
import { openTunnel, ProxyError } from '../../relay/proxy/connect-tunnel';
import { listenUri } from '../../relay/uris';
import { proxyForAddress, ResolvedProxy } from '../../relay/proxy/proxy-config';
import { CheckResult, fail, pass, withDeadline } from './check';

const TIMEOUT_MS = 10_000;

/** The port the listener's control channel dials (an explicit Endpoint port, the emulator's, else 443). */
function relayPort(target: HybridConnectionString): number {
  const url = new URL(listenUri(target));
  return url.port === '' ? (url.protocol === 'wss:' ? 443 : 80) : Number(url.port);
}

/** The proxy the listener would use for this relay, or undefined (direct); throws on a bad proxy URL. */
export function proxyForRelay(target: HybridConnectionString, manifestProxy: ManifestProxy | undefined, env: NodeJS.ProcessEnv): ResolvedProxy | undefined {
  return proxyForAddress(`${target.emulator ? 'ws' : 'wss'}://${target.namespace}:${relayPort(target)}/`, manifestProxy, env);
}

export async function checkRelayThroughProxy(target: HybridConnectionString, proxy: ResolvedProxy): Promise<CheckResult[]> {
  const port = relayPort(target);
  const relay = `${target.namespace}:${port}`;
  const auth = proxy.username !== undefined ? `Basic as ${proxy.username}` : 'none';
  const names = { proxy: `proxy ${proxy.display} (from ${proxy.source})`, auth: `proxy authentication (${auth})`, relay: `relay ${relay} through the proxy` };
  let socket;
  try {
    socket = await withDeadline(openTunnel(proxy, target.namespace, port, TIMEOUT_MS), TIMEOUT_MS + 1_000, `CONNECT ${relay}`);
  } catch (error) {
    return proxyFailure(error, names, relay, proxy);
  }
  try {
    if (!target.emulator) await tlsHandshake(socket, target.namespace);
  } catch (error) {
    return [pass(names.proxy, 'answers CONNECT.'), pass(names.auth, 'accepted.'), fail(names.relay, `the tunnel opened but TLS with ${relay} failed: ${(error as Error).message}.`, 'A proxy that inspects TLS replaces the relay\'s certificate: exempt the relay host from inspection, or trust the proxy\'s CA with NODE_EXTRA_CA_CERTS.')];
  } finally {
    socket.destroy();
  }
  return [pass(names.proxy, 'answers CONNECT.'), pass(names.auth, proxy.username !== undefined ? 'accepted.' : 'none needed.'), pass(names.relay, `the proxy opened a tunnel to ${relay}${target.emulator ? '' : ' and TLS with the relay succeeded'}.`)];
}

function proxyFailure(error: unknown, names: { proxy: string; auth: string; relay: string }, relay: string, proxy: ResolvedProxy): CheckResult[] {
  const message = error instanceof Error ? error.message : String(error);
  const failure = error instanceof ProxyError ? error.failure : 'unreachable';
  const notTried = (name: string) => fail(name, 'not checked: the step before it failed.', 'Fix the failure above first.');
  switch (failure) {
    case 'auth':
    case 'auth-unsupported':
      return [pass(names.proxy, 'answers CONNECT.'), fail(names.auth, message, failure === 'auth' ? 'Set the proxy user with hcm setup --proxy http://user@host:port and the password in HCM_PROXY_PASSWORD (or -ProxyCredential on the installer).' : 'Ask for the relay host to be allowed without authentication, or for Basic authentication.'), notTried(names.relay)];
    case 'upstream':
      return [pass(names.proxy, 'answers CONNECT.'), pass(names.auth, 'accepted.'), fail(names.relay, message, `The proxy cannot reach ${relay}: check the relay's name and that the proxy may reach it on its port.`)];
    case 'refused':
      return [fail(names.proxy, message, `Ask the proxy's administrators to allow CONNECT to ${relay}.`), notTried(names.auth), notTried(names.relay)];
    default:
      return [fail(names.proxy, message, `Check the proxy address ${proxy.display} (from ${proxy.source}) and that this server may reach it.`), notTried(names.auth), notTried(names.relay)];
  }
}

function tlsHandshake(socket: import('node:net').Socket, servername: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const secured = tls.connect({ socket, servername }, () => {
      secured.destroy();
      resolve();
    });
    secured.setTimeout(TIMEOUT_MS, () => secured.destroy(new Error(`no TLS answer within ${TIMEOUT_MS / 1000} s`)));
    secured.once('error', reject);
  });
}
