/**
 * HTTP senders (`/<hybrid connection>/…`): authorises the sender, picks a listener and forwards
 * the request — on the control channel as a `request` message plus at most one binary body
 * message when it is small (≤64 kB body, ≤32 kB metadata, known length), otherwise as a
 * rendezvous pointer ({address, id}) so the listener fetches it over its own socket. Relays the
 * listener's response; answers 502/504 when the listener disappears or is too slow. By default a
 * rendezvous is closed after its response; in strict mode it is kept for the sender's connection.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import WebSocket from 'ws';
import { logAccess, Logger } from '../../common/logger';
import { redactText } from '../../common/redact';
import type { Authorizer } from './auth/authorizer';
import { MAX_CONTROL_CHANNEL_BODY_BYTES, MAX_CONTROL_CHANNEL_HEADER_BYTES } from './constants';
import type { ListenerChannel } from './control-channel';
import type { ResponseHead } from './listener-frames';
import type { RelayAddress } from './relay-address';
import { parseRelayAddress } from './relay-address';
import { RelayError, relayErrors, rejectUpgrade, sendHttpError, TrackingContext, trackingContext } from './relay-errors';
import { RelayedRequest } from './relayed-request';
import { HybridConnection, HybridConnectionRegistry, listenerCriteria } from './registry';
import {
  closeRendezvous,
  newRendezvousId,
  rendezvousAddress,
  RendezvousTable,
  RequestMetadata,
  sendRequestOnRendezvous,
  watchRendezvousSocket,
} from './rendezvous';
import { forwardedRequestHeaders, remoteEndpoint, requestHasBody, requestTarget } from './request-message';
import { SenderLinks } from './sender-links';

export interface HttpSenderDeps {
  registry: HybridConnectionRegistry;
  authorizer: Authorizer;
  logger: Logger;
  settings: { responseTimeoutMs: number; strict: boolean };
}

interface Undelivered {
  metadata: RequestMetadata;
  hasBody: boolean;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.destroy();
        reject(new Error('The body is longer than announced.'));
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('The sender aborted.')));
  });
}

export class HttpSender {
  /** Requests waiting for their response, by request id. */
  readonly requests = new Map<string, RelayedRequest>();
  readonly rendezvous = new RendezvousTable<RelayedRequest>();
  private readonly undelivered = new WeakMap<RelayedRequest, Undelivered>();
  private readonly links = new SenderLinks();

  constructor(private readonly deps: HttpSenderDeps) {}

  handle(req: IncomingMessage, res: ServerResponse): void {
    const address = parseRelayAddress(req.url);
    const tracking = trackingContext(req.headers.host, address.path, address.param('sb-hc-id'));
    const match = address.isHc ? undefined : this.deps.registry.match(address.path);
    this.logWhenDone(req, res, tracking, match?.hybridConnection);
    if (!match) return this.refuse(req, res, relayErrors.endpointNotFound(), tracking);
    const hybridConnection = match.hybridConnection;
    const decision = this.deps.authorizer.authorizeSender(req, address, hybridConnection);
    if (decision.outcome === 'rejected') return this.refuse(req, res, decision.error, tracking);
    this.forward(req, res, tracking, hybridConnection, decision.source === 'Authorization');
  }

  /** Picks the listener (or, strict mode, the connection's rendezvous) and sends the request on its way. */
  private forward(req: IncomingMessage, res: ServerResponse, tracking: TrackingContext, hybridConnection: HybridConnection, usedAuthorization: boolean): void {
    const link = this.deps.settings.strict ? this.links.available(req.socket, hybridConnection) : undefined;
    const listener = link?.listener ?? hybridConnection.pickListener(listenerCriteria(req.headers));
    if (listener === 'none') return this.refuse(req, res, relayErrors.noListeners(502), tracking);
    if (listener === 'filtered') return this.refuse(req, res, relayErrors.noListenerMeetsCriteria(), tracking);
    const viaHost = req.headers.host ?? 'localhost';
    // The id is random, not the sender's sb-hc-id: it is also the key of the rendezvous address.
    const request = new RelayedRequest({ id: newRendezvousId(), hybridConnection, listener, req, res, tracking, viaHost });
    const metadata: RequestMetadata = {
      id: request.id,
      requestTarget: requestTarget(req.url),
      method: req.method ?? 'GET',
      remoteEndpoint: remoteEndpoint(req.socket),
      requestHeaders: forwardedRequestHeaders(req.rawHeaders, { stripAuthorization: usedAuthorization, viaHost }),
    };
    this.track(request);
    request.armTimeout(this.deps.settings.responseTimeoutMs);
    const hasBody = requestHasBody(req.headers);
    if (link) {
      link.busy = true;
      request.rendezvous = link.socket;
      sendRequestOnRendezvous(link.socket, request, metadata, hasBody);
      return;
    }
    this.dispatch(request, listener, metadata, hasBody);
  }

  /** One access-log line per call, whatever its outcome (499: the sender left first). */
  private logWhenDone(req: IncomingMessage, res: ServerResponse, tracking: TrackingContext, hybridConnection: HybridConnection | undefined): void {
    const started = Date.now();
    const target = redactText(requestTarget(req.url));
    res.on('close', () => {
      const status = res.writableFinished ? res.statusCode : 499;
      logAccess(this.deps.logger, { method: req.method ?? '?', target, status, ms: Date.now() - started, correlationId: tracking.trackingId, hybridConnection: hybridConnection?.name });
    });
  }

  /** Sends the request to the listener: inline when small and of known length, else as a pointer. */
  private dispatch(request: RelayedRequest, listener: ListenerChannel, metadata: RequestMetadata, hasBody: boolean): void {
    const address = rendezvousAddress(listener.relayOrigin, request.hybridConnection.name, 'request', request.id);
    // The listener may answer a large response over this address, so it exists in both forms.
    this.rendezvous.add(request.id, { action: 'request', hybridConnectionName: request.hybridConnection.name, target: request });
    const length = Number(request.req.headers['content-length'] ?? '0');
    const inline =
      request.req.headers['transfer-encoding'] === undefined &&
      length <= MAX_CONTROL_CHANNEL_BODY_BYTES &&
      Buffer.byteLength(JSON.stringify(metadata)) <= MAX_CONTROL_CHANNEL_HEADER_BYTES;
    const sendFailed = () => request.fail(relayErrors.listenerDisconnected());
    if (!inline) {
      this.undelivered.set(request, { metadata, hasBody });
      if (!listener.send({ request: { address, id: request.id } }, undefined, sendFailed)) sendFailed();
      return;
    }
    const body = hasBody ? readBody(request.req, MAX_CONTROL_CHANNEL_BODY_BYTES) : Promise.resolve(undefined);
    body.then(
      (bytes) => {
        if (request.settled) return;
        const message = { request: { address, ...metadata, body: hasBody } };
        if (!listener.send(message, bytes, sendFailed)) return sendFailed();
        request.delivered = true;
      },
      () => request.fail(relayErrors.badRequest('The request body could not be read.')),
    );
  }

  private track(request: RelayedRequest): void {
    this.requests.set(request.id, request);
    request.onSettled((outcome) => {
      this.requests.delete(request.id);
      this.rendezvous.remove(request.id);
      const socket = request.rendezvous;
      if (!socket) return;
      if (this.deps.settings.strict && outcome === 'responded' && socket.readyState === WebSocket.OPEN) {
        this.links.bind(request.req.socket, { socket, listener: request.listener, hybridConnection: request.hybridConnection, busy: false });
      } else if (outcome === 'abandoned') {
        closeRendezvous(socket, 1001, 'The sender disconnected.');
      } else {
        // Lenient mode: hyco-https reads no request on a response rendezvous, so none is sent there.
        closeRendezvous(socket, 1000, 'Response relayed.');
      }
    });
  }

  /** A listener connected to a request rendezvous address (`sb-hc-action=request`). */
  acceptRendezvous(req: IncomingMessage, socket: Duplex, head: Buffer, address: RelayAddress, server: WebSocketServer): void {
    const tracking = trackingContext(req.headers.host, address.path, undefined);
    const name = this.deps.registry.match(address.path)?.hybridConnection.name ?? address.path;
    const request = this.rendezvous.take(address.param('sb-hc-id'), 'request', name);
    if (!request || request.settled || request.rendezvous) return rejectUpgrade(socket, relayErrors.rendezvousNotFound(), tracking);
    server.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => undefined); // an unhandled 'error' would end the process; watchRendezvousSocket logs them
      if (request.settled) return closeRendezvous(ws, 1000, 'The request has ended.');
      request.rendezvous = ws;
      watchRendezvousSocket(ws, {
        findRequest: (id, on) => {
          const found = this.requests.get(id);
          return found && found.rendezvous === on ? found : undefined;
        },
        onClosed: (on) => this.onRendezvousClosed(on),
        logger: this.deps.logger,
      });
      const pending = this.undelivered.get(request);
      if (pending && !request.delivered) sendRequestOnRendezvous(ws, request, pending.metadata, pending.hasBody);
    });
  }

  /** A response on a control channel. */
  onControlChannelResponse(listener: ListenerChannel, head: ResponseHead, body: Buffer | undefined): void {
    const request = this.requests.get(head.requestId);
    if (request && request.listener === listener) request.respond(head, body);
    else this.deps.logger.warn({ hybridConnection: listener.hybridConnection.name }, 'Ignored a response for an unknown request on a control channel.');
  }

  /** A listener went away: its requests that have no rendezvous to answer on get a 502 now. */
  onListenerClosed(listener: ListenerChannel): void {
    for (const request of [...this.requests.values()]) {
      if (request.listener === listener && !request.rendezvous) request.fail(relayErrors.listenerDisconnected());
    }
  }

  /** Ends every request of a hybrid connection (deleted) or all of them (shutdown). */
  failAll(error: RelayError, hybridConnection?: HybridConnection): void {
    for (const request of [...this.requests.values()]) {
      if (!hybridConnection || request.hybridConnection === hybridConnection) request.fail(error);
    }
  }

  private onRendezvousClosed(socket: WebSocket): void {
    for (const request of [...this.requests.values()]) {
      if (request.rendezvous === socket) request.fail(relayErrors.listenerDisconnected());
    }
  }

  private refuse(req: IncomingMessage, res: ServerResponse, error: RelayError, tracking: TrackingContext): void {
    req.resume(); // drain the body the sender may still be sending
    sendHttpError(res, req.method, error, tracking);
  }
}
