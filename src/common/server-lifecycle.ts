/**
 * One lifecycle for every long-running server (Azurite's pattern): an explicit status, start()
 * and close() that refuse an illegal state, and address() that reports the port actually bound.
 */
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
