/**
 * One HTTP call relayed to us, in a form the listener app can use without knowing hyco-https:
 * method, target, headers (Content-Length synthesised, B4), the caller's address from the relay's
 * remoteEndpoint (hyco-https ignores it, B11), the body as a stream, a signal that fires when the
 * answer can no longer reach the caller, and a RelayedResponse.
 */
import type { Readable } from 'node:stream';
import type { HycoIncomingMessage, HycoServerResponse } from './hyco';
import type { RequestMessage } from './hyco-guards';
import { RelayedResponse, type ResponseHooks } from './relayed-response';

export type RelayedHeaders = Record<string, string | string[] | undefined>;

export interface RelayedCall {
  /** The relay's id for this request (its response carries it back). */
  id: string;
  method: string;
  /** Path and query as the sender used them; starts with /<hybrid connection name>. */
  target: string;
  /** Lower-case names; hop-by-hop headers are still in (the forwarder strips them). */
  headers: RelayedHeaders;
  /** The sender's IP address as the relay saw it, when the relay told us. */
  remoteAddress?: string;
  body: Readable;
  /** Aborted when the relay connection that must carry the answer closes first. */
  signal: AbortSignal;
  response: RelayedResponse;
}

/** Builds the call from hyco-https's request/response pair and the message they came from. */
export function toRelayedCall(
  request: HycoIncomingMessage,
  response: HycoServerResponse,
  message: RequestMessage | undefined,
  hooks: ResponseHooks,
): RelayedCall {
  const controller = new AbortController();
  const channel = request.socket;
  const onChannelClose = () => controller.abort(new Error('The relay connection closed before the response was sent.'));
  const detach = () => channel?.removeListener('close', onChannelClose);
  channel?.once('close', onChannelClose);
  // Once the answer is out, the channel closing is no longer the caller's concern.
  const relayed = new RelayedResponse(response, { ...hooks, onFinished: detach });
  const remote = message?.remoteEndpoint?.address;
  const call: RelayedCall = {
    id: response.requestId ?? message?.id ?? '',
    method: request.method,
    target: request.url,
    headers: request.headers,
    remoteAddress: typeof remote === 'string' && remote !== '' ? remote : undefined,
    body: request,
    signal: controller.signal,
    response: relayed,
  };
  return call;
}
