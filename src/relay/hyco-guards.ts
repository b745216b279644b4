/**
 * Guards around hyco-https's message handling (relay-protocol.md §5.3). hyco-https assigns
 * `onmessage` on every control channel and request rendezvous; we wrap that handler so that:
 *  - B2: an `accept` message (a WebSocket sender) never reaches its crashing accept code; the
 *    owner rejects the sender instead;
 *  - B5: a binary frame nobody waits for, or a text frame that is not a JSON object, is dropped
 *    instead of throwing out of ws (an uncaught exception);
 *  - B3: the body frame is pushed with Readable.prototype.push, so a request whose prototype was
 *    swapped (as Express does) still gets its body and the channel does not stay wedged;
 *  - B4: the relay strips Content-Length and hyco-https synthesises none, so we set it from the
 *    body before anyone reads the request;
 *  - B17: a request left waiting for its body by a control channel that dropped is discarded
 *    when the next channel opens, instead of swallowing that channel's first message;
 * and any exception from hyco-https's own handler is caught and reported.
 */
import { Readable } from 'node:stream';
import type { HycoIncomingMessage, HycoServer, HycoWebSocket } from './hyco';

/** The request part of a relay `request` message, as far as the guards check it. */
export interface RequestMessage {
  address?: string;
  id?: string;
  requestTarget?: string;
  method?: string;
  body?: boolean;
  requestHeaders?: unknown;
  remoteEndpoint?: { address?: string; port?: number };
}

export interface AcceptMessage {
  address?: unknown;
  id?: unknown;
}

export interface GuardHooks {
  /** A WebSocket sender arrived (B2); the owner rejects it. */
  onAccept(accept: AcceptMessage): void;
  /** A well-formed request message is about to be handed to hyco-https. */
  onRequestMessage(request: RequestMessage, channel: HycoWebSocket): void;
  /** A request's body arrived and is in the stream (content-length set). */
  onBody(request: HycoIncomingMessage): void;
  /** A frame was dropped (B5). */
  onJunk(reason: string): void;
  /** A request lost its body because its channel dropped (B17). */
  onStaleRequest(request: HycoIncomingMessage): void;
  /** hyco-https threw while handling a message. */
  onHandlerError(error: unknown): void;
}

interface PendingHolder {
  pendingRequest?: HycoIncomingMessage | null;
}

/** Installs the guards on a hyco-https server; call before listen(). */
export function installGuards(server: HycoServer, hooks: GuardHooks): void {
  server.on('listening', () => {
    const stale = server.pendingRequest;
    if (stale) {
      server.pendingRequest = null;
      // No error argument: nobody listens on a request that was never handed out.
      Readable.prototype.destroy.call(stale);
      hooks.onStaleRequest(stale);
    }
    if (server.controlChannel) guardChannel(server.controlChannel, server, hooks);
  });
  // hyco-https registers its own 'requestchannel' listener in its constructor, so ours runs after
  // it has assigned onmessage, and wraps it.
  server.on('requestchannel', (channel: HycoWebSocket) => {
    guardChannel(channel, channel, hooks);
    // The same B17 loss on a rendezvous: it closed between a request and its body.
    channel.once('close', () => {
      const stale = channel.pendingRequest;
      if (!stale) return;
      channel.pendingRequest = null;
      Readable.prototype.destroy.call(stale);
      hooks.onStaleRequest(stale);
    });
  });
}

/** Wraps the onmessage handler hyco-https put on `channel`; `holder` owns its pendingRequest. */
export function guardChannel(channel: HycoWebSocket, holder: PendingHolder, hooks: GuardHooks): void {
  const original = channel.onmessage;
  if (!original) return;
  channel.onmessage = (event: { data: unknown }) => {
    try {
      handleFrame(channel, holder, hooks, original, event);
    } catch (error) {
      hooks.onHandlerError(error);
    }
  };
}

function handleFrame(
  channel: HycoWebSocket,
  holder: PendingHolder,
  hooks: GuardHooks,
  original: (event: { data: unknown }) => void,
  event: { data: unknown },
): void {
  const pending = holder.pendingRequest;
  if (pending) {
    holder.pendingRequest = null;
    deliverBody(pending, toBuffer(event.data));
    hooks.onBody(pending);
    return;
  }
  if (typeof event.data !== 'string') return hooks.onJunk('a binary frame arrived with no request waiting for a body');
  let message: unknown;
  try {
    message = JSON.parse(event.data);
  } catch {
    return hooks.onJunk('a text frame is not JSON');
  }
  if (!isObject(message)) return hooks.onJunk('a text frame is not a JSON object');
  if (isObject(message.accept)) return hooks.onAccept(message.accept as AcceptMessage);
  if (isObject(message.request)) {
    const request = message.request as RequestMessage;
    const problem = requestProblem(request);
    if (problem) return hooks.onJunk(problem);
    hooks.onRequestMessage(request, channel);
    original.call(channel, event);
    return;
  }
  // Other message kinds are not for listeners (hyco-https ignores them too).
  hooks.onJunk('a JSON message that is neither a request nor an accept');
}

/** B3/B4: push the one body message, with Content-Length synthesised from it. */
function deliverBody(request: HycoIncomingMessage, body: Buffer): void {
  request.headers['content-length'] = String(body.length);
  delete request.headers['transfer-encoding'];
  if (request.destroyed) return;
  Readable.prototype.push.call(request, body);
  Readable.prototype.push.call(request, null);
}

/** What would make hyco-https misbehave on this request message, or undefined. */
function requestProblem(request: RequestMessage): string | undefined {
  if (typeof request.method === 'string' && request.method !== '') {
    if (typeof request.requestTarget !== 'string' || !request.requestTarget.startsWith('/')) {
      return 'a request message has no requestTarget starting with "/"';
    }
    if (request.requestHeaders !== undefined && !isObject(request.requestHeaders)) return 'a request message has malformed headers';
    return undefined;
  }
  // The rendezvous-only form: only an address to connect to.
  if (typeof request.address !== 'string' || !/^wss?:\/\//i.test(request.address)) {
    return 'a rendezvous request message has no ws:// or wss:// address';
  }
  return undefined;
}

function toBuffer(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (Array.isArray(data)) return Buffer.concat(data.filter((part): part is Buffer => Buffer.isBuffer(part)));
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.alloc(0);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
