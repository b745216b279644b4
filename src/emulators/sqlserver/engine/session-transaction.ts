/**
 * One session's writes and explicit transaction. Every write statement is its own SQLite
 * transaction (BEGIN IMMEDIATE … COMMIT), also inside an explicit T-SQL transaction, so SQLite's
 * one write lock is held only while a statement runs synchronously — never across a wait for the
 * client — and an open transaction on one session does not block other sessions' work on other
 * tables. Before it runs, a statement takes the stand-in's own table locks (lock-manager.ts,
 * write-plan.ts): X on what it writes, kept to the end of the transaction, S on what its checks
 * read, kept for the statement. Inside a transaction, the first write to a table at each
 * savepoint level first copies the table into a before-image (before-images.ts); ROLLBACK (and
 * ROLLBACK TRANSACTION savepoint) copy the images back, COMMIT drops them.
 *
 * DDL inside an explicit transaction works as before this design: it takes the database in X
 * (waiting until no other transaction keeps images, and making every other session's writes to
 * permanent tables wait until it ends), opens a SQLite write transaction and keeps it, with a
 * SQLite savepoint per statement, until COMMIT or ROLLBACK. #temporary tables take no locks (they
 * live in the connection's own temp schema) but get images in that schema like any table.
 */
import type { SqliteDatabase } from './sqlite-loader';
import type { StandInDatabase } from './database';
import type { Catalog, TableDefinition } from './catalog';
import { createImage, dropImage, ImageRecord, imageName, restoreImage } from './before-images';
import { LockOwner, LockResource } from './lock-manager';
import { lockSet, tableKey, WritePlan } from './write-plan';
import { sqlErrors } from '../tsql/sql-error';

export interface TransactionHost extends LockOwner {
  readonly db: SqliteDatabase;
  readonly store: StandInDatabase;
  readonly tempTables: Map<string, TableDefinition>;
  readonly tranCount: number;
  readonly lockTimeout: number;
  /** The catalog the statement was translated with (what its lock set is computed from). */
  translatedCatalog(): Catalog;
  /** Table variables: never imaged, and kept through a ROLLBACK of SQLite's transaction (table-variables.ts). */
  readonly tableVariables: { keepAcrossRollback(rollback: () => void): void };
}

/** A table variable's SQLite table (engine/table-variables.ts names them '@name~spid~n'). */
function isTableVariable(table: TableDefinition): boolean {
  return table.name.startsWith('@');
}

export const DATABASE_RESOURCE: LockResource = { key: 'database', type: 'DATABASE', objectId: 0 };

function tableResource(table: TableDefinition): LockResource {
  return { key: tableKey(table), type: 'OBJECT', objectId: table.objectId };
}

function savepointName(name: string): string {
  return `"sp_${name.replace(/"/g, '""')}"`;
}

function imageKey(table: TableDefinition): string {
  return table.temporary ? `temp:${table.name.toLowerCase()}` : tableKey(table);
}

export class SessionTransaction {
  /** SAVE TRANSACTION names, oldest first; `sqlite` when saved while SQLite's transaction was held. */
  private readonly savepoints: Array<{ name: string; sqlite: boolean }> = [];
  /** Each imaged table's images, lowest level first. */
  private readonly images = new Map<string, ImageRecord[]>();
  /** Images the running statement made; kept only if it commits. */
  private pending: Array<{ key: string; record: ImageRecord }> = [];
  /** #temporary tables created in the transaction, dropped again by a rollback past their level. */
  private readonly createdTemp: Array<{ name: string; level: number }> = [];
  /** DDL ran in the transaction: SQLite's write transaction stays open until it ends. */
  private holdsSqlite = false;
  private sequence = 0;
  private imaging: TableDefinition[] = [];
  /** Writes running: a trigger's statements write inside the statement that fired it. */
  private depth = 0;

  constructor(private readonly host: TransactionHost) {}

  get hasSavepoints(): boolean {
    return this.savepoints.length > 0;
  }

  private get level(): number {
    return this.savepoints.length;
  }

  /**
   * Runs `fn` as one statement, after taking the locks `plan` needs. `fn` is SQLite work; it may
   * await only to run a trigger's statements (fire-triggers.ts), which write through here again:
   * such a nested write is a savepoint inside the running statement's SQLite transaction.
   */
  async write<T>(signal: AbortSignal, plan: WritePlan, fn: () => T | Promise<T>): Promise<T> {
    if (this.depth > 0) return this.nestedWrite(signal, plan, fn);
    const inTransaction = this.host.tranCount > 0;
    const temp = plan.kind === 'temp' || (plan.kind !== 'ddl' && !!plan.table.temporary);
    this.depth++;
    try {
      const locked = temp ? [] : await this.lock(signal, plan, inTransaction);
      this.imaging = this.imagesFor(plan, temp, locked);
      return await this.run(plan, fn, inTransaction, temp);
    } finally {
      this.depth--;
      this.host.store.locks.releaseStatementLocks(this.host);
    }
  }

  private imagesFor(plan: WritePlan, temp: boolean, locked: TableDefinition[]): TableDefinition[] {
    if (plan.kind === 'ddl') return [];
    // A table variable's rows outlast ROLLBACK: it gets no before-image.
    if (temp) return plan.table && !isTableVariable(plan.table) ? [plan.table] : [];
    return locked;
  }

  /**
   * A write inside a running one (a trigger's statement): its locks may not wait — SQLite's write
   * lock is held meanwhile, so the transaction holding them could never go on — and end with 1222
   * at once; its before-images are made inside the running statement and kept if that commits.
   */
  private async nestedWrite<T>(signal: AbortSignal, plan: WritePlan, fn: () => T | Promise<T>): Promise<T> {
    const inTransaction = this.host.tranCount > 0;
    const temp = plan.kind === 'temp' || (plan.kind !== 'ddl' && !!plan.table.temporary);
    const locked = temp ? [] : await this.lock(signal, plan, inTransaction, 0);
    const pendingBefore = this.pending.length;
    const db = this.host.db;
    db.exec('SAVEPOINT "__hcm_nested"');
    try {
      if (inTransaction && !this.holdsSqlite) {
        this.imaging = this.imagesFor(plan, temp, locked);
        this.imageTables();
      }
      const result = await fn();
      db.exec('RELEASE "__hcm_nested"');
      return result;
    } catch (error) {
      db.exec('ROLLBACK TO "__hcm_nested"; RELEASE "__hcm_nested"');
      this.pending.splice(pendingBefore);
      throw error;
    }
  }

  /** Takes the statement's locks; returns the tables it writes (X). */
  private async lock(signal: AbortSignal, plan: WritePlan, inTransaction: boolean, timeout = this.host.lockTimeout): Promise<TableDefinition[]> {
    const locks = this.host.store.locks;
    const set = lockSet(this.host.translatedCatalog(), plan);
    if (!this.holdsSqlite) await locks.acquire(this.host, DATABASE_RESOURCE, plan.kind === 'ddl' && inTransaction ? 'X' : 'IX', inTransaction, timeout, signal);
    for (const table of set.exclusive) await locks.acquire(this.host, tableResource(table), 'X', inTransaction, timeout, signal);
    for (const table of set.shared) await locks.acquire(this.host, tableResource(table), 'S', false, timeout, signal);
    return set.exclusive;
  }

  private async run<T>(plan: WritePlan, fn: () => T | Promise<T>, inTransaction: boolean, temp: boolean): Promise<T> {
    const db = this.host.db;
    if (this.holdsSqlite || (plan.kind === 'ddl' && inTransaction)) {
      if (!this.holdsSqlite) {
        db.exec('BEGIN IMMEDIATE');
        this.holdsSqlite = true;
      }
      db.exec('SAVEPOINT "__hcm_statement"');
      try {
        const result = await fn();
        db.exec('RELEASE "__hcm_statement"');
        this.noteCreated(plan, inTransaction);
        return result;
      } catch (error) {
        db.exec('ROLLBACK TO "__hcm_statement"; RELEASE "__hcm_statement"');
        throw error;
      }
    }
    db.exec(temp ? 'BEGIN' : 'BEGIN IMMEDIATE');
    try {
      if (inTransaction) this.imageTables();
      const result = await fn();
      db.exec('COMMIT');
      this.keepPending();
      this.noteCreated(plan, inTransaction);
      return result;
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      this.pending = [];
      throw error;
    }
  }

  private imageTables(): void {
    const level = this.level;
    for (const table of this.imaging) {
      const key = imageKey(table);
      if (this.images.get(key)?.some((r) => r.level === level)) continue;
      // A trigger's write inside the statement: the statement may have imaged the table already.
      if (this.pending.some((p) => p.key === key && p.record.level === level)) continue;
      const record: ImageRecord = { table: table.name, schema: table.temporary ? 'temp' : 'main', level, image: imageName(table, level, ++this.sequence) };
      createImage(this.host.db, table, record);
      this.pending.push({ key, record });
    }
  }

  private keepPending(): void {
    for (const { key, record } of this.pending) {
      const list = this.images.get(key) ?? [];
      if (list.length === 0 && record.schema === 'main') this.host.store.images.set(key, this.host, record.image);
      list.push(record);
      this.images.set(key, list);
    }
    this.pending = [];
  }

  private noteCreated(plan: WritePlan, inTransaction: boolean): void {
    if (inTransaction && plan.kind === 'temp' && plan.created) this.createdTemp.push({ name: plan.created.toLowerCase(), level: this.level });
  }

  savepoint(name: string): void {
    this.savepoints.push({ name, sqlite: this.holdsSqlite });
    if (this.holdsSqlite) this.host.db.exec(`SAVEPOINT ${savepointName(name)}`);
  }

  /** ROLLBACK TRANSACTION <savepoint>: the savepoint stays, later ones go; locks stay (as in SQL Server). */
  rollbackTo(name: string): void {
    const index = this.savepoints.map((s) => s.name).lastIndexOf(name);
    if (index < 0) throw sqlErrors.noSavepoint(name);
    const savepoint = this.savepoints[index];
    const level = index + 1;
    this.savepoints.splice(level);
    if (this.holdsSqlite && savepoint.sqlite) {
      this.host.tableVariables.keepAcrossRollback(() => this.host.db.exec(`ROLLBACK TO ${savepointName(name)}`));
    } else {
      if (this.holdsSqlite) {
        this.host.tableVariables.keepAcrossRollback(() => this.host.db.exec('ROLLBACK'));
        this.holdsSqlite = false;
      }
      this.restore(level);
    }
    this.dropCreatedTemp(level);
  }

  /** COMMIT of the outermost transaction: the images go, then every lock. */
  commit(): void {
    const db = this.host.db;
    const all = [...this.images.values()].flat();
    if (this.holdsSqlite) {
      for (const record of all) dropImage(db, record);
      db.exec('COMMIT');
    } else if (all.length > 0) {
      this.inSqliteTransaction(all, () => { for (const record of all) dropImage(db, record); });
    }
    this.finish();
  }

  /** ROLLBACK (also XACT_ABORT, a deadlock victim, sp_reset_connection, a disconnect). */
  rollback(): void {
    if (this.holdsSqlite) {
      this.host.tableVariables.keepAcrossRollback(() => this.host.db.exec('ROLLBACK'));
      this.holdsSqlite = false;
    }
    try {
      this.restore(0, true);
      this.dropCreatedTemp(0);
    } finally {
      this.finish();
    }
  }

  /**
   * Tables imaged at `level` or above go back to their state at `level`; images above it go, and
   * the one at `level` too when the whole transaction ends (`all`).
   */
  private restore(level: number, all = false): void {
    const db = this.host.db;
    const work: Array<{ key: string; from: ImageRecord; drop: ImageRecord[]; keep: ImageRecord[] }> = [];
    for (const [key, list] of this.images) {
      const above = list.filter((r) => r.level >= level);
      if (above.length === 0) continue;
      const from = above[0];
      const keepAt = from.level === level && !all ? from : undefined;
      work.push({ key, from, drop: above.filter((r) => r !== keepAt), keep: list.filter((r) => r.level < level || r === keepAt) });
    }
    if (work.length === 0) return;
    this.inSqliteTransaction(work.map((w) => w.from), () => {
      for (const { from, drop } of work) {
        if (from.schema === 'main' || this.host.tempTables.has(from.table.toLowerCase())) restoreImage(db, from);
        for (const record of drop) dropImage(db, record);
      }
    });
    for (const { key, keep } of work) {
      if (keep.length > 0) this.images.set(key, keep);
      else {
        this.images.delete(key);
        this.host.store.images.delete(key, this.host);
      }
    }
  }

  private inSqliteTransaction(records: ImageRecord[], work: () => void): void {
    const db = this.host.db;
    db.exec(records.some((r) => r.schema === 'main') ? 'BEGIN IMMEDIATE' : 'BEGIN');
    try {
      work();
      db.exec('COMMIT');
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
  }

  private dropCreatedTemp(level: number): void {
    for (let i = this.createdTemp.length - 1; i >= 0; i--) {
      const { name, level: at } = this.createdTemp[i];
      if (at < level) continue;
      this.createdTemp.splice(i, 1);
      if (!this.host.tempTables.delete(name)) continue;
      this.host.db.exec(`DROP TABLE IF EXISTS temp."${name.replace(/"/g, '""')}"`);
      this.images.delete(`temp:${name}`);
    }
  }

  /** A #temporary table was dropped: its images go with it. */
  forgetTemp(name: string): void {
    const key = `temp:${name.toLowerCase()}`;
    for (const record of this.images.get(key) ?? []) dropImage(this.host.db, record);
    this.images.delete(key);
  }

  private finish(): void {
    for (const key of this.images.keys()) this.host.store.images.delete(key, this.host);
    this.images.clear();
    this.pending = [];
    this.savepoints.length = 0;
    this.createdTemp.length = 0;
    this.holdsSqlite = false;
    this.host.store.locks.releaseAll(this.host);
  }
}
