/**
 * Rendezvous addresses: one-time, unguessable URLs the relay hands to a listener (`request.address`,
 * `accept.address`). They carry no token — the random id is the credential — and stop working once
 * used or once their request or connect has ended. Also the request rendezvous itself: when a
 * listener connects for an HTTP request, the relay sends the full request there if it has not
 * been delivered yet (the "pointer" form for large or chunked bodies), and reads the response.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { Logger } from '../../common/logger';
import { STREAM_HIGH_WATER_BYTES } from './constants';
import { toBuffer } from './control-channel';
import { ListenerFrameReader } from './listener-frames';
import type { RelayedRequest } from './relayed-request';

export type RendezvousAction = 'request' | 'accept';

export interface RendezvousEntry<T> {
  action: RendezvousAction;
  hybridConnectionName: string;
  target: T;
}

/** A fresh rendezvous id: 122 random bits, shaped like Azure's (…_G0). */
export function newRendezvousId(): string {
  return `${randomUUID().replace(/-/g, '')}_G0`;
}

/** `origin` is scheme://host[:port] (ws or wss), as the listener reached the relay or as --public-address says. */
export function rendezvousAddress(origin: string, hybridConnectionName: string, action: RendezvousAction, id: string): string {
  return `${origin}/$hc/${hybridConnectionName}?sb-hc-action=${action}&sb-hc-id=${encodeURIComponent(id)}`;
}

export class RendezvousTable<T> {
  private readonly entries = new Map<string, RendezvousEntry<T>>();

  add(id: string, entry: RendezvousEntry<T>): void {
    this.entries.set(id, entry);
  }

  /** Takes an entry out (one use only) when the action and hybrid connection match the address. */
  take(id: string | undefined, action: RendezvousAction, hybridConnectionName: string): T | undefined {
    if (id === undefined) return undefined;
    const entry = this.entries.get(id);
    if (!entry || entry.action !== action || entry.hybridConnectionName.toLowerCase() !== hybridConnectionName.toLowerCase()) return undefined;
    this.entries.delete(id);
    return entry.target;
  }

  remove(id: string): void {
    this.entries.delete(id);
  }

  clear(): void {
    this.entries.clear();
  }
}

/** The request metadata sent to a listener (everything but the address and body flag). */
export interface RequestMetadata {
  id: string;
  requestTarget: string;
  method: string;
  remoteEndpoint: { address: string; port: number };
  requestHeaders: Record<string, string>;
}

/**
 * Sends a full request on a rendezvous socket: the JSON, then (when there is a body) the sender's
 * body streamed as the fragments of ONE binary message, ending with a FIN frame. Honours
 * backpressure; stops when the request ends early.
 */
export function sendRequestOnRendezvous(socket: WebSocket, request: RelayedRequest, metadata: RequestMetadata, hasBody: boolean): void {
  socket.send(JSON.stringify({ request: { ...metadata, body: hasBody } }), { binary: false });
  if (!hasBody) {
    request.delivered = true;
    return;
  }
  const req = request.req;
  const stop = () => {
    req.off('data', onData);
    req.off('end', onEnd);
    req.resume(); // drain what is left so the sender's connection is not stuck
  };
  const onData = (chunk: Buffer) => {
    if (request.settled || socket.readyState !== WebSocket.OPEN) return stop();
    const backedUp = socket.bufferedAmount > STREAM_HIGH_WATER_BYTES;
    if (backedUp) req.pause();
    socket.send(chunk, { binary: true, fin: false }, () => {
      if (backedUp) req.resume();
    });
  };
  const onEnd = () => {
    if (request.settled || socket.readyState !== WebSocket.OPEN) return;
    socket.send(Buffer.alloc(0), { binary: true, fin: true });
    request.delivered = true;
  };
  req.on('data', onData);
  req.on('end', onEnd);
  req.resume();
}

export interface RendezvousSocketDeps {
  /** The request a response on this socket answers, if it belongs here. */
  findRequest(requestId: string, socket: WebSocket): RelayedRequest | undefined;
  /** The socket closed (the listener dropped it or the relay closed it). */
  onClosed(socket: WebSocket): void;
  logger: Logger;
}

/** Reads responses on a request rendezvous socket. */
export function watchRendezvousSocket(socket: WebSocket, deps: RendezvousSocketDeps): void {
  const reader = new ListenerFrameReader({
    onResponse: (head, body) => {
      const request = deps.findRequest(head.requestId, socket);
      if (request) request.respond(head, body);
      else deps.logger.warn('Ignored a response for an unknown request on a rendezvous socket.');
    },
    onJunk: (reason) => deps.logger.warn(`Ignored ${reason} on a rendezvous socket.`),
  });
  socket.on('message', (data, isBinary) => reader.push(toBuffer(data), isBinary));
  socket.on('error', (error) => deps.logger.debug({ err: error }, 'Rendezvous socket error.'));
  socket.on('close', () => deps.onClosed(socket));
}

/** Closes a rendezvous socket, forcibly if the listener does not finish the close handshake. */
export function closeRendezvous(socket: WebSocket, code = 1000, reason = ''): void {
  if (socket.readyState === WebSocket.CLOSED) return;
  try {
    socket.close(code, reason);
  } catch {
    socket.terminate();
  }
  setTimeout(() => socket.terminate(), 2000).unref();
}
