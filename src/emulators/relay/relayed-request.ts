/**
 * One HTTP sender's request on its way through the relay: who it went to, where its response
 * may come from (the listener's control channel or a rendezvous socket), its deadline, and how it
 * ends — relayed response, relay error, or the sender gone. It ends exactly once.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type WebSocket from 'ws';
import type { ListenerChannel } from './control-channel';
import type { ResponseHead } from './listener-frames';
import type { HybridConnection } from './registry';
import { RelayError, relayErrors, sendHttpError, TrackingContext } from './relay-errors';
import { relayedResponseHeaders } from './request-message';

export type Outcome = 'responded' | 'failed' | 'abandoned';

export interface RelayedRequestInit {
  id: string;
  hybridConnection: HybridConnection;
  listener: ListenerChannel;
  req: IncomingMessage;
  res: ServerResponse;
  tracking: TrackingContext;
  viaHost: string;
}

const NO_BODY_STATUS = new Set([204, 304]);

export class RelayedRequest {
  readonly id: string;
  readonly hybridConnection: HybridConnection;
  readonly listener: ListenerChannel;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly tracking: TrackingContext;
  readonly startedAt = Date.now();
  /** The rendezvous socket this request's response may arrive on, once the listener opened one. */
  rendezvous: WebSocket | undefined;
  /** The full request (metadata and body) has reached the listener. */
  delivered = false;
  outcome: Outcome | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly settledListeners: Array<(outcome: Outcome) => void> = [];
  private readonly viaHost: string;

  constructor(init: RelayedRequestInit) {
    this.id = init.id;
    this.hybridConnection = init.hybridConnection;
    this.listener = init.listener;
    this.req = init.req;
    this.res = init.res;
    this.tracking = init.tracking;
    this.viaHost = init.viaHost;
    // The sender going away before the answer is written abandons the request.
    init.res.on('close', () => {
      if (!init.res.writableFinished) this.settle('abandoned');
    });
  }

  get settled(): boolean {
    return this.outcome !== undefined;
  }

  /** Starts (or restarts) the deadline within which the listener must respond. */
  armTimeout(timeoutMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fail(relayErrors.responseTimeout(Math.round(timeoutMs / 1000))), timeoutMs);
  }

  onSettled(listener: (outcome: Outcome) => void): void {
    if (this.outcome) listener(this.outcome);
    else this.settledListeners.push(listener);
  }

  /** Relays the listener's response to the sender (502 when the response is unusable). */
  respond(head: ResponseHead, body: Buffer | undefined): void {
    if (this.settled) return;
    const status = head.statusCode;
    if (!Number.isInteger(status) || status < 200 || status > 599) {
      return this.fail(relayErrors.invalidListenerResponse('Its statusCode is not a number from 200 to 599.'));
    }
    const res = this.res;
    res.statusCode = status;
    if (head.statusDescription && /^[\x20-\x7e\t]{1,512}$/.test(head.statusDescription)) res.statusMessage = head.statusDescription;
    for (const [name, value] of relayedResponseHeaders(head.responseHeaders, this.viaHost)) {
      try {
        res.setHeader(name, value);
      } catch {
        // A header name or value Node refuses (control characters…) is dropped, not fatal.
      }
    }
    const bodyAllowed = this.req.method !== 'HEAD' && !NO_BODY_STATUS.has(status);
    res.end(bodyAllowed && body !== undefined && body.length > 0 ? body : undefined);
    this.settle('responded');
  }

  /** Answers the sender with a relay error. */
  fail(error: RelayError): void {
    if (this.settled) return;
    sendHttpError(this.res, this.req.method, error, this.tracking);
    this.settle('failed');
  }

  private settle(outcome: Outcome): void {
    if (this.settled) return;
    this.outcome = outcome;
    clearTimeout(this.timer);
    for (const listener of this.settledListeners.splice(0)) listener(outcome);
  }
}
