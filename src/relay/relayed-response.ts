/**
 * A safe face for hyco-https's ServerResponse, which is not a real HTTP response:
 *  - B7: header names are lowercased and array values cut to the first one, so we join arrays;
 *    `writeHead(status, headers)` even drops the headers unless setHeader was used, so we always
 *    use setHeader; Content-Length is dropped (the relay frames the body itself);
 *  - B8: `headersSent` is always false, so we track our own state;
 *  - B9: `write()` after `end()` throws a ReferenceError, so we refuse writes after end;
 *  - B12: a response larger than 64 kB goes over a new rendezvous WebSocket that hyco-https never
 *    closes and gives no message handler; once the response is sent we hand it to the owner to
 *    serve the sender's later requests (adoptRendezvous), or close it;
 *  - the rendezvous WebSocket also has no 'error' listener, so a failed connect would crash the
 *    process (an uncaught 'error' event): we attach one;
 *  - it never emits 'finish' and ignores backpressure, so `writable()` offers a real Writable that
 *    waits for the rendezvous socket to drain, for stream.pipeline.
 */
import type { Writable } from 'node:stream';
import { coalescingWritable } from './coalescing-writable';
import type { HycoServerResponse, HycoWebSocket } from './hyco';
import { HYCO_WS_OPEN } from './hyco';

export type ResponseHeaders = Record<string, string | string[] | number | undefined>;

export interface ResponseHooks {
  /** The response could not reach the relay (channel closed or rendezvous failed). */
  onLost(reason: string): void;
  /** The response was ended (or aborted). */
  onFinished?(): void;
  /**
   * B12: the response went over a rendezvous WebSocket hyco-https opened and will never read.
   * Azure sends the same sender connection's later requests over it (and drops the sender's
   * connection when the listener closes it), so the owner adopts it as a request channel. Without
   * this hook the rendezvous is closed once the response is out.
   */
  adoptRendezvous?(socket: HycoWebSocket): void;
}

const WS_CONNECTING = 0;
/** Headers the relay frames itself, or that make no sense on a relayed response. */
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive']);
const VALID_HEADER_NAME = /^[\^_`a-zA-Z\-0-9!#$%&'*+.|~]+$/;
const VALID_HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

export class RelayedResponse {
  private state: 'open' | 'streaming' | 'ended' = 'open';
  private rendezvous: HycoWebSocket | undefined;
  private lost = false;

  constructor(
    private readonly response: HycoServerResponse,
    private readonly hooks: ResponseHooks,
  ) {}

  /** Whether status and headers were committed (hyco-https's own flag is always false, B8). */
  get headersSent(): boolean {
    return this.state !== 'open';
  }

  get finished(): boolean {
    return this.state === 'ended';
  }

  /** Status line and headers; arrays are joined with ", " (B7), framing headers dropped. */
  writeHead(statusCode: number, statusMessage: string | undefined, headers: ResponseHeaders): void {
    if (this.state !== 'open') throw new Error('The response headers were already sent.');
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined || FRAMING_HEADERS.has(name.toLowerCase()) || !VALID_HEADER_NAME.test(name)) continue;
      const text = Array.isArray(value) ? value.join(', ') : String(value);
      if (VALID_HEADER_VALUE.test(text)) this.response.setHeader(name, text);
    }
    const reason = statusMessage !== undefined && statusMessage !== '' && VALID_HEADER_VALUE.test(statusMessage) ? statusMessage : undefined;
    this.response.writeHead(statusCode, reason);
    this.state = 'streaming';
  }

  /** Writes a body chunk; ignored after end (B9). */
  write(chunk: Buffer): void {
    if (this.state === 'ended' || chunk.length === 0) return;
    if (this.state === 'open') this.writeHead(this.response.statusCode || 200, undefined, {});
    this.response.write(chunk);
    this.watchRendezvous();
  }

  /** Ends the response once; closes a response rendezvous after it (B12). */
  end(chunk?: Buffer): void {
    if (this.state === 'ended') return;
    if (this.state === 'open') this.writeHead(this.response.statusCode || 200, undefined, {});
    this.state = 'ended';
    const control = this.response._controlChannel;
    if (!this.response._rendezvousChannel && control && control.readyState !== HYCO_WS_OPEN && !this.rendezvous && !bigEnough(chunk)) {
      this.reportLost('the relay connection closed before the response could be sent');
    }
    // hyco-https sends the response JSON and the body as separate frames, each its own socket
    // write; corking the TCP socket until the next tick sends them in one write (fewer syscalls).
    const tcp = (this.response.socket ?? control)?._socket as { cork?(): void; uncork?(): void } | null | undefined;
    tcp?.cork?.();
    try {
      if (chunk && chunk.length > 0) this.response.end(chunk);
      else this.response.end();
    } finally {
      if (tcp?.uncork) process.nextTick(() => tcp.uncork!());
    }
    this.watchRendezvous();
    this.releaseRendezvousWhenSent();
    this.hooks.onFinished?.();
  }

  /** Ends a response whose body broke off: a rendezvous is cut (the sender sees an error), else ended. */
  abort(): void {
    if (this.state === 'ended') return;
    if (this.rendezvous) {
      this.state = 'ended';
      this.rendezvous.terminate();
      this.hooks.onFinished?.();
      return;
    }
    this.end();
  }

  /** A Writable for stream.pipeline: small writes gathered into frames, backpressure from the rendezvous socket. */
  writable(): Writable {
    return coalescingWritable({
      write: (chunk) => this.write(chunk),
      whenDrained: (callback) => this.whenDrained(callback),
      end: () => this.end(),
    });
  }

  /** hyco-https opened a response rendezvous (>64 kB): give it an error listener it lacks. */
  private watchRendezvous(): void {
    const socket = this.response.socket;
    if (this.rendezvous || !socket || socket === this.response._controlChannel || socket === this.response._rendezvousChannel) return;
    this.rendezvous = socket;
    socket.on('error', (error: Error) => this.reportLost(`the response rendezvous failed: ${error.message}`));
  }

  private releaseRendezvousWhenSent(): void {
    const socket = this.rendezvous;
    if (!socket) return;
    const release = () => {
      if (this.hooks.adoptRendezvous) this.hooks.adoptRendezvous(socket);
      else socket.close(1000, 'response sent');
    };
    // hyco-https's own 'open' listener flushes the buffered response first; ours runs after it,
    // and before the relay can have sent anything else on this socket.
    if (socket.readyState === WS_CONNECTING) socket.once('open', release);
    else if (socket.readyState === HYCO_WS_OPEN) release();
  }

  private whenDrained(callback: () => void): void {
    const socket = this.rendezvous;
    if (!socket) return callback();
    if (socket.readyState === WS_CONNECTING) return waitForEither(socket, 'open', 'close', callback);
    const tcp = socket._socket as unknown as EventEmitterLike | null | undefined;
    if (socket.readyState === HYCO_WS_OPEN && socket._socket?.writableNeedDrain && tcp) {
      return waitForEither(tcp, 'drain', 'close', callback);
    }
    callback();
  }

  private reportLost(reason: string): void {
    if (this.lost) return;
    this.lost = true;
    this.hooks.onLost(reason);
  }
}

/** A chunk that alone pushes hyco-https onto a rendezvous (more than 64 kB) does not need the control channel. */
function bigEnough(chunk: Buffer | undefined): boolean {
  return chunk !== undefined && chunk.length > 64 * 1024;
}

interface EventEmitterLike {
  once(event: string, listener: () => void): unknown;
  removeListener(event: string, listener: () => void): unknown;
}

/** Calls back on whichever event comes first and removes the other listener. */
function waitForEither(emitter: EventEmitterLike, first: string, second: string, callback: () => void): void {
  const done = () => {
    emitter.removeListener(first, done);
    emitter.removeListener(second, done);
    callback();
  };
  emitter.once(first, done);
  emitter.once(second, done);
}
