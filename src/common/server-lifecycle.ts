/**
 * One lifecycle for every long-running server (Azurite's pattern): an explicit status, start()
 * and close() that refuse an illegal state, and address() that reports the port actually bound.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:net';

export type ServerStatus = 'Closed' | 'Starting' | 'Running' | 'Closing';

export abstract class LifecycleServer {
  private currentStatus: ServerStatus = 'Closed';

  get status(): ServerStatus {
    return this.currentStatus;
  }

  async start(): Promise<void> {
    if (this.currentStatus !== 'Closed') throw new Error(`Cannot start: the server is ${this.currentStatus}.`);
    this.currentStatus = 'Starting';
    try {
      await this.onStart();
      this.currentStatus = 'Running';
    } catch (error) {
      this.currentStatus = 'Closed';
      await this.onClose().catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.currentStatus !== 'Running') throw new Error(`Cannot close: the server is ${this.currentStatus}.`);
    this.currentStatus = 'Closing';
    try {
      await this.onClose();
    } finally {
      this.currentStatus = 'Closed';
    }
  }

  protected abstract onStart(): Promise<void>;
  protected abstract onClose(): Promise<void>;
}

/** Listens on host:port (port 0 = any free port) and resolves once bound, or rejects with a clear message. */
export function listen(server: Server, port: number | string, host?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') {
        reject(Object.assign(new Error(`Port ${port} on ${host ?? 'localhost'} is already in use; choose another port or stop what holds it.`), { code: error.code }));
      } else reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    if (typeof port === 'string' && !/^\d+$/.test(port)) server.listen(port);
    else server.listen(Number(port), host);
  });
}

/** The TCP port a server is bound to (throws when it listens on a pipe or is not listening). */
export function boundPort(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The server is not listening on a TCP port.');
  return (address as AddressInfo).port;
}

/** Closes a server and resolves when it has stopped (idle keep-alive sockets are closed too). */
export function closeServer(server: Server & { closeAllConnections?: () => void }): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) return resolve();
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections?.();
  });
}

/**
 * Sites answer on [::1] as well as 127.0.0.1 when the host has IPv6 (DESIGN: loopback only), so
 * `http://localhost:<port>` works whichever address localhost resolves to first. The twin is a
 * second http.Server on the same port sharing the first one's request handlers. Resolves to
 * undefined when the host has no IPv6 loopback or the port is a pipe or socket path.
 */
export async function listenOnIpv6Loopback(server: http.Server, port: number | string): Promise<http.Server | undefined> {
  if (typeof port === 'string' && !/^\d+$/.test(port)) return undefined;
  const twin = http.createServer();
  for (const handler of server.listeners('request')) twin.on('request', handler as (...args: unknown[]) => void);
  twin.keepAliveTimeout = server.keepAliveTimeout;
  twin.headersTimeout = server.headersTimeout;
  try {
    await listen(twin, Number(port), '::1');
    return twin;
  } catch {
    // No IPv6 on this host (EADDRNOTAVAIL, EAFNOSUPPORT), or ::1 taken: 127.0.0.1 still serves.
    return undefined;
  }
}
