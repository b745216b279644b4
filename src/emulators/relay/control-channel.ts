/**
 * One listener's control channel (/$hc/<name>?sb-hc-action=listen): the relay sends `request`
 * and `accept` messages down it, the listener sends `response` and `renewToken` up. A request and
 * its body are written in the same tick, so no other message can come between them (hyco-https
 * reads whatever follows a `body: true` request as its body). The channel is closed with 1008 when
 * a renewal is refused, or when its token has expired and the grace period after it (default 5 min,
 * as field reports of Azure show) has passed without a renewal: the .NET SDK renews right at
 * expiry, and a close at the exact instant would drop every .NET listener once an hour.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { Logger } from '../../common/logger';
import { MAX_TIMER_MS } from './constants';
import { ListenerFrameReader, ResponseHead } from './listener-frames';
import type { HybridConnection } from './registry';
import type { RelayError } from './relay-errors';

export type TokenCheck = { ok: true; expiresAt: number | undefined } | { ok: false; error: RelayError };

export interface ListenerChannelDeps {
  /** Checks a renewToken's token as a listen token for this hybrid connection, with the current keys. */
  verifyRenewal(channel: ListenerChannel, token: string): TokenCheck;
  /** How long past its token's expiry a channel stays open (Azure closes "at or soon after" expiry). */
  tokenGraceMs: number;
  onResponse(channel: ListenerChannel, head: ResponseHead, body: Buffer | undefined): void;
  onClosed(channel: ListenerChannel): void;
  logger: Logger;
}

/** Close codes the relay uses on a control channel (protocol §4). */
export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_POLICY = 1008;

function closeReason(text: string): string {
  // A close reason is at most 123 bytes.
  return Buffer.from(text, 'utf8').subarray(0, 123).toString('utf8').replace(/\uFFFD$/, '');
}

export class ListenerChannel {
  readonly id = randomUUID();
  private readonly reader: ListenerFrameReader;
  private expiryTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    readonly socket: WebSocket,
    readonly hybridConnection: HybridConnection,
    expiresAt: number | undefined,
    /** The scheme://host[:port] rendezvous addresses use: how the listener reached the relay, so they are reachable. */
    readonly relayOrigin: string,
    /** The listener's sb-hc-id (its tracking id): senders route with Microsoft-Relay-AllowedListeners by it. */
    readonly listenerId: string | undefined,
    private readonly deps: ListenerChannelDeps,
  ) {
    this.reader = new ListenerFrameReader({
      onResponse: (head, body) => deps.onResponse(this, head, body),
      onRenewToken: (token) => this.renew(token),
      onJunk: (reason) => deps.logger.warn({ hybridConnection: hybridConnection.name, listener: this.id }, `Ignored ${reason} on a control channel.`),
    });
    socket.on('message', (data, isBinary) => this.reader.push(toBuffer(data), isBinary));
    socket.on('error', (error) => deps.logger.debug({ err: error, listener: this.id }, 'Control channel error.'));
    socket.on('close', () => this.onSocketClosed());
    this.armExpiry(expiresAt);
  }

  isOpen(): boolean {
    return !this.closed && this.socket.readyState === WebSocket.OPEN;
  }

  /** Sends a JSON message and, when given, its body as the very next (binary) message. */
  send(message: object, body?: Buffer, onError?: (error: Error) => void): boolean {
    if (!this.isOpen()) return false;
    const report = (error?: Error) => {
      if (error) onError?.(error);
    };
    this.socket.send(JSON.stringify(message), { binary: false }, report);
    if (body !== undefined) this.socket.send(body, { binary: true }, report);
    return true;
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.expiryTimer);
    try {
      this.socket.close(code, closeReason(reason));
    } catch {
      this.socket.terminate();
    }
    // A listener that never answers the close handshake is cut off.
    setTimeout(() => this.socket.terminate(), 2000).unref();
    this.deps.onClosed(this);
  }

  private renew(token: string): void {
    const check = this.deps.verifyRenewal(this, token);
    if (!check.ok) {
      this.deps.logger.info({ hybridConnection: this.hybridConnection.name, listener: this.id }, 'Refused a renewToken; closing the control channel (1008).');
      this.close(CLOSE_POLICY, check.error.detail);
      return;
    }
    this.armExpiry(check.expiresAt);
  }

  /** Closes the channel with 1008 once the token and its grace have run out (long waits are re-armed in steps). */
  private armExpiry(expiresAt: number | undefined): void {
    clearTimeout(this.expiryTimer);
    if (expiresAt === undefined) return;
    const wait = expiresAt + this.deps.tokenGraceMs - Date.now();
    if (wait > MAX_TIMER_MS) {
      this.expiryTimer = setTimeout(() => this.armExpiry(expiresAt), MAX_TIMER_MS);
    } else {
      this.expiryTimer = setTimeout(() => this.close(CLOSE_POLICY, 'ExpiredToken: The token is expired.'), Math.max(0, wait));
    }
    this.expiryTimer.unref();
  }

  private onSocketClosed(): void {
    clearTimeout(this.expiryTimer);
    if (!this.closed) {
      this.closed = true;
      this.deps.onClosed(this);
    }
  }
}

/** ws hands messages over as Buffer, ArrayBuffer or Buffer[] depending on binaryType. */
export function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
