/**
 * The relay emulator: a local stand-in for an Azure Relay namespace's Hybrid Connections, the way
 * Azurite stands in for Azure Storage. This file is the composition root: it builds the parts
 * once and wires them, in a fixed order, to one port (127.0.0.1 by default) that serves plain HTTP
 * and ws:// and, when given a certificate, HTTPS and wss:// too (the first byte decides, see
 * tls-sniffing-server.ts). After close(), start() binds the same port again, so clients reconnect
 * by themselves.
 */
import http, { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Logger } from '../../common/logger';
import { silentLogger } from '../../common/logger';
import { boundPort, closeServer, LifecycleServer, listen } from '../../common/server-lifecycle';
import { Authorizer } from './auth/authorizer';
import { loadRelayConfigFile } from './config-file';
import {
  DEFAULT_RELAY_HOST,
  DEFAULT_RELAY_PORT,
  DEFAULT_RESPONSE_TIMEOUT_MS,
  DEFAULT_TOKEN_GRACE_MS,
  MAX_CONTROL_MESSAGE_BYTES,
  MAX_DATA_MESSAGE_BYTES,
  ROOT_RULE_NAME,
} from './constants';
import { CLOSE_GOING_AWAY, ListenerChannel } from './control-channel';
import { HttpSender } from './http-sender';
import { ListenHandler } from './listen-handler';
import { ManagementApi } from './management-api';
import type { AuthorizationRule, HybridConnectionSpec, KeyType } from './model';
import { parseRelayAddress } from './relay-address';
import { relayErrors, rejectUpgrade, sendHttpError, trackingContext } from './relay-errors';
import { HybridConnection, HybridConnectionRegistry } from './registry';
import { isRuntimeInformationRequest, RuntimeInformation } from './runtime-information';
import { createSniffingServer, SniffingServer } from './tls-sniffing-server';
import { WsSender } from './ws-sender';

export interface RelayEmulatorOptions {
  /** Interface to bind (default 127.0.0.1: nothing listens on an external interface). */
  host?: string;
  /** Port (default 9351; 0 = any free port, reported by address()). */
  port?: number;
  hybridConnections?: Array<{ name: string; requiresClientAuthorization?: boolean }>;
  /**
   * Keys of the namespace rule RootManageSharedAccessKey (default: the fixed development keys, so
   * printed configuration strings stay valid across restarts). Tests give each emulator its own:
   * a client left over from another test that reconnects to a reused port is then refused (401)
   * instead of joining as a listener.
   */
  rootKeys?: { primaryKey: string; secondaryKey: string };
  /** JSON file with extra rules and hybrid connections (see config-file.ts). */
  configFile?: string;
  /** How long a listener has to respond before the sender gets 504 (default 60000). */
  responseTimeoutMs?: number;
  /** Reuse a response rendezvous for the sender's later requests, as Azure documents (default false). */
  strict?: boolean;
  /** How long a control channel stays open past its token's expiry without a renewal (default 5 min). */
  tokenGraceMs?: number;
  /** A certificate (PEM) for HTTPS and wss:// on the same port; without it only plain HTTP and ws://. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /**
   * The address clients reach the relay at when a front (a TLS terminator, a port forward) stands
   * before it, e.g. wss://relay.example.com or wss://localhost:8443: rendezvous addresses and
   * configuration strings use it instead of how each client came in.
   */
  publicAddress?: string;
  logger?: Logger;
}

export interface ConnectionStringOptions {
  rule?: string;
  keyType?: 'primary' | 'secondary';
  /**
   * 'tls': Endpoint=sb://host:port/ with no UseDevelopmentEmulator — what Microsoft's SDKs accept
   * (they dial wss:// and https:// to that port). 'plain': the same plus UseDevelopmentEmulator=true
   * (ws:// and http://). Default: 'tls' when the emulator has a certificate or a wss:// public
   * address, else 'plain'.
   */
  mode?: 'tls' | 'plain';
}

/** The parts of a --public-address: scheme (ws or wss) and host[:port]. */
export function parsePublicAddress(text: string): { secure: boolean; authority: string; origin: string } {
  const match = /^(wss?):\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?\/?$/i.exec(text.trim());
  if (!match || (match[3] !== undefined && (Number(match[3]) < 1 || Number(match[3]) > 65535))) {
    throw new Error('The public address must be ws://host[:port] or wss://host[:port] (no path).');
  }
  const secure = match[1].toLowerCase() === 'wss';
  const authority = match[3] === undefined ? match[2] : `${match[2]}:${match[3]}`;
  return { secure, authority, origin: `${secure ? 'wss' : 'ws'}://${authority}` };
}

const HOST_HEADER = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]{1,253})(:\d{1,5})?$/;

export class RelayEmulator extends LifecycleServer {
  private readonly registry = new HybridConnectionRegistry();
  private readonly authorizer = Authorizer.forRegistry(this.registry);
  private readonly logger: Logger;
  private readonly host: string;
  private port: number;
  private readonly settings: { responseTimeoutMs: number; strict: boolean; tokenGraceMs: number };
  private readonly tls: { cert: string | Buffer; key: string | Buffer } | undefined;
  private readonly publicAddress: { secure: boolean; authority: string; origin: string } | undefined;
  private readonly runtimeInformation: RuntimeInformation;
  private readonly chosenProtocols = new WeakMap<IncomingMessage, string | false>();
  private readonly httpSender: HttpSender;
  private readonly wsSender: WsSender;
  private readonly listenHandler: ListenHandler;
  private readonly management: ManagementApi;
  private server: SniffingServer | undefined;
  private controlServer: WebSocketServer | undefined;
  private dataServer: WebSocketServer | undefined;

  constructor(options: RelayEmulatorOptions = {}) {
    super();
    this.logger = options.logger ?? silentLogger();
    this.host = options.host ?? DEFAULT_RELAY_HOST;
    this.port = options.port ?? DEFAULT_RELAY_PORT;
    const timeout = options.responseTimeoutMs ?? DEFAULT_RESPONSE_TIMEOUT_MS;
    if (!Number.isFinite(timeout) || timeout <= 0) throw new Error('responseTimeoutMs must be a positive number of milliseconds.');
    const grace = options.tokenGraceMs ?? DEFAULT_TOKEN_GRACE_MS;
    if (!Number.isFinite(grace) || grace < 0) throw new Error('tokenGraceMs must be zero or a positive number of milliseconds.');
    this.settings = { responseTimeoutMs: timeout, strict: options.strict === true, tokenGraceMs: grace };
    this.tls = options.tls;
    this.publicAddress = options.publicAddress === undefined ? undefined : parsePublicAddress(options.publicAddress);
    // 1. Configuration: the root rule's keys, the file's rules and hybrid connections, then the ones given directly.
    if (options.rootKeys) this.registry.setNamespaceRule({ name: ROOT_RULE_NAME, rights: ['Manage', 'Listen', 'Send'], ...options.rootKeys });
    if (options.configFile !== undefined) {
      const config = loadRelayConfigFile(options.configFile);
      for (const rule of config.authorizationRules) this.registry.setNamespaceRule(rule);
      for (const spec of config.hybridConnections) this.registry.add(spec);
    }
    for (const spec of options.hybridConnections ?? []) this.registry.add(spec);
    const base = { registry: this.registry, authorizer: this.authorizer, logger: this.logger };
    // 2. HTTP senders and their rendezvous.
    this.httpSender = new HttpSender({ ...base, settings: this.settings });
    // 3. WebSocket senders: connect, accept, reject.
    this.wsSender = new WsSender({ ...base, settings: this.settings, chosenProtocols: this.chosenProtocols });
    // 4. Listeners' control channels; their responses go to the HTTP sender side.
    this.listenHandler = new ListenHandler({
      ...base,
      settings: this.settings,
      originFor: (req) => this.originFor(req),
      channelEvents: {
        onResponse: (channel, head, body) => this.httpSender.onControlChannelResponse(channel, head, body),
        onClosed: (channel) => this.onListenerClosed(channel),
      },
    });
    // 5. Runtime information (GetRuntimeInformationAsync), then management.
    this.runtimeInformation = new RuntimeInformation(base);
    this.management = new ManagementApi({
      ...base,
      connectionString: (rule, key, entityPath) => this.formatConnectionString(rule.name, key, entityPath),
      onRemoved: (hybridConnection) => this.onHybridConnectionRemoved(hybridConnection),
    });
  }

  protected async onStart(): Promise<void> {
    const plain = http.createServer();
    const secure = this.tls ? https.createServer({ cert: this.tls.cert, key: this.tls.key }) : undefined;
    this.controlServer = new WebSocketServer({ noServer: true, maxPayload: MAX_CONTROL_MESSAGE_BYTES, perMessageDeflate: false });
    this.dataServer = new WebSocketServer({
      noServer: true,
      maxPayload: MAX_DATA_MESSAGE_BYTES,
      // Azure documents no cap on the frames of one message, and hyco-https sends each write() as
      // a frame: ws 8's default of 16,384 fragments would cut off a body streamed in small writes.
      maxFragments: 0,
      perMessageDeflate: false,
      // A held sender answers with the listener's pick; a listener's own handshake gets its first offer.
      handleProtocols: (protocols, request) => this.chosenProtocols.get(request) ?? protocols.values().next().value ?? false,
    });
    for (const inner of secure ? [plain, secure] : [plain]) {
      inner.on('request', (req, res) => this.onRequest(req, res));
      inner.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
    }
    // A failed TLS handshake (an untrusted certificate, plain bytes after 0x16) ends that socket only.
    secure?.on('tlsClientError', (error) => this.logger.debug({ err: error }, 'TLS handshake failed.'));
    const server = createSniffingServer(plain, secure);
    this.server = server;
    await listen(server, this.port, this.host);
    // Keep the bound port: a restart binds the same one, so listeners and senders find it again.
    this.port = boundPort(server);
    this.logger.info({ host: this.host, port: this.port }, 'Relay emulator listening.');
  }

  protected async onClose(): Promise<void> {
    // Waiting senders first (503), so closing their listeners does not turn the answer into a 502.
    this.httpSender.failAll(relayErrors.shuttingDown());
    this.wsSender.failAll(relayErrors.shuttingDown());
    for (const hybridConnection of this.registry.list()) {
      for (const listener of [...hybridConnection.listeners]) listener.close(CLOSE_GOING_AWAY, 'The relay is shutting down.');
    }
    for (const wss of [this.controlServer, this.dataServer]) {
      for (const client of wss?.clients ?? []) client.terminate();
      wss?.close();
    }
    if (this.server) await closeServer(this.server);
    this.server = undefined;
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    try {
      const address = parseRelayAddress(req.url);
      // Management first: "$management" can never be a hybrid connection name.
      if (address.isManagement) return this.management.handle(req, res, address);
      // The SDKs' GetRuntimeInformationAsync: answered by the relay, never passed to a listener.
      if (isRuntimeInformationRequest(req, address)) return this.runtimeInformation.handle(req, res, address);
      // Everything else is an HTTP sender (a $hc address without an upgrade included: 404).
      this.httpSender.handle(req, res);
    } catch (error) {
      this.logger.error({ err: error }, 'Unexpected failure handling a request.');
      sendHttpError(res, req.method, relayErrors.internal(), trackingContext(req.headers.host, '', undefined));
    }
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', (error) => this.logger.debug({ err: error }, 'Socket error during a WebSocket handshake.'));
    const address = parseRelayAddress(req.url);
    const tracking = trackingContext(req.headers.host, address.path, address.param('sb-hc-id'));
    try {
      if (!address.isHc) return rejectUpgrade(socket, relayErrors.endpointNotFound(), tracking);
      const action = (address.param('sb-hc-action') ?? '').toLowerCase();
      // Dispatch on sb-hc-action: listener, WebSocket sender, accept rendezvous, request rendezvous.
      // No action at all is a WebSocket sender too, as on Azure (the SDK's raw WebSocket tests).
      if (action === 'listen') return this.listenHandler.handle(req, socket, head, address, this.controlServer!);
      if (action === 'connect' || action === '') return this.wsSender.connect(req, socket, head, address);
      if (action === 'accept') return this.wsSender.accept(req, socket, head, address, this.dataServer!);
      if (action === 'request') return this.httpSender.acceptRendezvous(req, socket, head, address, this.dataServer!);
      rejectUpgrade(socket, relayErrors.badAction(), tracking);
    } catch (error) {
      this.logger.error({ err: error }, 'Unexpected failure handling a WebSocket handshake.');
      rejectUpgrade(socket, relayErrors.internal(), tracking);
    }
  }

  private onListenerClosed(channel: ListenerChannel): void {
    this.httpSender.onListenerClosed(channel);
    this.wsSender.onListenerClosed(channel);
  }

  private onHybridConnectionRemoved(hybridConnection: HybridConnection): void {
    this.httpSender.failAll(relayErrors.endpointNotFound(), hybridConnection);
    this.wsSender.failAll(relayErrors.endpointNotFound(), hybridConnection);
    for (const listener of [...hybridConnection.listeners]) listener.close(CLOSE_GOING_AWAY, 'The hybrid connection was deleted.');
  }

  /** The bound address once started (the configured one before). */
  address(): { host: string; port: number } {
    return { host: this.host, port: this.port };
  }

  /** Whether the port also speaks TLS (HTTPS, wss://). */
  get secure(): boolean {
    return this.tls !== undefined;
  }

  /** Where rendezvous addresses for a listener point: the public address, else how the listener came in. */
  private originFor(req: IncomingMessage): string {
    if (this.publicAddress) return this.publicAddress.origin;
    const scheme = (req.socket as TLSSocket).encrypted ? 'wss' : 'ws';
    const host = req.headers.host;
    return `${scheme}://${host !== undefined && HOST_HEADER.test(host) ? host : this.boundAuthority()}`;
  }

  private boundAuthority(): string {
    const unspecified = this.host === '0.0.0.0' || this.host === '::' || this.host === '';
    const host = unspecified ? '127.0.0.1' : this.host.includes(':') ? `[${this.host}]` : this.host;
    return `${host}:${this.port}`;
  }

  /** The configuration string of a hybrid connection, with a rule's primary (default) or secondary key. */
  connectionString(hybridConnection: string, options: ConnectionStringOptions = {}): string {
    const found = this.registry.get(hybridConnection);
    if (!found) throw new Error(`The relay emulator has no hybrid connection named "${hybridConnection.slice(0, 100)}".`);
    const rule = this.registry.findRule(options.rule ?? ROOT_RULE_NAME, found);
    if (!rule) throw new Error(`The relay emulator has no authorization rule named "${String(options.rule).slice(0, 100)}" for ${found.name}.`);
    return this.formatConnectionString(rule.name, options.keyType === 'secondary' ? rule.secondaryKey : rule.primaryKey, found.name, options.mode);
  }

  /** The mode printed strings use unless asked otherwise. */
  get defaultMode(): 'tls' | 'plain' {
    if (this.publicAddress) return this.publicAddress.secure ? 'tls' : 'plain';
    return this.tls ? 'tls' : 'plain';
  }

  private formatConnectionString(ruleName: string, key: string, entityPath?: string, mode = this.defaultMode): string {
    if (this.port === 0) throw new Error('The relay emulator was asked for port 0 and has not started yet: start it first.');
    if (mode === 'tls' && !this.tls && !this.publicAddress?.secure) {
      throw new Error('The relay emulator has no certificate (and no wss:// public address): it has no TLS configuration string.');
    }
    // Behind a front, the front's address; a wss:// front on 443 keeps no port (the SDKs' default).
    const front = this.publicAddress !== undefined && this.publicAddress.secure === (mode === 'tls');
    const authority = front ? this.publicAddress!.authority : this.boundAuthority();
    const entity = entityPath === undefined ? '' : `;EntityPath=${entityPath}`;
    const plain = mode === 'plain' ? ';UseDevelopmentEmulator=true' : '';
    return `Endpoint=sb://${authority}/;SharedAccessKeyName=${ruleName};SharedAccessKey=${key}${entity}${plain}`;
  }

  /** Connected listeners of a hybrid connection (0 when it does not exist). */
  listenerCount(name: string): number {
    return this.registry.get(name)?.listeners.size ?? 0;
  }

  /** The hybrid connections in the order they were added. */
  hybridConnections(): Array<{ name: string; listenerCount: number; requiresClientAuthorization: boolean }> {
    return this.registry.inOrder().map((hc) => hc.describe());
  }

  addHybridConnection(spec: HybridConnectionSpec): void {
    this.registry.add(spec);
  }

  /** Deletes a hybrid connection: its listeners are closed with 1001, its pending calls get 404. */
  removeHybridConnection(name: string): boolean {
    const removed = this.registry.remove(name);
    if (removed) this.onHybridConnectionRemoved(removed);
    return removed !== undefined;
  }

  /** Replaces a namespace rule's key (or a hybrid connection's rule's, when given); returns the rule's keys. */
  regenerateKeys(rule: string, keyType: KeyType, hybridConnection?: string): Pick<AuthorizationRule, 'name' | 'primaryKey' | 'secondaryKey'> {
    const entity = hybridConnection === undefined ? undefined : this.registry.get(hybridConnection);
    if (hybridConnection !== undefined && !entity) throw new Error(`The relay emulator has no hybrid connection named "${hybridConnection.slice(0, 100)}".`);
    const updated = this.registry.regenerateKeys(rule, keyType, entity);
    if (!updated) throw new Error(`The relay emulator has no authorization rule named "${rule.slice(0, 100)}".`);
    return { name: updated.name, primaryKey: updated.primaryKey, secondaryKey: updated.secondaryKey };
  }
}
