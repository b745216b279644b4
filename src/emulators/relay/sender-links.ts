/**
 * Strict mode only: Azure keeps a response rendezvous for the sender's HTTP connection and sends
 * that connection's later requests over it, "for as long as the HTTPS socket connection with the
 * sender persists"; if the listener drops it, the service drops the sender's connection. This
 * remembers which rendezvous belongs to which sender connection.
 */
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import type { ListenerChannel } from './control-channel';
import type { HybridConnection } from './registry';
import { closeRendezvous } from './rendezvous';

export interface SenderLink {
  socket: WebSocket;
  listener: ListenerChannel;
  hybridConnection: HybridConnection;
  /** A request is in flight on it. */
  busy: boolean;
}

export class SenderLinks {
  private readonly links = new WeakMap<Socket, SenderLink>();

  /** The idle, open rendezvous of this sender connection for this hybrid connection, if any. */
  available(senderSocket: Socket, hybridConnection: HybridConnection): SenderLink | undefined {
    const link = this.links.get(senderSocket);
    if (!link || link.busy || link.hybridConnection !== hybridConnection || link.socket.readyState !== WebSocket.OPEN) return undefined;
    return link;
  }

  /** Binds a rendezvous to a sender connection; each one's end ends the other. */
  bind(senderSocket: Socket, link: SenderLink): void {
    const existing = this.links.get(senderSocket);
    if (existing?.socket === link.socket) {
      existing.busy = false;
      return;
    }
    this.links.set(senderSocket, link);
    link.socket.once('close', () => {
      if (this.links.get(senderSocket) === link) this.links.delete(senderSocket);
      // The listener dropped it: Azure drops the sender's connection (after what is already written).
      if (!senderSocket.destroyed) senderSocket.end();
    });
    senderSocket.once('close', () => closeRendezvous(link.socket, 1000, 'The sender closed its connection.'));
  }
}
