/**
 * An http.Agent whose every connection is a CONNECT tunnel through a proxy (TLS on top for
 * wss:// and https://), for ws (hyco-https's 6.x and our 8.x) and https.request alike. A tunnel
 * failure reaches the request's 'error' as a ProxyError, so the relay listener can tell a proxy
 * problem from a relay one.
 */
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { openTunnel } from './connect-tunnel';
import type { ResolvedProxy } from './proxy-config';

type Callback = (error: Error | null, socket: Duplex) => void;

export class ProxyTunnelAgent extends http.Agent {
  /** http.ClientRequest checks this against the URL's scheme. */
  readonly protocol: 'http:' | 'https:';

  constructor(
    readonly proxy: ResolvedProxy,
    readonly secure: boolean,
  ) {
    super({ keepAlive: false });
    this.protocol = secure ? 'https:' : 'http:';
  }

  override createConnection(options: http.ClientRequestArgs, callback?: Callback): undefined {
    const done = callback!;
    const host = String(options.host ?? options.hostname ?? 'localhost');
    const port = Number(options.port ?? (this.secure ? 443 : 80));
    openTunnel(this.proxy, host, port).then(
      (socket) => {
        if (!this.secure) return done(null, socket);
        const { ca, cert, key, rejectUnauthorized, servername } = options as tls.ConnectionOptions;
        const secured = tls.connect({ socket, ca, cert, key, rejectUnauthorized, servername: servername || (net.isIP(host) ? undefined : host), ALPNProtocols: ['http/1.1'] });
        // The caller's request gets TLS errors (a bad certificate) through its own 'error'.
        done(null, secured);
      },
      (error: Error) => done(error, undefined as unknown as Duplex),
    );
    return undefined;
  }
}

const agents = new Map<string, ProxyTunnelAgent>();

/** One agent per proxy (with its credentials and where it came from, which its messages name) and scheme. */
export function agentFor(proxy: ResolvedProxy, secure: boolean): ProxyTunnelAgent {
  const key = JSON.stringify([proxy.host, proxy.port, proxy.username, proxy.password, proxy.source, secure]);
  let agent = agents.get(key);
  if (!agent) {
    agent = new ProxyTunnelAgent(proxy, secure);
    agents.set(key, agent);
  }
  return agent;
}
