/**
 * One client connection: bytes in through MessageReader, messages handled one at a time by the
 * handshake state table (PRELOGIN → LOGIN7 → requests), responses out through MessageWriter.
 * ATTENTION cancels the running request and is acknowledged; protocol violations (bad framing,
 * a message the current state does not expect, a payload that does not parse) close the
 * connection — never the server.
 */
import type { Socket } from 'node:net';
import type tls from 'node:tls';
import { startTlsOverTds } from './tls-over-tds';
import type { Logger } from '../../../common/logger';
import { IncomingMessage, MessageReader, ProtocolError } from '../protocol/message-reader';
import { MessageWriter } from '../protocol/message-writer';
import { PacketType } from '../protocol/packet';
import { LATEST_TDS_VERSION } from '../protocol/tds-version';
import { NotEnoughData } from '../protocol/buffer-readers';
import { UnsupportedTypeError } from '../protocol/types/type-info';
import { ResponseWriter, sendAttentionAck } from './response-writer';
import { EncryptionMode, login, preloginResponse } from './login';
import { handleBulkLoad, handleRpc, handleSqlBatch, handleTransactionManager, RequestHandler } from './requests';
import { SqlSession, ServerInfo } from '../engine/sql-session';
import type { StandInDatabase } from '../engine/database';
import { CancelledError } from '../tsql/execute/executor';
import { sqlErrors } from '../tsql/sql-error';

export type HandshakeState = 'awaitingPrelogin' | 'awaitingLogin' | 'loggedIn' | 'closed';

export interface ConnectionContext {
  store: StandInDatabase;
  server: ServerInfo;
  logins: Array<{ user: string; password: string }>;
  logger: Logger;
  responseDelayMs(): number;
  nextSpid(): number;
  onRowSent(): void;
  /** Present when the stand-in has a certificate: PRELOGIN may then agree to TLS. */
  tls?: tls.SecureContext;
}

type StateHandler = (connection: TdsConnection, message: IncomingMessage) => Promise<void>;

/** The handshake as a table: which message each state accepts, and what handles it. */
const STATES: Record<HandshakeState, Partial<Record<number, StateHandler>>> = {
  awaitingPrelogin: { [PacketType.PreLogin]: (c, m) => c.onPrelogin(m) },
  awaitingLogin: { [PacketType.Login7]: (c, m) => c.onLogin(m) },
  loggedIn: {
    [PacketType.SqlBatch]: (c, m) => c.onRequest(m, handleSqlBatch),
    [PacketType.Rpc]: (c, m) => c.onRequest(m, handleRpc),
    [PacketType.TransactionManager]: (c, m) => c.onRequest(m, handleTransactionManager),
    [PacketType.BulkLoad]: (c, m) => c.onRequest(m, handleBulkLoad),
  },
  closed: {},
};

/** Largest request a logged-in client may send (bulk loads arrive as one message). */
const MAX_REQUEST_BYTES = 256 * 1024 * 1024;

/** LOGIN7 OptionFlags2 fODBC (MS-TDS 2.2.6.4): the client wants ODBC's ANSI session defaults. */
const LOGIN7_ODBC = 0x02;

export class TdsConnection {
  state: HandshakeState = 'awaitingPrelogin';
  session: SqlSession | undefined;
  private readonly reader: MessageReader;
  private readonly writer: MessageWriter;
  private readonly queue: IncomingMessage[] = [];
  private busy = false;
  private current: ResponseWriter | undefined;
  private clientWantsEncryption = false;
  /** The TDS version the login settled on: token layouts and wire types follow it. */
  tdsVersion: number = LATEST_TDS_VERSION;
  private readonly closedListeners: Array<() => void> = [];
  /** Set once TLS is on: network bytes go to the TLS layer instead of the message reader. */
  private tlsFeed: ((chunk: Buffer) => void) | undefined;
  private tlsSocket: tls.TLSSocket | undefined;
  private tlsDetach: (() => void) | undefined;
  private encryptionMode: EncryptionMode = 'none';

  constructor(readonly socket: Socket, private readonly context: ConnectionContext) {
    this.writer = new MessageWriter(socket);
    this.reader = new MessageReader({
      message: (message) => this.enqueue(message),
      attention: () => this.onAttention(),
      error: (error) => this.fail(error),
    });
    socket.on('data', (chunk: Buffer) => (this.tlsFeed ? this.tlsFeed(chunk) : this.reader.push(chunk)));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  onClosed(listener: () => void): void {
    this.closedListeners.push(listener);
  }

  private enqueue(message: IncomingMessage): void {
    this.queue.push(message);
    if (!this.busy) void this.pump();
  }

  private async pump(): Promise<void> {
    this.busy = true;
    try {
      while (this.queue.length > 0 && this.state !== 'closed') {
        const message = this.queue.shift()!;
        const handler = STATES[this.state][message.type];
        if (!handler) {
          this.fail(new ProtocolError(`A message of type 0x${message.type.toString(16)} is not expected in state ${this.state}.`));
          return;
        }
        await handler(this, message);
      }
    } catch (error) {
      this.fail(error as Error);
    } finally {
      this.busy = false;
    }
  }

  async onPrelogin(message: IncomingMessage): Promise<void> {
    const { response, clientWantsEncryption, mode } = preloginResponse(message.payload, this.context.tls !== undefined);
    this.clientWantsEncryption = clientWantsEncryption;
    this.encryptionMode = mode;
    this.writer.send(PacketType.TabularResult, response);
    this.state = 'awaitingLogin';
    if (mode !== 'none') this.startTls(this.context.tls!);
  }

  /** From here on the client's next bytes are its TLS ClientHello inside PRELOGIN packets. */
  private startTls(context: tls.SecureContext): void {
    const { tlsSocket, feed, detach } = startTlsOverTds(this.socket, context);
    this.tlsSocket = tlsSocket;
    this.tlsFeed = feed;
    this.tlsDetach = detach;
    tlsSocket.on('data', (chunk: Buffer) => this.reader.push(chunk));
    // A client that rejects the certificate ends the handshake with an alert and closes.
    tlsSocket.on('error', (error) => this.fail(error));
    tlsSocket.on('close', () => this.close());
    this.writer.retarget(tlsSocket);
  }

  /**
   * Login-only encryption (MS-TDS 3.3.5.1): the LOGIN7 packet came inside TLS; the client then
   * drops TLS without a close_notify and reads the login response in plain TDS, and so do we.
   */
  private endLoginOnlyTls(): void {
    const tlsSocket = this.tlsSocket!;
    this.tlsSocket = undefined;
    this.tlsFeed = undefined;
    this.tlsDetach!();
    tlsSocket.removeAllListeners('data').removeAllListeners('close').removeAllListeners('error');
    tlsSocket.on('error', () => undefined);
    tlsSocket.destroy();
    this.writer.retarget(this.socket);
  }

  async onLogin(message: IncomingMessage): Promise<void> {
    const { server, logins, store } = this.context;
    // While TLS is on, every byte from the network goes through it: this LOGIN7 came encrypted.
    if (this.encryptionMode === 'login') this.endLoginOnlyTls();
    const outcome = login(message.payload, { logins, database: server.databaseName, serverName: server.serverName, clientWantsEncryption: this.clientWantsEncryption, encrypted: this.tlsSocket !== undefined });
    this.writer.send(PacketType.TabularResult, outcome.response);
    if (!outcome.ok) {
      this.context.logger.info({ reason: outcome.reason }, 'sqlserver stand-in: login refused');
      this.state = 'closed';
      this.socket.end();
      return;
    }
    const { login: request, packetSize } = outcome;
    this.tdsVersion = outcome.tdsVersion;
    this.writer.packetSize = packetSize;
    this.reader.maxPacketSize = packetSize;
    this.reader.maxMessageBytes = MAX_REQUEST_BYTES;
    this.session = new SqlSession(store, server, { spid: this.context.nextSpid(), login: request.userName, appName: request.appName, hostName: request.hostName, odbc: (request.optionFlags2 & LOGIN7_ODBC) !== 0, tdsVersion: outcome.tdsVersion, encrypted: this.tlsSocket !== undefined, packetSize }, server.databaseName);
    this.state = 'loggedIn';
  }

  async onRequest(message: IncomingMessage, handler: RequestHandler): Promise<void> {
    const session = this.session!;
    const response = new ResponseWriter(this.writer, this.context.server.serverName, this.context.onRowSent, this.tdsVersion);
    this.current = response;
    try {
      if (message.resetConnection) {
        // As SQL Server: an open transaction rolls back, and the client hears it (ROLLBACK ENVCHANGE)
        // so its own transaction state follows; then the reset acknowledgement.
        if (session.tranCount > 0) {
          const ended = session.rollback();
          if (ended) response.transactionChanged('rollback', ended);
        }
        session.reset();
        response.resetConnectionAck();
      }
      if (message.ignored) {
        response.finish('done', false);
        return;
      }
      await this.delay(response.signal);
      await handler(session, message, response);
    } catch (error) {
      this.endAfterFailure(response, error);
    } finally {
      this.current = undefined;
      if (response.signal.aborted && this.state !== 'closed') sendAttentionAck(this.writer, this.tdsVersion);
    }
  }

  /** Finishes the response of a request that failed outside the executor (a malformed payload, a cancel). */
  private endAfterFailure(response: ResponseWriter, error: unknown): void {
    if (this.state === 'closed') return;
    if (error instanceof CancelledError || response.signal.aborted) {
      if (this.writer.inMessage) response.finish('done', false);
      return;
    }
    if (error instanceof NotEnoughData || error instanceof RangeError) throw new ProtocolError(`Malformed request: ${(error as Error).message}`);
    const sqlError = error instanceof UnsupportedTypeError ? sqlErrors.notSupported(error.message.replace(/^The SQL Server stand-in does not support /, '').replace(/\.$/, '')) : sqlErrors.internal((error as Error).message);
    this.context.logger.warn({ err: error }, 'sqlserver stand-in: request failed');
    if (!this.writer.inMessage) return;
    response.error(sqlError);
    response.finish('done', true);
  }

  private async delay(signal: AbortSignal): Promise<void> {
    const ms = this.context.responseDelayMs();
    if (ms <= 0) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(); }, ms);
      const onAbort = () => { clearTimeout(timer); reject(new CancelledError()); };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private onAttention(): void {
    if (this.state !== 'loggedIn') return this.fail(new ProtocolError('ATTENTION before login.'));
    if (this.current) this.current.cancel('ATTENTION');
    else sendAttentionAck(this.writer, this.tdsVersion);
  }

  private fail(error: Error): void {
    if (this.state === 'closed') return;
    this.context.logger.info({ err: error.message }, 'sqlserver stand-in: closing a connection after a protocol error');
    this.close();
  }

  close(): void {
    if (this.state === 'closed' && !this.session && this.closedListeners.length === 0) return;
    this.state = 'closed';
    this.current?.cancel('connection closed');
    if (!this.socket.destroyed) this.socket.destroy();
    if (this.tlsSocket && !this.tlsSocket.destroyed) this.tlsSocket.destroy();
    const session = this.session;
    this.session = undefined;
    if (session && !this.busy) session.close();
    else if (session) setImmediate(() => this.closeSessionWhenIdle(session));
    for (const listener of this.closedListeners.splice(0)) listener();
  }

  /** A request still running holds the session's SQLite statement; close it once that unwinds. */
  private closeSessionWhenIdle(session: SqlSession): void {
    if (this.busy) {
      setTimeout(() => this.closeSessionWhenIdle(session), 5);
      return;
    }
    session.close();
  }
}
