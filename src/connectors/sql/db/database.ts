/**
 * The connector's one mssql pool, kept healthy: created on first use, replaced when a connection
 * failure shows it is broken (mssql pools do not recover by themselves after the server goes away),
 * and failing fast during an outage — a caller waits at most `failFastMs` for a connection attempt
 * before getting 503 DatabaseUnavailable, and after a failed attempt the next one is made
 * `retryDelayMs` later, so service resumes within about a second of the database's return.
 */
import sql from 'mssql';
import type { Logger } from '../../../common/logger';
import { silentLogger } from '../../../common/logger';
import { HcmError, isHcmError } from '../../../common/errors';
import type { SqlConnectorSettings } from '../../../config/sql-settings';
import { MappedError, mapDatabaseError, unavailable } from './error-map';
import { Statement } from './parameters';

export interface DatabaseOptions {
  logger?: Logger;
  /** Longest a request waits for a connection attempt in progress (default 1500 ms). */
  failFastMs?: number;
  /** Pause after a failed attempt before the next (default 1000 ms). */
  retryDelayMs?: number;
}

const APP_NAME = 'HybridConnectionManager';

/** The mssql configuration for the settings (the pool's key: a change of any part replaces the pool). */
export function poolConfig(settings: SqlConnectorSettings): sql.config {
  return {
    server: settings.server,
    port: settings.instance ? undefined : (settings.port ?? 1433),
    database: settings.database,
    user: settings.user,
    password: settings.password,
    // Callers never wait for this (failFastMs); a slow login may still finish and serve later calls.
    connectionTimeout: 15_000,
    requestTimeout: settings.requestTimeoutMs,
    pool: { max: 10, min: 0, idleTimeoutMillis: 30_000, acquireTimeoutMillis: settings.requestTimeoutMs },
    options: {
      encrypt: settings.encrypt,
      trustServerCertificate: settings.trustServerCertificate,
      instanceName: settings.instance,
      appName: APP_NAME,
    },
    // Check a pooled connection's socket on acquire rather than running SELECT 1 each time.
    validateConnection: 'socket',
  } as sql.config;
}

export class Database {
  private settings?: SqlConnectorSettings;
  private configKey = '';
  private current?: sql.ConnectionPool;
  private connecting?: Promise<sql.ConnectionPool>;
  private generation = 0;
  private downUntil = 0;
  private lastError?: HcmError;
  private closed = false;
  /** Called when SQL Server reports an unknown object or column (the catalog is out of date). */
  onSchemaError?: () => void;
  /** Called with every database failure as it is answered (the metrics count them by number). */
  onError?: (error: HcmError) => void;
  private readonly logger: Logger;
  private readonly failFastMs: number;
  private readonly retryDelayMs: number;

  constructor(options: DatabaseOptions = {}) {
    this.logger = options.logger ?? silentLogger();
    this.failFastMs = options.failFastMs ?? 1500;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
  }

  get databaseName(): string | undefined {
    return this.settings?.database;
  }

  /** The pool's connections and waiters now (all zero before the first connection). */
  poolStats(): { size: number; inUse: number; waiters: number } {
    const pool = this.current;
    return pool ? { size: pool.size, inUse: pool.borrowed, waiters: pool.pending } : { size: 0, inUse: 0, waiters: 0 };
  }

  get requestTimeoutMs(): number {
    return this.settings?.requestTimeoutMs ?? 45_000;
  }

  /** Applies (new) settings; a changed server, login or option replaces the pool. */
  configure(settings: SqlConnectorSettings | undefined): void {
    this.settings = settings;
    const key = settings ? JSON.stringify(poolConfig(settings)) : '';
    if (key === this.configKey) return;
    this.configKey = key;
    this.discard('the connection settings changed');
    this.downUntil = 0;
    this.lastError = undefined;
  }

  /** The pool, connecting first if needed; throws DatabaseUnavailable quickly during an outage. */
  async pool(): Promise<sql.ConnectionPool> {
    if (this.closed) throw unavailable('the connector is shutting down');
    if (!this.settings) throw unavailable('the connector has no settings');
    if (this.current) return this.current;
    if (!this.connecting) {
      if (Date.now() < this.downUntil && this.lastError) throw this.lastError;
      this.connecting = this.connect(this.generation);
    }
    return withDeadline(this.connecting, this.failFastMs);
  }

  /** Maps a failure and, when the connection was lost, drops the pool so the next call makes a new one. */
  fail(pool: sql.ConnectionPool | undefined, error: unknown): MappedError {
    let mapped = mapDatabaseError(error, this.requestTimeoutMs);
    // A call on a pool already replaced or closed failed because of that, whatever the driver says.
    if (mapped.error.code === 'InternalError' && pool && (pool !== this.current || this.closed)) {
      mapped = { error: unavailable('the connection pool was replaced while the call ran'), connectionLost: false };
    }
    if (mapped.error.code === 'InternalError' && error !== mapped.error) this.logger.error({ err: error }, 'unexpected database failure');
    // A driver error is reported once: an HcmError is one already mapped (a transaction maps the
    // failure of its statement again) or one of ours raised inside a transaction.
    if (!isHcmError(error)) this.onError?.(mapped.error);
    // SQL Server says an object or column is unknown: the schema changed under the cached catalog.
    if (mapped.error.code === 'ObjectNotFound' || (mapped.error.code === 'ColumnNotFound' && mapped.error.details.sqlErrorNumber === 207)) {
      this.onSchemaError?.();
    }
    if (mapped.connectionLost && pool && pool === this.current) {
      this.logger.warn({ err: error }, 'database connection lost; the pool will be replaced');
      this.discard('a connection failed');
    }
    return mapped;
  }

  /** Runs one statement with its parameters and returns all its result sets (for small results). */
  async run(statement: Statement, transaction?: sql.Transaction): Promise<sql.IResult<Record<string, unknown>>> {
    const pool = transaction ? ((transaction as unknown as { parent?: sql.ConnectionPool }).parent ?? undefined) : await this.pool();
    try {
      const request = transaction ? new sql.Request(transaction) : pool!.request();
      statement.parameters.applyTo(request);
      return await request.query(statement.text);
    } catch (error) {
      throw this.fail(pool, error).error;
    }
  }

  /** Runs `work` in a transaction: committed when it resolves, rolled back when it throws. */
  async inTransaction<T>(work: (transaction: sql.Transaction) => Promise<T>): Promise<T> {
    const pool = await this.pool();
    const transaction = new sql.Transaction(pool);
    try {
      await transaction.begin();
    } catch (error) {
      throw this.fail(pool, error).error;
    }
    try {
      const result = await work(transaction);
      await transaction.commit();
      return result;
    } catch (error) {
      await transaction.rollback().catch(() => undefined);
      throw this.fail(pool, error).error;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const pool = this.current;
    this.discard('the connector is closing');
    await this.connecting?.catch(() => undefined);
    if (pool) await pool.close().catch(() => undefined);
  }

  private async connect(generation: number): Promise<sql.ConnectionPool> {
    const pool = new sql.ConnectionPool(poolConfig(this.settings!));
    // An unhandled 'error' event would end the process; failures reach callers through their requests.
    pool.on('error', (error: Error) => this.logger.debug({ err: error }, 'mssql pool error'));
    try {
      await pool.connect();
    } catch (error) {
      const mapped = mapDatabaseError(error, this.requestTimeoutMs);
      this.onError?.(mapped.error);
      this.lastError = mapped.error;
      this.downUntil = Date.now() + this.retryDelayMs;
      this.logger.warn({ err: error }, 'cannot connect to the database');
      throw mapped.error;
    } finally {
      this.connecting = undefined;
    }
    if (generation !== this.generation || this.closed) {
      await pool.close().catch(() => undefined);
      throw unavailable('the connection settings changed while connecting; retry');
    }
    this.current = pool;
    this.lastError = undefined;
    this.logger.info({ database: this.settings?.database }, 'connected to the database');
    return pool;
  }

  private discard(reason: string): void {
    this.generation += 1;
    const pool = this.current;
    this.current = undefined;
    if (pool) {
      this.logger.debug({ reason }, 'closing the database pool');
      pool.close().catch(() => undefined);
    }
  }
}

/** Waits for `promise` at most `ms`; the attempt itself goes on, and later callers share it. */
function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(unavailable(`no connection within ${ms} ms; the attempt continues`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
