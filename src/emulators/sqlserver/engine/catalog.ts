/**
 * The catalog: what SQL Server knows about each object and SQLite does not — declared types
 * (nvarchar(50), decimal(10,2), datetime2), identity, rowversion, constraint names, procedure
 * parameters and bodies. It lives in the database file itself (table __hcm_objects), so it is
 * transactional with the DDL that changes it, survives restarts with --data, and every
 * connection sees the catalog of its own snapshot. A random token, rewritten by each DDL, lets
 * connections reuse a parsed catalog until something changes.
 */
import type { SqlType } from '../sql-type';
import type { SqliteDatabase } from './sqlite-loader';

export interface CatalogColumn {
  name: string;
  type: SqlType;
  nullable: boolean;
  identity?: { seed: number; increment: number };
  defaultSource?: string;
  defaultName?: string;
  computedSource?: string;
  /** The computed column's expression as SQLite text (no parameters). */
  computedSql?: string;
}

export interface KeyConstraint {
  name: string;
  columns: string[];
}

export type ReferentialAction = 'NO ACTION' | 'CASCADE' | 'SET NULL' | 'SET DEFAULT';

export interface ForeignKeyConstraint extends KeyConstraint {
  refTable: string;
  refColumns: string[];
  onDelete: ReferentialAction;
  onUpdate: ReferentialAction;
}

export interface CheckConstraint extends KeyConstraint {
  source: string;
}

export interface IndexDefinition extends KeyConstraint {
  unique: boolean;
}

interface CatalogObjectBase {
  schema: string;
  name: string;
  objectId: number;
  createdAt: string;
}

export interface TableDefinition extends CatalogObjectBase {
  kind: 'table';
  columns: CatalogColumn[];
  primaryKey?: KeyConstraint;
  uniques: KeyConstraint[];
  foreignKeys: ForeignKeyConstraint[];
  checks: CheckConstraint[];
  indexes: IndexDefinition[];
  temporary?: boolean;
}

export interface ViewDefinition extends CatalogObjectBase {
  kind: 'view';
  source: string;
  columns: CatalogColumn[];
}

export interface ProcedureParameterDefinition {
  name: string;
  type: SqlType;
  output: boolean;
  hasDefault: boolean;
}

export interface ProcedureDefinition extends CatalogObjectBase {
  kind: 'procedure';
  parameters: ProcedureParameterDefinition[];
  source: string;
}

/**
 * CREATE TYPE: a table type (its columns and constraints as a table's, named after the type) or an
 * alias type (a base type and nullability). Types have their own namespace (sys.types), so they
 * are kept apart from the objects; `objectId` is the type's user_type_id.
 */
export interface TypeDefinition extends CatalogObjectBase {
  kind: 'type';
  table?: TableDefinition;
  base?: SqlType;
  nullable: boolean;
}

/** CREATE TRIGGER: an object of its own (sys.objects type TR) fired by changes to `table`. */
export interface TriggerDefinition extends CatalogObjectBase {
  kind: 'trigger';
  table: string;
  timing: 'AFTER' | 'INSTEAD OF';
  events: Array<'INSERT' | 'UPDATE' | 'DELETE'>;
  source: string;
  /** DISABLE TRIGGER: kept, but not fired until ENABLE TRIGGER. */
  disabled?: boolean;
}

export type CatalogObject = TableDefinition | ViewDefinition | ProcedureDefinition;
type StoredDefinition = CatalogObject | TypeDefinition | TriggerDefinition;

/** Types are stored under this prefix: their names may repeat an object's. */
const TYPE_KEY = 'type:';

export const OBJECTS_TABLE = '__hcm_objects';
export const META_TABLE = '__hcm_meta';

export class Catalog {
  private readonly byName = new Map<string, CatalogObject>();
  private readonly typesByName = new Map<string, TypeDefinition>();
  private readonly triggersByName = new Map<string, TriggerDefinition>();

  constructor(readonly token: string, objects: StoredDefinition[]) {
    for (const object of objects) {
      if (object.kind === 'type') this.typesByName.set(object.name.toLowerCase(), object);
      else if (object.kind === 'trigger') this.triggersByName.set(object.name.toLowerCase(), object);
      else this.byName.set(object.name.toLowerCase(), object);
    }
  }

  type(name: string): TypeDefinition | undefined {
    return this.typesByName.get(name.toLowerCase());
  }

  types(): TypeDefinition[] {
    return [...this.typesByName.values()].sort((a, b) => a.objectId - b.objectId);
  }

  trigger(name: string): TriggerDefinition | undefined {
    return this.triggersByName.get(name.toLowerCase());
  }

  triggers(): TriggerDefinition[] {
    return [...this.triggersByName.values()].sort((a, b) => a.objectId - b.objectId);
  }

  /** The triggers of a table, in creation order (SQL Server's order when none is set first/last). */
  triggersOn(table: string): TriggerDefinition[] {
    return this.triggers().filter((t) => t.table.toLowerCase() === table.toLowerCase());
  }

  object(name: string): CatalogObject | undefined {
    return this.byName.get(name.toLowerCase());
  }

  table(name: string): TableDefinition | undefined {
    const object = this.object(name);
    return object?.kind === 'table' ? object : undefined;
  }

  view(name: string): ViewDefinition | undefined {
    const object = this.object(name);
    return object?.kind === 'view' ? object : undefined;
  }

  procedure(name: string): ProcedureDefinition | undefined {
    const object = this.object(name);
    return object?.kind === 'procedure' ? object : undefined;
  }

  all(): CatalogObject[] {
    return [...this.byName.values()].sort((a, b) => a.objectId - b.objectId);
  }

  tables(): TableDefinition[] {
    return this.all().filter((o): o is TableDefinition => o.kind === 'table');
  }

  byObjectId(id: number): CatalogObject | undefined {
    return this.all().find((object) => object.objectId === id);
  }

  /** Foreign keys in other tables that point at `table`. */
  referencesTo(table: string): Array<{ table: TableDefinition; foreignKey: ForeignKeyConstraint }> {
    const found: Array<{ table: TableDefinition; foreignKey: ForeignKeyConstraint }> = [];
    for (const other of this.tables()) {
      for (const foreignKey of other.foreignKeys) {
        if (foreignKey.refTable.toLowerCase() === table.toLowerCase()) found.push({ table: other, foreignKey });
      }
    }
    return found;
  }

  /** The constraint (any kind) with this name, and its table. */
  constraint(name: string): { table: TableDefinition; kind: string } | undefined {
    const lower = name.toLowerCase();
    for (const table of this.tables()) {
      if (table.primaryKey?.name.toLowerCase() === lower) return { table, kind: 'PRIMARY KEY' };
      if (table.uniques.some((u) => u.name.toLowerCase() === lower)) return { table, kind: 'UNIQUE' };
      if (table.foreignKeys.some((f) => f.name.toLowerCase() === lower)) return { table, kind: 'FOREIGN KEY' };
      if (table.checks.some((c) => c.name.toLowerCase() === lower)) return { table, kind: 'CHECK' };
      if (table.columns.some((c) => c.defaultName?.toLowerCase() === lower)) return { table, kind: 'DEFAULT' };
    }
    return undefined;
  }
}

/** Parsed catalogs by token: tokens are random, so equal tokens mean equal contents on any connection. */
const cache = new Map<string, Catalog>();

export function createCatalogTables(db: SqliteDatabase): void {
  db.exec(`CREATE TABLE IF NOT EXISTS "${OBJECTS_TABLE}" (name TEXT COLLATE NOCASE PRIMARY KEY, kind TEXT NOT NULL, definition TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS "${META_TABLE}" (key TEXT PRIMARY KEY, value);
    INSERT OR IGNORE INTO "${META_TABLE}" (key, value) VALUES ('token', 'initial'), ('nextObjectId', 245575913);`);
}

export function loadCatalog(db: SqliteDatabase): Catalog {
  const row = db.prepare(`SELECT value FROM "${META_TABLE}" WHERE key = 'token'`).get() as { value: string } | undefined;
  const token = row?.value ?? 'initial';
  const cached = cache.get(token);
  if (cached) return cached;
  const rows = db.prepare(`SELECT definition FROM "${OBJECTS_TABLE}"`).all() as Array<{ definition: string }>;
  const catalog = new Catalog(token, rows.map((r) => JSON.parse(r.definition) as StoredDefinition));
  if (cache.size > 64) cache.clear();
  cache.set(token, catalog);
  return catalog;
}

/** Writes (or replaces) an object and renews the token; runs inside the caller's write transaction. */
export function saveObject(db: SqliteDatabase, object: CatalogObject): void {
  db.prepare(`INSERT OR REPLACE INTO "${OBJECTS_TABLE}" (name, kind, definition) VALUES (?, ?, ?)`).run(object.name, object.kind, JSON.stringify(object));
  renewToken(db);
}

/** Writes (or replaces) a type or a trigger; types are keyed apart from objects. */
export function saveDefinition(db: SqliteDatabase, definition: TypeDefinition | TriggerDefinition): void {
  const key = definition.kind === 'type' ? TYPE_KEY + definition.name : definition.name;
  db.prepare(`INSERT OR REPLACE INTO "${OBJECTS_TABLE}" (name, kind, definition) VALUES (?, ?, ?)`).run(key, definition.kind, JSON.stringify(definition));
  renewToken(db);
}

export function deleteType(db: SqliteDatabase, name: string): void {
  deleteObject(db, TYPE_KEY + name);
}

export function deleteObject(db: SqliteDatabase, name: string): void {
  db.prepare(`DELETE FROM "${OBJECTS_TABLE}" WHERE name = ?`).run(name);
  renewToken(db);
}

function renewToken(db: SqliteDatabase): void {
  db.prepare(`UPDATE "${META_TABLE}" SET value = ? WHERE key = 'token'`).run(`${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`);
}

export function nextObjectId(db: SqliteDatabase): number {
  const row = db.prepare(`SELECT value FROM "${META_TABLE}" WHERE key = 'nextObjectId'`).get() as { value: number | bigint };
  const id = Number(row.value);
  db.prepare(`UPDATE "${META_TABLE}" SET value = ? WHERE key = 'nextObjectId'`).run(id + 1_000_003);
  return id;
}
