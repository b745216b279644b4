/**
 * The SQL Server stand-in: a TDS server (the composition root of this folder). start() opens the
 * storage, runs the seed script on an empty database and listens; close() ends every session and
 * keeps the data for the next start() on the same port. Fault controls let tests drop all
 * connections and delay every response.
 */
import net from 'node:net';
import type tls from 'node:tls';
import os from 'node:os';
import { LifecycleServer, listen, boundPort, closeServer } from '../../common/server-lifecycle';
import { silentLogger, Logger } from '../../common/logger';
import { StandInDatabase } from './engine/database';
import { TdsConnection } from './session/tds-connection';
import { SERVER_VERSION } from './session/login';
import { runScript } from './script-runner';
import { tdsSecureContext, TlsKeyPair } from './session/tls-over-tds';
import { DEMO_DATABASE, DEMO_LOGIN } from './demo';

export interface SqlServerStandInOptions {
  host?: string;
  /** 1433 by default; 0 = any free port (address() tells which). */
  port?: number;
  /** A T-SQL script (GO-separated batches) run when the database is empty. */
  seedSql?: string;
  /** Keep the data in this SQLite file; without it the data lives in a temporary file. */
  dataFile?: string;
  logins?: Array<{ user: string; password: string }>;
  database?: string;
  logger?: Logger;
  /**
   * A certificate and key (PEM): clients that ask for encryption (Encrypt=true) then get TLS
   * inside TDS; without one the stand-in answers ENCRYPT_NOT_SUP. See src/common/tls-certificate.ts.
   */
  tls?: TlsKeyPair;
}

export interface StandInFaults {
  /** Destroys every client socket at once (sessions roll back). */
  dropAllConnections(): void;
  /** Delays the handling of every request by `ms` (0 turns it off). */
  setResponseDelay(ms: number): void;
}

export class SqlServerStandIn extends LifecycleServer {
  readonly faults: StandInFaults;
  private readonly host: string;
  private port: number;
  private readonly database: string;
  private readonly logins: Array<{ user: string; password: string }>;
  private readonly logger: Logger;
  private readonly store: StandInDatabase;
  private server: net.Server | undefined;
  private readonly connections = new Set<TdsConnection>();
  private responseDelayMs = 0;
  private spid = 50;
  private seeded = false;
  private rowsSent = 0;
  private readonly secureContext: tls.SecureContext | undefined;

  constructor(private readonly options: SqlServerStandInOptions = {}) {
    super();
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port ?? 1433;
    this.database = options.database ?? DEMO_DATABASE;
    this.logins = options.logins ?? [DEMO_LOGIN];
    this.logger = options.logger ?? silentLogger();
    this.store = new StandInDatabase({ dataFile: options.dataFile });
    this.secureContext = options.tls ? tdsSecureContext(options.tls) : undefined;
    this.faults = {
      dropAllConnections: () => {
        for (const connection of [...this.connections]) connection.close();
      },
      setResponseDelay: (ms: number) => {
        this.responseDelayMs = Math.max(0, ms);
      },
    };
  }

  /** The address actually bound (after start); restarts bind the same port. */
  address(): { host: string; port: number } {
    return { host: this.host, port: this.port };
  }

  /** An ADO.NET connection string for the first configured login. */
  connectionString(): string {
    const login = this.logins[0];
    return `Server=${this.host},${this.port};Database=${this.database};User Id=${login.user};Password=${login.password};Encrypt=false`;
  }

  /** What the server has done so far (for tests and diagnostics): open connections, rows written to clients, requests waiting for a lock. */
  diagnostics(): { connections: number; rowsSent: number; lockWaiters: number } {
    return { connections: this.connections.size, rowsSent: this.rowsSent, lockWaiters: this.store.locks.waiting };
  }

  protected async onStart(): Promise<void> {
    this.store.open();
    initialiseCounters(this.store);
    if (this.options.seedSql && !this.seeded && this.store.isEmpty()) {
      await runScript(this.store, this.serverInfo(), this.options.seedSql);
    }
    this.seeded = true;
    const server = net.createServer((socket) => this.accept(socket));
    await listen(server, this.port, this.host);
    this.port = boundPort(server);
    this.server = server;
    this.logger.info({ host: this.host, port: this.port, database: this.database }, 'sqlserver stand-in listening');
  }

  protected async onClose(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.faults.dropAllConnections();
    if (server) await closeServer(server);
    this.store.close();
  }

  private serverInfo() {
    return {
      databaseName: this.database,
      serverName: os.hostname().split('.')[0].toUpperCase(),
      version: `Microsoft SQL Server ${SERVER_VERSION.major}.0.${SERVER_VERSION.build}.${SERVER_VERSION.subBuild} (HCM SQL Server stand-in over SQLite)`,
    };
  }

  private accept(socket: net.Socket): void {
    socket.setNoDelay(true);
    const connection = new TdsConnection(socket, {
      store: this.store,
      server: this.serverInfo(),
      logins: this.logins,
      logger: this.logger,
      responseDelayMs: () => this.responseDelayMs,
      nextSpid: () => ++this.spid,
      onRowSent: () => { this.rowsSent++; },
      tls: this.secureContext,
    });
    this.connections.add(connection);
    connection.onClosed(() => this.connections.delete(connection));
  }
}

/** @@DBTS continues after the highest rowversion stored, so new values stay increasing across restarts. */
function initialiseCounters(store: StandInDatabase): void {
  const db = store.adminConnection();
  for (const table of store.catalog().tables()) {
    for (const column of table.columns.filter((c) => c.type.name === 'rowversion')) {
      const row = db.prepare(`SELECT max("${column.name.replace(/"/g, '""')}") AS v FROM "${table.name.replace(/"/g, '""')}"`).get() as { v: Buffer | null };
      const value = row.v && row.v.length > 0 ? BigInt(`0x${row.v.toString('hex')}`) : 0n;
      if (value > store.rowversion) store.rowversion = value;
    }
  }
  if (store.rowversion === 0n) store.rowversion = 2000n;
}
