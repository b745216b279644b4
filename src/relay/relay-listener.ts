/**
 * One outbound relay listener for one hybrid connection: hyco-https underneath, with its defects
 * contained and an explicit connection state of our own.
 *
 *   Connecting ──open──▶ Connected ──drop──▶ Reconnecting ──open──▶ Connected
 *        │                                      ▲   (our schedule: 1, 2, 4 s, then 5–10 s, forever)
 *        └──401/403/404──▶ Failed ──every rejectedRetryMs (60 s)──┘
 *   any ──close()──▶ Closed
 *
 * Contained here: B1 (never pass `id`; sb-hc-id is in the URI), B6 (close() during back-off: a
 * channel that opens after close is closed at once), B14 (the token is a function minting a fresh
 * token, renewed on our own timer well before expiry), keep-alive pongs (keepAliveTimeout), and
 * hyco-https's retry-forever on 401/403/404 (we pause it and retry slowly), and hyco-https's
 * reconnect schedule (up to 30 s between attempts; reconnect-schedule.ts). The message guards are
 * in hyco-guards.ts, the response guards in relayed-response.ts, B12 in response-rendezvous.ts.
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { errors } from '../common/errors';
import { Logger, silentLogger } from '../common/logger';
import { redactText } from '../common/redact';
import { HybridConnectionString, describeHybridConnection } from '../config/connection-string';
import { createHycoServer, HycoIncomingMessage, HycoServer, HycoServerResponse, HycoWebSocket, keepAliveDuration } from './hyco';
import { AcceptMessage, installGuards, RequestMessage } from './hyco-guards';
import { RelayedCall, toRelayedCall } from './relayed-call';
import { adoptResponseRendezvous } from './response-rendezvous';
import { classifyRelayError, describeClose } from './relay-errors';
import { ReconnectLoop } from './reconnect-loop';
import type { ReconnectSchedule, Timers } from './reconnect-schedule';
import { createHybridConnectionToken, listenUri } from './uris';
import { rejectWebSocketSender } from './websocket-reject';

export type RelayConnectionState = 'Connecting' | 'Connected' | 'Reconnecting' | 'Failed' | 'Closed';

export interface RelayListenerOptions {
  connection: HybridConnectionString;
  /** Called for every relayed HTTP call, once its body (if any) has arrived. */
  onCall(call: RelayedCall): void;
  logger?: Logger;
  /** Interval of the unsolicited keep-alive pongs (default 30 s; Azure drops idle sockets after ~4 min). */
  keepAliveMs?: number;
  /** Lifetime of each token (default 1 h). */
  tokenLifetimeSeconds?: number;
  /** How often a fresh token is sent on the open channel (default 20 min: well before expiry). */
  tokenRenewMs?: number;
  /** Pause after 401/403/404 before trying again (default 60 s). */
  rejectedRetryMs?: number;
  /** Goes into sb-hc-id for tracing at the relay. */
  listenerId?: string;
  /** An adopted response rendezvous with no call for this long is closed (default 120 s). */
  rendezvousIdleMs?: number;
  /** Pause before the n-th attempt after a failure or drop (default reconnectDelayMs: 1, 2, 4 s, then 5–10 s). */
  reconnectSchedule?: ReconnectSchedule;
  /** The timers for reconnect and rejected-retry pauses (tests run long outages through fake ones). */
  timers?: Timers;
}

export interface RelayListenerStats {
  /** Handshakes hyco-https started (each asks for a token). */
  connectAttempts: number;
  connects: number;
  webSocketsRejected: number;
  junkFrames: number;
  staleRequests: number;
  lostResponses: number;
  handlerErrors: number;
  tokenRenewals: number;
  reopenedAfterClose: number;
  rendezvousAdopted: number;
}

const WS_CLOSED = 3;

export class RelayListener extends EventEmitter {
  private currentState: RelayConnectionState = 'Closed';
  private stateSince = new Date();
  private error: string | null = null;
  private server: HycoServer | undefined;
  private closed = false;
  private paused = false;
  private reconnects: ReconnectLoop | undefined;
  private renewTimer: NodeJS.Timeout | undefined;
  private lastRequestMessage: RequestMessage | undefined;
  private readonly waitingForBody = new Map<HycoIncomingMessage, RelayedCall>();
  private readonly logger: Logger;
  readonly what: string;
  readonly stats: RelayListenerStats = {
    connectAttempts: 0, connects: 0, webSocketsRejected: 0, junkFrames: 0, staleRequests: 0, lostResponses: 0, handlerErrors: 0, tokenRenewals: 0, reopenedAfterClose: 0, rendezvousAdopted: 0,
  };

  constructor(private readonly options: RelayListenerOptions) {
    super();
    this.what = describeHybridConnection(options.connection);
    this.logger = (options.logger ?? silentLogger()).child({ hybridConnection: this.what });
  }

  get state(): RelayConnectionState {
    return this.currentState;
  }

  /** Requests announced with a body that has not arrived yet (the control channel carries it next). */
  get requestsAwaitingBody(): number {
    return this.waitingForBody.size;
  }

  /** When the state last changed. */
  get since(): Date {
    return this.stateSince;
  }

  /** Why the listener is not Connected (no secrets), or null. */
  get lastError(): string | null {
    return this.error;
  }

  start(): void {
    if (this.server || this.closed) throw new Error(`The relay listener for ${this.what} was already started.`);
    const { connection } = this.options;
    const server = createHycoServer({
      server: listenUri(connection, { id: this.options.listenerId ?? `hcm-${randomUUID()}` }),
      token: () => {
        this.stats.connectAttempts += 1;
        return this.token();
      },
      keepAliveTimeout: keepAliveDuration(this.options.keepAliveMs ?? 30_000),
    });
    this.server = server;
    installGuards(server, {
      onAccept: (accept) => this.rejectWebSocket(accept),
      onRequestMessage: (request) => (this.lastRequestMessage = request),
      onBody: (request) => this.bodyArrived(request),
      onJunk: (reason) => this.junk(reason),
      onStaleRequest: (request) => this.staleRequest(request),
      onHandlerError: (error) => this.handlerError(error),
    });
    server.on('listening', () => this.opened(server));
    server.on('error', (event: unknown) => this.failed(event));
    server.on('request', (request: HycoIncomingMessage, response: HycoServerResponse) => this.request(request, response));
    this.reconnects = new ReconnectLoop(server, {
      schedule: this.options.reconnectSchedule,
      timers: this.options.timers,
      mayReconnect: () => !this.closed && !this.paused,
      onScheduled: (delay, failures) => {
        if (this.currentState !== 'Reconnecting') this.setState('Reconnecting', this.error ?? 'the relay connection closed');
        this.emit('reconnectScheduled', delay, failures);
      },
    });
    this.setState('Connecting', null);
    this.reconnects.listenNow();
    if (connection.sharedAccessSignature === undefined) {
      this.renewTimer = setInterval(() => this.renewToken(), this.options.tokenRenewMs ?? 20 * 60_000);
      this.renewTimer.unref();
    }
  }

  /** Closes the control channel; resolves once it is closed (bounded). Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.reconnects?.cancel();
    clearInterval(this.renewTimer);
    const server = this.server;
    const channel = server?.controlChannel;
    if (server) {
      server.closeRequested = true;
      try {
        server.close(() => undefined);
      } catch {
        // hyco-https throws when there is no channel yet; there is nothing to close then.
      }
    }
    for (const request of this.waitingForBody.keys()) Readable.prototype.destroy.call(request);
    this.waitingForBody.clear();
    this.setState('Closed', this.error);
    await waitForClose(channel, 2_000);
  }

  private token(): string {
    const { connection } = this.options;
    if (connection.sharedAccessSignature !== undefined) return connection.sharedAccessSignature;
    return createHybridConnectionToken(connection, connection.keyName ?? '', connection.key ?? '', {
      lifetimeSeconds: this.options.tokenLifetimeSeconds ?? 3600,
    });
  }

  private opened(server: HycoServer): void {
    const channel = server.controlChannel;
    if (this.closed) {
      // B6: hyco-https's pending back-off timer reconnected after close(); undo it.
      this.stats.reopenedAfterClose += 1;
      channel?.close(1000, 'closed');
      return;
    }
    this.stats.connects += 1;
    this.reconnects?.connected();
    channel?.once('close', (code: number) => this.channelClosed(server, channel, code));
    this.setState('Connected', null);
    this.logger.info({ event: 'relay-connected' }, `Listening on ${this.what}`);
  }

  private channelClosed(server: HycoServer, channel: HycoWebSocket, code: number): void {
    if (this.closed || this.paused || server.controlChannel !== channel) return;
    const message = describeClose(code, this.what);
    this.logger.warn({ event: 'relay-dropped', code }, message);
    this.setState('Reconnecting', message);
  }

  private failed(event: unknown): void {
    if (this.closed || this.paused) return;
    const failure = classifyRelayError(event, this.what);
    if (failure.kind === 'transient') {
      this.logger.warn({ event: 'relay-unreachable', status: failure.status }, failure.message);
      this.setState('Reconnecting', failure.message);
      return;
    }
    // A rejected key or a missing hybrid connection will not heal in seconds: pause the fast
    // schedule (a closed channel schedules nothing while paused) and retry on the slow one.
    this.paused = true;
    this.logger.error({ event: 'relay-rejected', status: failure.status }, failure.message);
    this.setState('Failed', failure.message);
    this.reconnects?.retryAfter(this.options.rejectedRetryMs ?? 60_000, () => {
      if (this.closed) return false;
      this.paused = false;
      return true;
    });
  }

  private renewToken(): void {
    const channel = this.server?.controlChannel;
    if (this.closed || this.currentState !== 'Connected' || !channel || channel.readyState !== channel.OPEN) return;
    channel.send(JSON.stringify({ renewToken: { token: this.token() } }), {}, (error) => {
      if (error) this.logger.warn({ event: 'token-renewal-failed' }, `Could not send a renewed token: ${redactText(error.message)}`);
    });
    this.stats.tokenRenewals += 1;
  }

  private request(request: HycoIncomingMessage, response: HycoServerResponse): void {
    const message = this.lastRequestMessage;
    this.lastRequestMessage = undefined;
    const matches = message !== undefined && (message.id === undefined || message.id === response.requestId);
    // hyco-https replaced destroy() with a no-op, so its requests never emit 'close' and
    // stream.pipeline would never finish; restore the real one.
    (request as Readable).destroy = Readable.prototype.destroy;
    const call = toRelayedCall(request, response, matches ? message : undefined, {
      onLost: (reason) => {
        this.stats.lostResponses += 1;
        this.logger.warn({ event: 'response-lost', requestId: response.requestId }, `A response was lost: ${reason}.`);
      },
      adoptRendezvous: (socket) => this.adoptRendezvous(socket),
    });
    if (matches && message.body === true) this.waitingForBody.set(request, call);
    else this.deliver(call);
  }

  private adoptRendezvous(socket: HycoWebSocket): void {
    const server = this.server;
    if (!server || this.closed) return void socket.close(1000, 'response sent');
    if (adoptResponseRendezvous(server, socket, this.options.rendezvousIdleMs ?? 120_000)) this.stats.rendezvousAdopted += 1;
  }

  private bodyArrived(request: HycoIncomingMessage): void {
    const call = this.waitingForBody.get(request);
    if (!call) return;
    this.waitingForBody.delete(request);
    this.deliver(call);
  }

  private deliver(call: RelayedCall): void {
    try {
      this.options.onCall(call);
    } catch (error) {
      this.handlerError(error);
      if (!call.response.headersSent) {
        const failure = errors.internal();
        call.response.writeHead(failure.status, undefined, { 'content-type': 'application/json; charset=utf-8' });
        call.response.end(Buffer.from(JSON.stringify(failure.toJSON())));
      }
    }
  }

  private rejectWebSocket(accept: AcceptMessage): void {
    this.stats.webSocketsRejected += 1;
    const refusal = errors.webSocketNotSupported(this.options.connection.entityPath);
    this.logger.warn({ event: 'websocket-rejected', status: refusal.status }, refusal.message);
    this.emit('webSocketRejected');
    if (typeof accept.address !== 'string') return this.junk('an accept message has no address');
    void rejectWebSocketSender(accept.address, refusal.status, refusal.message).then((outcome) => {
      if (!outcome.delivered) this.logger.warn({ event: 'websocket-reject-failed' }, `The rejection did not reach the relay: ${outcome.error}`);
    });
  }

  private junk(reason: string): void {
    this.stats.junkFrames += 1;
    this.logger.warn({ event: 'relay-junk' }, `Ignored a relay message: ${reason}.`);
  }

  private staleRequest(request: HycoIncomingMessage): void {
    this.stats.staleRequests += 1;
    this.waitingForBody.delete(request);
    this.logger.warn({ event: 'request-lost' }, 'A request lost its body when the relay connection dropped.');
  }

  private handlerError(error: unknown): void {
    this.stats.handlerErrors += 1;
    this.logger.error({ event: 'relay-handler-error', err: error }, 'hyco-https failed while handling a relay message.');
  }

  private setState(state: RelayConnectionState, lastError: string | null): void {
    const changed = state !== this.currentState;
    this.error = lastError;
    if (changed) {
      this.currentState = state;
      this.stateSince = new Date();
    }
    this.emit('state', state, lastError);
  }
}

function waitForClose(channel: HycoWebSocket | undefined, timeoutMs: number): Promise<void> {
  if (!channel || channel.readyState === WS_CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    timer.unref();
    channel.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
