/**
 * Opens a TCP tunnel to host:port through an HTTP proxy with CONNECT (RFC 9110 §9.3.6), with
 * Basic proxy authentication when a user name is set. Every failure is a ProxyError saying which
 * side failed — the proxy itself, its authentication, or the proxy's way to the relay — and never
 * holding the password.
 */
import net from 'node:net';
import type { ResolvedProxy } from './proxy-config';

/** unreachable: no TCP to the proxy; auth: 407; refused: the proxy said no (403…); upstream: it could not reach the relay (502/503/504); protocol: not an HTTP answer. */
export type ProxyFailure = 'unreachable' | 'auth' | 'auth-unsupported' | 'refused' | 'upstream' | 'protocol';

export class ProxyError extends Error {
  constructor(
    readonly failure: ProxyFailure,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ProxyError';
  }
}

const MAX_HEADER_BYTES = 16 * 1024;
const DEFAULT_TIMEOUT_MS = 20_000;

/** The schemes a 407 offers, from its Proxy-Authenticate header lines. */
export function offeredSchemes(headerLines: string[]): string[] {
  return headerLines
    .filter((line) => /^proxy-authenticate\s*:/i.test(line))
    .map((line) => line.slice(line.indexOf(':') + 1).trim().split(/[\s,]/)[0])
    .filter((scheme) => scheme !== '');
}

function authorization(proxy: ResolvedProxy): string | undefined {
  if (proxy.username === undefined) return undefined;
  return `Basic ${Buffer.from(`${proxy.username}:${proxy.password ?? ''}`, 'utf8').toString('base64')}`;
}

/** What a refusing answer means, in words for an operator. */
function failureFor(proxy: ResolvedProxy, target: string, status: number, reason: string, headerLines: string[]): ProxyError {
  const where = `The proxy ${proxy.display} (from ${proxy.source})`;
  if (status === 407) {
    const schemes = offeredSchemes(headerLines);
    if (schemes.length > 0 && !schemes.some((s) => s.toLowerCase() === 'basic')) {
      return new ProxyError('auth-unsupported', `${where} asks for ${schemes.join(' or ')} authentication (407), which hcm does not support (only Basic): have the proxy let ${target} through without authentication, or enable Basic authentication for it.`, status);
    }
    if (proxy.username === undefined) {
      return new ProxyError('auth', `${where} needs a user name and password (407 Proxy Authentication Required): give http://user@host:port as the proxy and the password in HCM_PROXY_PASSWORD (or -ProxyCredential on the installer).`, status);
    }
    return new ProxyError('auth', `${where} refused the user name and password of ${proxy.username} (407 Proxy Authentication Required): check them (the password comes from ${proxy.password === undefined ? 'nowhere: set HCM_PROXY_PASSWORD' : 'the proxy setting or HCM_PROXY_PASSWORD'}).`, status);
  }
  if (status === 502 || status === 503 || status === 504) {
    return new ProxyError('upstream', `${where} could not reach the relay at ${target} (${status} ${reason}): the relay, its DNS name or the network beyond the proxy is down.`, status);
  }
  return new ProxyError('refused', `${where} refused the tunnel to ${target} (${status} ${reason}): ask for CONNECT to ${target} to be allowed.`, status);
}

/** Resolves with a socket connected (through the proxy) to host:port; rejects with a ProxyError. */
export function openTunnel(proxy: ResolvedProxy, host: string, port: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<net.Socket> {
  const target = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: proxy.host, port: proxy.port });
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (error: ProxyError | undefined) => {
      if (settled) return;
      settled = true;
      socket.setTimeout(0);
      socket.removeListener('data', onData);
      if (error) {
        socket.destroy();
        reject(error);
      } else resolve(socket);
    };
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) {
        if (received.length > MAX_HEADER_BYTES) finish(new ProxyError('protocol', `The proxy ${proxy.display} sent an answer to CONNECT with headers over ${MAX_HEADER_BYTES} bytes.`));
        return;
      }
      const lines = received.subarray(0, end).toString('latin1').split('\r\n');
      const status = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(lines[0]);
      if (!status) return finish(new ProxyError('protocol', `The proxy ${proxy.display} did not answer CONNECT with HTTP (is ${proxy.display} an HTTP proxy?).`));
      if (status[1] !== '200') return finish(failureFor(proxy, target, Number(status[1]), status[2] ?? '', lines.slice(1)));
      // Anything after the header already belongs to the tunnelled connection.
      const rest = received.subarray(end + 4);
      finish(undefined);
      if (rest.length > 0) socket.unshift(rest);
    };
    socket.on('data', onData);
    socket.setTimeout(timeoutMs, () => finish(new ProxyError('unreachable', `The proxy ${proxy.display} (from ${proxy.source}) did not answer within ${timeoutMs / 1000} s.`)));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const how = error.code === 'ECONNREFUSED' ? 'connection refused (nothing listens there)' : error.code === 'ENOTFOUND' ? 'its name does not resolve' : error.code ?? error.message;
      finish(new ProxyError(received.length === 0 ? 'unreachable' : 'protocol', `Cannot reach the proxy ${proxy.display} (from ${proxy.source}): ${how}.`));
    });
    socket.once('close', () => finish(new ProxyError(received.length === 0 ? 'unreachable' : 'protocol', `The proxy ${proxy.display} closed the connection before answering CONNECT to ${target}.`)));
    socket.once('connect', () => {
      const auth = authorization(proxy);
      socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${auth ? `Proxy-Authorization: ${auth}\r\n` : ''}\r\n`);
    });
  });
}
