/**
 * The one place that loads hyco-https (pinned 1.4.5), with types for the parts we touch.
 *
 * We load its server module directly instead of the package's index.js: index.js replaces the
 * process-wide `https.Server` and `https.ServerResponse`, which would break any other https
 * server in the process. The types below describe hyco-https internals (fields such as
 * `pendingRequest` and `closeRequested`) because the defect guards in this folder need them; an
 * upgrade of hyco-https must re-check every one of them (see relay-protocol.md §5).
 */
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import { currentRelayConnectionSettings, relayWebSocketOptions } from './relay-websocket-options';

/** The ws 6.2.7 WebSocket bundled with hyco-https (only what we use). */
export interface HycoWebSocket extends EventEmitter {
  readyState: number;
  readonly OPEN: number;
  onmessage: ((event: { data: unknown }) => void) | undefined;
  send(data: string | Buffer, options?: { binary?: boolean; fin?: boolean }, callback?: (error?: Error) => void): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  pong(): void;
  /** Set by hyco-https on request rendezvous sockets while a request waits for its body. */
  pendingRequest?: HycoIncomingMessage | null;
  /** The underlying TCP socket (ws internals), used for backpressure only. */
  _socket?: { writableNeedDrain?: boolean } | null;
}

/** hyco-https's IncomingMessage: a Readable whose url is the relay's requestTarget. */
export interface HycoIncomingMessage extends Readable {
  url: string;
  method: string;
  headers: Record<string, string | string[] | undefined>;
  socket: HycoWebSocket;
}

/** hyco-https's ServerResponse (not a real stream; see relayed-response.ts for its defects). */
export interface HycoServerResponse extends EventEmitter {
  requestId: string;
  statusCode: number;
  statusMessage?: string;
  socket: HycoWebSocket | null;
  _controlChannel?: HycoWebSocket;
  _rendezvousChannel?: HycoWebSocket;
  setHeader(name: string, value: string): void;
  writeHead(statusCode: number, reason?: string): void;
  write(chunk: Buffer | string): boolean;
  end(chunk?: Buffer | string): void;
}

/** hyco-https's relayed server (an EventEmitter, not a net.Server). */
export interface HycoServer extends EventEmitter {
  listenUri: string;
  controlChannel?: HycoWebSocket;
  pendingRequest: HycoIncomingMessage | null;
  closeRequested: boolean;
  listen(): void;
  close(callback?: (error: Error | null) => void): void;
}

export interface HycoServerOptions {
  /** The listen URI, used verbatim (we add sb-hc-id ourselves: hyco's `id` option is broken, B1). */
  server: string;
  /** A function, so that every (re)connect and renewal gets a fresh token (B14). */
  token: () => string;
  /** Anything with asMilliseconds(): hyco-https sends an unsolicited pong at that interval. */
  keepAliveTimeout?: { asMilliseconds(): number };
}

interface HycoServerModule {
  Server: new (options: HycoServerOptions) => HycoServer;
}

interface Moment {
  duration(amount: number, unit: 'ms' | 's'): { asMilliseconds(): number };
}

type WsConstructor = new (address: string | null, protocols?: unknown, options?: Record<string, unknown>) => HycoWebSocket;

const hycoRequire = createRequire(require.resolve('hyco-https/package.json'));

/**
 * hyco-https opens every socket (control channel, request and response rendezvous) with its own
 * `new WebSocket(address, …)`. Its modules get, through the require cache, a subclass of its ws
 * that merges in relayWebSocketOptions() for the address — the one place our socket options
 * (trusted certificates now; handshake timeout, proxy agent) reach hyco-https. Options hyco-https
 * passes itself (headers, perMessageDeflate) win over ours.
 */
function installRelayWebSocket(): void {
  const wsPath = hycoRequire.resolve('ws');
  const HycoWs = hycoRequire('ws') as WsConstructor;
  class RelayWebSocket extends HycoWs {
    constructor(address: string | null, protocols?: unknown, options?: Record<string, unknown>) {
      // ws's own (address, options) form.
      if (options === undefined && typeof protocols === 'object' && protocols !== null && !Array.isArray(protocols)) {
        options = protocols as Record<string, unknown>;
        protocols = undefined;
      }
      if (address === null) super(address, protocols, options);
      else super(address, protocols, { ...relayWebSocketOptions(currentRelayConnectionSettings(), String(address)), ...(options ?? {}) });
    }
  }
  const cached = require.cache[wsPath];
  if (!cached) throw new Error(`hyco-https's ws module was not loaded from ${wsPath}.`);
  cached.exports = RelayWebSocket;
  // hyco-https's modules keep the ws class they got when first loaded: if something loaded them
  // before us (a test using the package's index.js), load our own copies that get the subclass.
  for (const file of ['./lib/HybridConnectionHttpsServer', './lib/_hyco_outgoing']) delete require.cache[hycoRequire.resolve(file)];
}

installRelayWebSocket();
const serverModule = hycoRequire('./lib/HybridConnectionHttpsServer') as HycoServerModule;
const moment = hycoRequire('moment') as Moment;

/** The ws module hyco-https itself uses (OPEN/CLOSED constants). */
export const HYCO_WS_OPEN = 1;

export function createHycoServer(options: HycoServerOptions): HycoServer {
  return new serverModule.Server(options);
}

/** A moment.duration, the only keepAliveTimeout form hyco-https accepts. */
export function keepAliveDuration(milliseconds: number): { asMilliseconds(): number } {
  return moment.duration(milliseconds, 'ms');
}
