/**
 * The stand-in's storage: one SQLite database file in WAL mode and one SQLite connection per
 * TDS session. WAL gives each reader a snapshot of the last commit. Each write statement is its
 * own short SQLite transaction; the stand-in's table locks (LockManager) and before-images
 * (session-transaction.ts) make explicit transactions out of them, so an open transaction blocks
 * only the writers of the tables it wrote, and readers read the committed rows (SQL Server with
 * READ_COMMITTED_SNAPSHOT ON, Azure SQL's default).
 * Even "in memory" the data sits in a private temporary folder (temporary-directory.ts), because
 * separate connections cannot share a SQLite :memory: database; close() reads the file back into
 * memory and deletes the folder, and start() writes it out again, so data survives a restart of
 * the stand-in.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadSqlite, SqliteDatabase } from './sqlite-loader';
import { LockManager } from './lock-manager';
import { ImageRegistry, restoreLeftImages } from './before-images';
import { createOwnedFolder } from './temporary-directory';
import type { StoredValue } from '../sql-type';
import { Catalog, createCatalogTables, loadCatalog, ProcedureDefinition } from './catalog';

export interface DatabaseOptions {
  /** Keep the data in this file; without it the data lives in a temporary file owned by the stand-in. */
  dataFile?: string;
}

export class StandInDatabase {
  readonly locks = new LockManager();
  /** Tables other sessions read from an open transaction's before-image. */
  readonly images = new ImageRegistry();
  /** Next identity value per table (lower-case name), shared by all sessions; see identity UDFs. */
  readonly identityCounters = new Map<string, bigint>();
  /**
   * ##global temporary procedures: visible to every session, dropped when the session that made
   * them ends (SQL Server also waits for sessions still running one; calls here are short).
   */
  readonly globalProcedures = new Map<string, { definition: ProcedureDefinition; owner: object }>();
  /** Live sessions, for sys.dm_exec_sessions. */
  readonly sessions = new Set<{ sessionRow(): StoredValue[]; connectionRow(): StoredValue[] }>();
  /** tempdb object ids are negative on SQL Server; temporary procedures take the next one. */
  nextTempObjectId = -1_000_000_003;
  /** @@DBTS: the last rowversion handed out. */
  rowversion = 0n;
  private file = '';
  private temporaryDirectory: string | undefined;
  private snapshot: Buffer | undefined;
  private admin: SqliteDatabase | undefined;
  private readonly connections = new Set<SqliteDatabase>();

  constructor(private readonly options: DatabaseOptions = {}) {}

  get isOpen(): boolean {
    return this.admin !== undefined;
  }

  open(): void {
    if (this.admin) return;
    const Sqlite = loadSqlite();
    if (this.options.dataFile) {
      this.file = path.resolve(this.options.dataFile);
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
    } else {
      this.temporaryDirectory = createOwnedFolder();
      this.file = path.join(this.temporaryDirectory, 'standin.sqlite');
      if (this.snapshot) fs.writeFileSync(this.file, this.snapshot);
      this.snapshot = undefined;
    }
    this.admin = new Sqlite(this.file);
    this.admin.pragma('journal_mode = WAL');
    createCatalogTables(this.admin);
    // A process killed inside a transaction left before-images: the committed rows come back.
    const catalog = loadCatalog(this.admin);
    restoreLeftImages(this.admin, (objectId) => catalog.byObjectId(objectId)?.name);
  }

  /** A connection for one session; the caller registers the session's functions on it. */
  connect(): SqliteDatabase {
    if (!this.admin) throw new Error('The database is not open.');
    const Sqlite = loadSqlite();
    const db = new Sqlite(this.file);
    // Waits for SQLite's own locks would block the event loop; the LockManager orders the writers instead.
    db.pragma('busy_timeout = 0');
    db.pragma(`synchronous = ${this.options.dataFile ? 'NORMAL' : 'OFF'}`);
    // Referential integrity is enforced by generated triggers that raise SQL Server's error 547.
    db.pragma('foreign_keys = OFF');
    db.defaultSafeIntegers(true);
    this.connections.add(db);
    return db;
  }

  disconnect(db: SqliteDatabase): void {
    if (!this.connections.delete(db)) return;
    try {
      if (db.inTransaction) db.exec('ROLLBACK');
    } catch {
      // The connection is going away; a failed rollback only means nothing was open.
    }
    db.close();
  }

  catalog(db?: SqliteDatabase): Catalog {
    return loadCatalog(db ?? this.adminConnection());
  }

  adminConnection(): SqliteDatabase {
    if (!this.admin) throw new Error('The database is not open.');
    return this.admin;
  }

  /** True when no user object exists yet (a fresh database, ready for a seed script). */
  isEmpty(): boolean {
    return this.catalog().all().length === 0;
  }

  close(): void {
    for (const db of [...this.connections]) this.disconnect(db);
    if (!this.admin) return;
    this.admin.pragma('wal_checkpoint(TRUNCATE)');
    this.admin.close();
    this.admin = undefined;
    if (this.temporaryDirectory) {
      this.snapshot = fs.readFileSync(this.file);
      fs.rmSync(this.temporaryDirectory, { recursive: true, force: true });
      this.temporaryDirectory = undefined;
    }
  }
}
