/**
 * The process-wide proxy choice for relay connections: the listener site sets the manifest's
 * proxy setting (and keeps it in step with the manifest); everything that opens a relay
 * connection asks relayAgentFor(address). Process-wide because hyco-https opens rendezvous
 * sockets that cannot be traced back to their listener (see hyco.ts).
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { agentFor } from './proxy-agent';
import { ProxyError } from './connect-tunnel';
import { ProxyConfigError, ProxySetting, ResolvedProxy, proxyForAddress } from './proxy-config';

let manifestProxy: ProxySetting | undefined;
let environment: NodeJS.ProcessEnv = process.env;

/** Sets the manifest's proxy (undefined: environment only) and the environment to read. */
export function useRelayProxy(setting: ProxySetting | undefined, env: NodeJS.ProcessEnv = process.env): void {
  manifestProxy = setting ? { ...setting } : undefined;
  environment = env;
}

/** The proxy a relay connection to `address` goes through (throws ProxyConfigError on a bad URL). */
export function relayProxyFor(address: string): ResolvedProxy | undefined {
  return proxyForAddress(address, manifestProxy, environment);
}

/** Fails every connection with the configuration problem, so it shows as the listener's last error. */
class MisconfiguredProxyAgent extends http.Agent {
  constructor(
    private readonly problem: string,
    readonly protocol: string,
  ) {
    super();
  }

  override createConnection(_options: http.ClientRequestArgs, callback?: (error: Error | null, socket: Duplex) => void): undefined {
    process.nextTick(() => callback!(new ProxyError('refused', this.problem), undefined as unknown as Duplex));
    return undefined;
  }
}

/** The agent for a relay connection to `address`, or undefined to connect directly. */
export function relayAgentFor(address: string): http.Agent | undefined {
  const secure = /^(wss|https):/i.test(address);
  try {
    const proxy = relayProxyFor(address);
    return proxy ? agentFor(proxy, secure) : undefined;
  } catch (error) {
    if (error instanceof ProxyConfigError) return new MisconfiguredProxyAgent(error.message, secure ? 'https:' : 'http:');
    throw error;
  }
}

/** One line for the log and status: which proxy relay connections use (never a password). */
export function describeRelayProxy(): string {
  const sample = (scheme: string) => {
    try {
      const proxy = relayProxyFor(`${scheme}://relay.invalid/`);
      return proxy ? `${proxy.display} (from ${proxy.source}${proxy.username !== undefined ? `, Basic authentication as ${proxy.username}` : ''})` : 'direct';
    } catch (error) {
      return `unusable: ${(error as Error).message}`;
    }
  };
  const ws = sample('ws');
  const wss = sample('wss');
  const noProxy = environment.no_proxy ?? environment.NO_PROXY;
  const bypass = noProxy ? `; NO_PROXY=${noProxy}` : '';
  return ws === wss ? `Relay connections: ${ws}${bypass}.` : `Relay connections: wss:// ${wss}, ws:// ${ws}${bypass}.`;
}
