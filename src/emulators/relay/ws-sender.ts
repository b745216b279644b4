/**
 * WebSocket senders (`/$hc/<name>?sb-hc-action=connect`): the relay holds the sender's handshake,
 * sends an `accept` message to a listener chosen at random, and waits for that listener to open
 * the one-time accept address. Opened plainly, the two sockets are spliced (the sender's handshake
 * completes with the sub-protocol the listener picked); opened with `sb-hc-statusCode` and
 * `sb-hc-statusDescription` (or hyco-https's unprefixed `statusCode`/`statusDescription`), the
 * listener's handshake gets 410 and the sender's the listener's status and description.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import { logAccess, Logger } from '../../common/logger';
import type { Authorizer } from './auth/authorizer';
import { MAX_ACCEPT_WAIT_MS } from './constants';
import type { ListenerChannel } from './control-channel';
import type { RelayAddress } from './relay-address';
import { RelayError, relayErrors, rejectUpgrade, TrackingContext, trackingContext } from './relay-errors';
import { HybridConnection, HybridConnectionRegistry, listenerCriteria } from './registry';
import { newRendezvousId, rendezvousAddress, RendezvousTable } from './rendezvous';
import { remoteEndpoint } from './request-message';
import { splice } from './websocket-splice';

export interface PendingConnect {
  id: string;
  hybridConnection: HybridConnection;
  listener: ListenerChannel;
  req: IncomingMessage;
  socket: Duplex;
  head: Buffer;
  tracking: TrackingContext;
  startedAt: number;
  timer?: NodeJS.Timeout;
  done: boolean;
}

export interface WsSenderDeps {
  registry: HybridConnectionRegistry;
  authorizer: Authorizer;
  logger: Logger;
  settings: { responseTimeoutMs: number };
  /** The sub-protocol to answer each held sender handshake with (read by the server's handleProtocols). */
  chosenProtocols: WeakMap<IncomingMessage, string | false>;
}

/** All of the sender's handshake headers but its relay token. */
function connectHeaders(rawHeaders: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    if (name.toLowerCase() === 'servicebusauthorization') continue;
    headers[name] = headers[name] === undefined ? rawHeaders[i + 1] : `${headers[name]}, ${rawHeaders[i + 1]}`;
  }
  return headers;
}

function rejection(address: RelayAddress): { status: number; description: string } | undefined {
  const code = address.param('sb-hc-statusCode') ?? address.param('statusCode');
  if (code === undefined) return undefined;
  const status = /^\d{3}$/.test(code) && Number(code) >= 400 && Number(code) <= 599 ? Number(code) : 400;
  const description = address.param('sb-hc-statusDescription') ?? address.param('statusDescription') ?? 'Rejected by user code';
  return { status, description: description.slice(0, 500) || 'Rejected by user code' };
}

export class WsSender {
  readonly rendezvous = new RendezvousTable<PendingConnect>();
  private readonly pending = new Set<PendingConnect>();

  constructor(private readonly deps: WsSenderDeps) {}

  /** A sender's handshake: authorise, then hand it to a listener through an `accept` message. */
  connect(req: IncomingMessage, socket: Duplex, head: Buffer, address: RelayAddress): void {
    const tracking = trackingContext(req.headers.host, address.path, address.param('sb-hc-id'));
    const refuse = (error: RelayError) => {
      this.logAccess(req, error.status, Date.now(), tracking);
      rejectUpgrade(socket, error, tracking);
    };
    const match = this.deps.registry.match(address.path);
    if (!match) return refuse(relayErrors.endpointNotFound());
    const hybridConnection = match.hybridConnection;
    const decision = this.deps.authorizer.authorizeSender(req, address, hybridConnection);
    if (decision.outcome === 'rejected') return refuse(decision.error);
    const listener = hybridConnection.pickListener(listenerCriteria(req.headers));
    if (listener === 'none') return refuse(relayErrors.noListeners(404));
    if (listener === 'filtered') return refuse(relayErrors.noListenerMeetsCriteria());

    const connect: PendingConnect = { id: newRendezvousId(), hybridConnection, listener, req, socket, head, tracking, startedAt: Date.now(), done: false };
    const accept = {
      address: rendezvousAddress(listener.relayOrigin, hybridConnection.name, 'accept', connect.id),
      id: connect.id,
      connectHeaders: connectHeaders(req.rawHeaders),
      remoteEndpoint: remoteEndpoint(req.socket),
    };
    this.rendezvous.add(connect.id, { action: 'accept', hybridConnectionName: hybridConnection.name, target: connect });
    this.pending.add(connect);
    const waitMs = Math.min(this.deps.settings.responseTimeoutMs, MAX_ACCEPT_WAIT_MS);
    connect.timer = setTimeout(() => this.finish(connect, relayErrors.acceptTimeout(Math.round(waitMs / 1000))), waitMs);
    socket.on('error', () => undefined);
    socket.once('close', () => this.finish(connect));
    if (!listener.send({ accept })) this.finish(connect, relayErrors.listenerDisconnected());
  }

  /** The listener opened an accept address: splice, or pass its rejection to the sender. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer, address: RelayAddress, server: WebSocketServer): void {
    const tracking = trackingContext(req.headers.host, address.path, undefined);
    const name = this.deps.registry.match(address.path)?.hybridConnection.name ?? address.path;
    const connect = this.rendezvous.take(address.param('sb-hc-id'), 'accept', name);
    if (!connect || connect.done) return rejectUpgrade(socket, relayErrors.rendezvousNotFound(), tracking);
    const rejected = rejection(address);
    if (rejected) {
      rejectUpgrade(socket, relayErrors.rendezvousRejected(), tracking);
      return this.finish(connect, relayErrors.rejectedByListener(rejected.status, rejected.description));
    }
    server.handleUpgrade(req, socket, head, (listenerSocket) => {
      listenerSocket.on('error', () => undefined); // an unhandled 'error' would end the process; splice logs them
      if (connect.done || connect.socket.destroyed) {
        listenerSocket.close(1001, 'The sender went away.');
        return;
      }
      const offered = req.headers['sec-websocket-protocol'];
      this.deps.chosenProtocols.set(connect.req, typeof offered === 'string' ? offered.split(',')[0].trim() : false);
      this.finish(connect);
      this.logAccess(connect.req, 101, connect.startedAt, connect.tracking);
      server.handleUpgrade(connect.req, connect.socket, connect.head, (senderSocket) => splice(senderSocket, listenerSocket, this.deps.logger));
    });
  }

  /** Ends the wait of every held sender (a hybrid connection deleted, or shutdown). */
  failAll(error: RelayError, hybridConnection?: HybridConnection): void {
    for (const connect of [...this.pending]) {
      if (!hybridConnection || connect.hybridConnection === hybridConnection) this.finish(connect, error);
    }
  }

  /** A listener went away: the senders it was asked to accept get 502. */
  onListenerClosed(listener: ListenerChannel): void {
    for (const connect of [...this.pending]) if (connect.listener === listener) this.finish(connect, relayErrors.listenerDisconnected());
  }

  private finish(connect: PendingConnect, error?: RelayError): void {
    if (connect.done) return;
    connect.done = true;
    clearTimeout(connect.timer);
    this.rendezvous.remove(connect.id);
    this.pending.delete(connect);
    if (error) {
      this.logAccess(connect.req, error.status, connect.startedAt, connect.tracking);
      rejectUpgrade(connect.socket, error, connect.tracking);
    }
  }

  private logAccess(req: IncomingMessage, status: number, startedAt: number, tracking: TrackingContext): void {
    logAccess(this.deps.logger, {
      method: 'CONNECT',
      target: tracking.systemTracker,
      status,
      ms: Date.now() - startedAt,
      correlationId: tracking.trackingId,
      websocket: true,
      userAgent: req.headers['user-agent'],
    });
  }
}
