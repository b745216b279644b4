/**
 * Strict mode only: Azure keeps a response rendezvous for the sender's HTTP connection and sends
 * that connection's later requests over it, "for as long as the HTTPS socket connection with the
 * sender persists". The protocol document adds that the service drops the sender's connection when
 * the listener drops the rendezvous, but Azure does not (the SDK's tests, whose listener closes it
 * after every response, keep using one HttpClient connection): the link just ends. This remembers
 * which rendezvous belongs to which sender connection.
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
      // The listener closed it (the .NET listener does after every response): the sender's
      // connection stays, and its next request goes to a listener's control channel, as on Azure.
      // A request in flight on it gets 502 from the HTTP sender side.
      if (this.links.get(senderSocket) === link) this.links.delete(senderSocket);
    });
    senderSocket.once('close', () => closeRendezvous(link.socket, 1000, 'The sender closed its connection.'));
  }
}
