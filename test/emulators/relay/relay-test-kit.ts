/**
 * Shared test helpers for the relay emulator: an in-process relay per test, the REAL hyco-https
 * listener (closed carefully: it reconnects forever, and after close() it may still reconnect
 * once, defect B6), a plain `ws` listener that speaks the protocol by hand (for what hyco-https
 * cannot do: accept WebSocket senders, show close codes, send junk), and small HTTP/WS senders.
 */
import fs from 'node:fs';
import http, { IncomingHttpHeaders } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import WebSocket from 'ws';
import { createSasToken } from '../../../src/common/sas';
import { DEV_PRIMARY_KEY, RelayEmulator, RelayEmulatorOptions, ROOT_RULE_NAME } from '../../../src/emulators/relay';
import { listenUri } from '../../../src/relay/uris';

// hyco-https has no type declarations: the public entry point, exactly as applications use it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const hyco = require('hyco-https') as {
  createRelayedServer(options: { server: string; token: string | (() => string) }, handler: HycoHandler): HycoServer;
};

export interface HycoRequest extends NodeJS.ReadableStream {
  url: string;
  method: string;
  headers: Record<string, string>;
}
export interface HycoResponse {
  statusCode: number;
  statusMessage?: string;
  setHeader(name: string, value: string): void;
  writeHead(status: number, reason?: string): void;
  write(chunk: string | Buffer): boolean;
  end(chunk?: string | Buffer): void;
}
export type HycoHandler = (req: HycoRequest, res: HycoResponse) => void;
export interface HycoServer extends NodeJS.EventEmitter {
  listen(): void;
  close(callback?: (error: Error | null) => void): void;
}

/** A real hyco-https listener on any listen URI (closed by the caller with closeHyco). */
export function createHycoListener(uri: string, token: () => string, handler: HycoHandler): HycoServer {
  return hyco.createRelayedServer({ server: uri, token }, handler);
}

/** Opens a hyco-https listener's control channel; resolves on its first 'listening'. */
export async function startHyco(server: HycoServer): Promise<void> {
  server.on('error', () => undefined); // reconnect noise; hyco-https retries by itself
  const listening = new Promise<void>((resolve) => server.once('listening', () => resolve()));
  server.listen(); // listen(cb) never calls back (hyco-https): wait for 'listening'
  await listening;
}

/** Closes a hyco-https listener for good. */
export function closeHyco(server: HycoServer): void {
  // B6: close() during a reconnect back-off does not cancel it, so close again when it reopens.
  server.on('listening', () => server.close(() => undefined));
  server.close(() => undefined);
}

export interface TokenOptions {
  rule?: string;
  key?: string;
  lifetimeSeconds?: number;
  /** Audience override (default http://127.0.0.1:<port>/<path>). */
  audience?: string;
  now?: number;
}

/** Polls until the predicate holds (generous deadline; never an assertion on elapsed time). */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface HttpAnswer {
  status: number;
  statusMessage: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One relay per test, torn down (listeners first, then the relay) even when the test fails. */
export class RelayHarness {
  readonly relay: RelayEmulator;
  private readonly hycoServers: HycoServer[] = [];
  private readonly sockets: WebSocket[] = [];
  private readonly agents: http.Agent[] = [];

  private constructor(relay: RelayEmulator) {
    this.relay = relay;
  }

  static async start(t: TestContext, options: RelayEmulatorOptions = {}): Promise<RelayHarness> {
    const relay = new RelayEmulator({ port: 0, ...options });
    const harness = new RelayHarness(relay);
    t.after(() => harness.dispose());
    await relay.start();
    return harness;
  }

  get port(): number {
    return this.relay.address().port;
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  token(path: string, options: TokenOptions = {}): string {
    const audience = options.audience ?? `http://127.0.0.1:${this.port}/${path}`;
    const now = options.now;
    return createSasToken(audience, options.rule ?? ROOT_RULE_NAME, options.key ?? DEV_PRIMARY_KEY, {
      lifetimeSeconds: options.lifetimeSeconds ?? 3600,
      now: now === undefined ? undefined : () => now,
    });
  }

  /** The listen URI as the product builds it (ws:// for UseDevelopmentEmulator=true). */
  listenUrl(name: string, query = ''): string {
    return listenUri({ namespace: '127.0.0.1', port: this.port, entityPath: name, emulator: true }) + query;
  }

  /** Starts a real hyco-https listener and resolves once its control channel is open. */
  async hycoListener(name: string, handler: HycoHandler, token: () => string = () => this.token(name)): Promise<HycoServer> {
    const server = hyco.createRelayedServer({ server: this.listenUrl(name), token }, handler);
    this.hycoServers.push(server);
    await startHyco(server);
    return server;
  }

  /** A hand-written listener on a plain ws client. */
  async plainListener(name: string, options: { token?: string; headers?: Record<string, string>; query?: string } = {}): Promise<PlainSocket> {
    const headers = options.headers ?? { ServiceBusAuthorization: options.token ?? this.token(name) };
    return this.connect(this.listenUrl(name, options.query ?? ''), headers);
  }

  /** Opens a WebSocket; rejects with the relay's answer (status, reason phrase) when refused. */
  async connect(url: string, headers: Record<string, string> = {}, protocols?: string[]): Promise<PlainSocket> {
    const ws = new WebSocket(url, protocols, { headers, perMessageDeflate: false });
    this.sockets.push(ws);
    const socket = new PlainSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          reject(Object.assign(new Error(`refused ${res.statusCode}`), { status: res.statusCode, statusMessage: res.statusMessage ?? '', body: Buffer.concat(chunks).toString('utf8') }));
          ws.terminate();
        });
      });
      ws.once('error', reject);
    });
    return socket;
  }

  /** A keep-alive agent with one socket (strict-mode tests), destroyed at the end. */
  keepAliveAgent(): http.Agent {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    this.agents.push(agent);
    return agent;
  }

  /** A plain HTTP call to the relay (real socket). `body` may be a Buffer or, for chunked uploads, an array of chunks. */
  request(path: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer | string | Buffer[]; agent?: http.Agent } = {}): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const headers = { ...options.headers };
      // Node sends no Content-Length for DELETE bodies by itself; a fixed body always gets one here.
      if (options.body !== undefined && !Array.isArray(options.body)) headers['Content-Length'] = String(Buffer.byteLength(options.body));
      const req = http.request(`${this.base}${path}`, { method: options.method ?? 'GET', headers, agent: options.agent ?? false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, statusMessage: res.statusMessage ?? '', headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      if (Array.isArray(options.body)) {
        for (const chunk of options.body) req.write(chunk);
        req.end();
      } else req.end(options.body);
    });
  }

  async dispose(): Promise<void> {
    for (const server of this.hycoServers) closeHyco(server);
    for (const ws of this.sockets) ws.terminate();
    for (const agent of this.agents) agent.destroy();
    if (this.relay.status === 'Running') await this.relay.close();
  }
}

/** A ws client with a message queue and a promise of its close. */
export class PlainSocket {
  private readonly queue: Array<{ data: Buffer; isBinary: boolean }> = [];
  private readonly waiters: Array<(message: { data: Buffer; isBinary: boolean }) => void> = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly ws: WebSocket) {
    ws.on('error', () => undefined);
    ws.on('message', (data, isBinary) => {
      const message = { data: Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer), isBinary };
      const waiter = this.waiters.shift();
      if (waiter) waiter(message);
      else this.queue.push(message);
    });
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  next(timeoutMs = 10_000): Promise<{ data: Buffer; isBinary: boolean }> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('No message arrived.')), timeoutMs);
      this.waiters.push((message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
  }

  async nextJson(timeoutMs?: number): Promise<any> {
    const message = await this.next(timeoutMs);
    if (message.isBinary) throw new Error(`Expected a text message, got ${message.data.length} binary bytes.`);
    return JSON.parse(message.data.toString('utf8'));
  }

  sendJson(value: unknown): void {
    this.ws.send(JSON.stringify(value));
  }

  sendBinary(data: Buffer): void {
    this.ws.send(data, { binary: true });
  }

  /** Answers a `request` message: the response JSON and, when given, the body as one binary message. */
  respond(requestId: string, status: number, body?: Buffer | string, headers: Record<string, string> = {}, description?: string): void {
    this.sendJson({ response: { requestId, statusCode: status, statusDescription: description, responseHeaders: headers, body: body !== undefined } });
    if (body !== undefined) this.sendBinary(Buffer.isBuffer(body) ? body : Buffer.from(body));
  }
}

/** Writes a relay configuration file in a temporary folder removed after the test. */
export function writeConfigFile(t: TestContext, config: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcm-relay-test-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'relay.json');
  fs.writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
  return file;
}

/** Refusal details from a rejected connect() (status and reason phrase). */
export function refusal(error: unknown): { status: number; statusMessage: string; body: string } {
  const e = error as { status?: number; statusMessage?: string; body?: string };
  if (typeof e.status !== 'number') throw error;
  return { status: e.status, statusMessage: e.statusMessage ?? '', body: e.body ?? '' };
}

/** Reads a whole hyco-https request body. */
export function readAll(req: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer | string) => chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
